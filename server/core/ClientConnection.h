// SPDX-License-Identifier: Apache-2.0
#pragma once

// One client's WebSocket connection: framing (binary Envelope messages only), its login state,
// its rate-limit bucket and its bounded outbound queue. Created and owned by WebSocketServer,
// which routes the requests it decodes through the auth gate and the rate limits to the
// Dispatcher. Lives on the server's thread: call every method there (a handler that works on
// another thread comes back with QMetaObject::invokeMethod). The object is deleted (later)
// after closed(); a handler that answers asynchronously keeps a QPointer or the id and looks
// it up in ConnectionRegistry.
//
// Flow control: a request frame is decoded and dispatched only while the connection has fewer
// than maxInFlight unanswered requests and less than half of maxQueuedBytes waiting to go out;
// other frames wait in a small inbox (bounded by maxQueuedBytes too). So a client that
// pipelines many large downloads is slowed down, not cut. What still overflows the queue
// (pushes to a device that stopped reading) cuts the connection: see send().

#include "cinder/api.pb.h"
#include "server/core/TokenBucket.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <cstdint>

class QSslSocket;
class QWebSocket;

namespace cinder::server {

struct ConnectionLimits {
    std::int64_t maxFrameBytes = 0;
    std::int64_t maxQueuedBytes = 0;
    RateLimit rateLimit;
    int loginTimeoutMs = 0;
    // Requests dispatched and unanswered at once; further frames wait in the inbox.
    int maxInFlight = 64;
    int closeTimeoutMs = 5000; // after close(): abort if the peer does not finish the close
};

class ClientConnection : public QObject {
    Q_OBJECT
public:
    // `transport` is the TLS socket under `socket`, used to measure the outbound queue; may be
    // null, then the queue is estimated from QWebSocket::bytesWritten.
    ClientConnection(QWebSocket* socket, QSslSocket* transport, quint64 id,
                     const ConnectionLimits& limits, QObject* parent = nullptr);
    ~ClientConnection() override;

    [[nodiscard]] quint64 id() const { return m_id; }
    [[nodiscard]] bool isAuthenticated() const { return !m_nodeId.isEmpty(); }
    [[nodiscard]] const QByteArray& rootId() const { return m_rootId; }
    [[nodiscard]] const QByteArray& nodeId() const { return m_nodeId; }
    // Called by the AUTH_PROOF handler after it verified the proof. Emits authenticated();
    // the server then registers the node (closing an older connection of the same node).
    void setAuthenticated(const QByteArray& rootId, const QByteArray& nodeId);

    [[nodiscard]] const QByteArray& challengeNonce() const { return m_challengeNonce; }
    void setChallengeNonce(const QByteArray& nonce) { m_challengeNonce = nonce; }

    // Answers request `requestId`. Ignored once the connection is closing.
    void respond(quint64 requestId, api::Status status, const QByteArray& body = {},
                 const QString& error = {}, quint32 retryAfterMs = 0);
    // STATUS_OK with a serialized body.
    void respond(quint64 requestId, const google::protobuf::Message& body);
    // Sends a push (moved into the envelope: a delivery's packet is not copied again). A
    // Delivery push counts cinder_deliveries_pushed_total.
    void push(api::Push push);
    // Sends Push.closing{reason}, then closes the WebSocket with the reason.
    void close(const QString& reason);

    // --- Used by WebSocketServer and tests ---
    [[nodiscard]] bool isOpen() const { return m_state == State::Open; }
    // True while the outbound queue is below half of maxQueuedBytes: a handler that sends
    // many pushes (a sync) sends while this holds and resumes on outboundDrained().
    [[nodiscard]] bool canSendMore() const;
    // Bytes written by this process and not yet taken by the kernel.
    [[nodiscard]] std::int64_t queuedBytes() const;
    // Requests handed to the dispatcher and not answered yet.
    [[nodiscard]] int pendingRequests() const { return m_pendingCount; }
    void beginRequest(quint64 requestId);
    // The remote address, for the per-address rate limit only: never log or store it.
    [[nodiscard]] const QHostAddress& peerAddress() const { return m_peerAddress; }
    // Takes a token from this connection's bucket.
    [[nodiscard]] bool takeRateToken(std::int64_t nowMs, std::uint32_t& retryAfterMs);
    // Closes without a Closing push (protocol violations) or aborts at once.
    void closeWithCode(int closeCode, const QString& reason, bool sendClosingPush);
    void abort(const QString& reason);

signals:
    void authenticated(quint64 connectionId);
    void closed(quint64 connectionId);
    // A well-formed request envelope; WebSocketServer decides what happens to it.
    void requestReceived(cinder::server::ClientConnection& connection,
                         const cinder::api::Request& request);
    // A request passed to beginRequest() was answered (or dropped by the close).
    void requestFinished(quint64 connectionId);
    // The outbound queue fell below half of maxQueuedBytes after it had reached it.
    void outboundDrained(quint64 connectionId);

private:
    enum class State { Open, Closing, Closed };

    void onBinaryMessage(const QByteArray& frame);
    void onTextMessage(const QString& text);
    void onDisconnected();
    void onBytesWritten(qint64 bytes);
    void onTransportWritten();
    void processFrame(const QByteArray& frame);
    void scheduleInbox();
    void processInbox();
    [[nodiscard]] bool canDispatch() const;
    void finishRequest(quint64 requestId);
    bool send(const api::Envelope& envelope);

    QPointer<QWebSocket> m_socket;
    QPointer<QSslSocket> m_transport;
    quint64 m_id = 0;
    ConnectionLimits m_limits;
    QHostAddress m_peerAddress;
    State m_state = State::Open;
    QByteArray m_rootId;
    QByteArray m_nodeId;
    QByteArray m_challengeNonce;
    TokenBucket m_bucket;
    QHash<quint64, int> m_pending; // request id -> how many with that id are in flight
    int m_pendingCount = 0;
    std::int64_t m_unconfirmedBytes = 0; // fallback accounting without a transport
    QList<QByteArray> m_inbox;           // frames waiting for flow control
    std::int64_t m_inboxBytes = 0;
    bool m_inboxScheduled = false;
    bool m_congested = false;
    QTimer m_loginTimer;
    QTimer m_closeTimer;
};

} // namespace cinder::server
