// SPDX-License-Identifier: Apache-2.0
#pragma once

// One WebSocket-over-TLS-1.3 connection to cinder-server (docs/SERVER.md §9): sends requests,
// matches responses by id, delivers pushes. The server is pinned (ServerEndpoint) and treated as
// possibly hostile: a frame that is not a valid Envelope for a client closes the connection with
// ConnectionError::MalformedFrame, a response to an unknown id is ignored and counted, and every
// outstanding request completes exactly once — with the server's response or a transport error.

#include "net/ConnectionError.h"
#include "net/Reply.h"
#include "net/ServerEndpoint.h"

#include "cinder/api.pb.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <map>

QT_BEGIN_NAMESPACE
class QWebSocket;
class QSslError;
QT_END_NAMESPACE

namespace cinder::net {

class ServerConnection : public QObject {
    Q_OBJECT

public:
    enum class State {
        Disconnected,       // not connected and not trying
        Connecting,         // TCP, TLS and WebSocket handshakes in progress
        Connected,          // requests are sent at once
        WaitingToReconnect, // auto-reconnect: back-off timer running
    };
    Q_ENUM(State)

    // Exponential back-off for auto-reconnect: attempt n waits
    // min(maxDelayMs, initialDelayMs * multiplier^n), minus a random part of up to `jitter` of it.
    struct BackOff {
        int initialDelayMs = 1000;
        int maxDelayMs = 60000;
        double multiplier = 2.0;
        double jitter = 0.5; // 0 = none, 1 = anywhere between 0 and the full delay
    };

    static constexpr int kDefaultConnectTimeoutMs = 15000;
    static constexpr quint64 kDefaultMaxIncomingMessageSize = 16 * 1024 * 1024;

    explicit ServerConnection(QObject* parent = nullptr);
    // Outstanding requests complete with ClosedLocally (handlers whose context is gone are not
    // called); no signal is emitted.
    ~ServerConnection() override;

    ServerConnection(const ServerConnection&) = delete;
    ServerConnection& operator=(const ServerConnection&) = delete;

    // Connects (or reconnects to a new endpoint). Outcome: connected() or disconnected(reason),
    // always asynchronously.
    void open(const ServerEndpoint& endpoint);
    // Closes the connection and stops reconnecting; outstanding requests fail with ClosedLocally.
    void close();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool isConnected() const { return m_state == State::Connected; }
    [[nodiscard]] ConnectionError lastError() const { return m_lastError; }
    [[nodiscard]] const ServerEndpoint& endpoint() const { return m_endpoint; }

    void setAutoReconnect(bool enabled); // off by default
    [[nodiscard]] bool autoReconnect() const { return m_autoReconnect; }
    void setBackOff(const BackOff& backOff);
    [[nodiscard]] BackOff backOff() const { return m_backOff; }
    void setConnectTimeout(int milliseconds);
    [[nodiscard]] int connectTimeout() const { return m_connectTimeoutMs; }
    void setMaxIncomingMessageSize(quint64 bytes); // applies from the next open()

    // Sends a request; `handler` is called exactly once with the reply, unless `context` (when
    // given) is destroyed first. Requests made while Connecting are sent once connected; made
    // while not connected they fail with NotConnected (asynchronously). Returns the request id.
    quint64 request(cinder::api::Verb verb, const QByteArray& body, const QObject* context,
                    ReplyHandler handler);
    quint64 request(cinder::api::Verb verb, const google::protobuf::Message& body,
                    const QObject* context, ReplyHandler handler);
    // Blocking convenience for tests and the CLI: spins a local event loop until the reply
    // arrives or `timeoutMs` passes (then the reply carries ConnectionError::Timeout).
    Reply requestAndWait(cinder::api::Verb verb, const QByteArray& body, int timeoutMs);
    Reply requestAndWait(cinder::api::Verb verb, const google::protobuf::Message& body,
                         int timeoutMs);
    // Forgets a request: its handler will not be called. A later response to it counts as unknown.
    void cancel(quint64 id);

    [[nodiscard]] int outstandingRequests() const { return static_cast<int>(m_pending.size()); }
    [[nodiscard]] quint64 unknownResponseCount() const { return m_unknownResponses; }
    // SHA-256 of the public key (DER SubjectPublicKeyInfo) of the server's certificate on the
    // open connection; empty when none is open.
    [[nodiscard]] QByteArray peerPublicKeySha256() const;

Q_SIGNALS:
    void connected();
    // After connected(), when the connection was lost and is up again (re-authenticate now).
    void reconnected();
    // A connection attempt failed or an open connection ended.
    void disconnected(cinder::net::ConnectionError reason);
    void push(const cinder::api::Push& push);
    void stateChanged(cinder::net::ServerConnection::State state);

private:
    struct Pending {
        QByteArray frame; // the serialized Envelope, until it is sent
        bool sent = false;
        bool hasContext = false;
        QPointer<const QObject> context;
        ReplyHandler handler;
    };

    void startAttempt();
    void onSocketConnected();
    void onSslErrors(const QList<QSslError>& errors);
    void onBinaryMessage(const QByteArray& message);
    void onResponse(const cinder::api::Response& response);
    void fail(ConnectionError reason);
    void releaseSocket(bool protocolError);
    void failAll(ConnectionError reason);
    void failOne(quint64 id, ConnectionError reason);
    void setState(State state);
    void scheduleReconnect();
    [[nodiscard]] bool peerMatchesFingerprint() const;
    static void deliver(Pending& pending, const Reply& reply);

    ServerEndpoint m_endpoint;
    QWebSocket* m_socket = nullptr;
    State m_state = State::Disconnected;
    ConnectionError m_lastError = ConnectionError::None;
    ConnectionError m_certificateError = ConnectionError::None; // set while verifying the peer
    bool m_autoReconnect = false;
    bool m_everConnected = false; // since the last open()
    BackOff m_backOff;
    int m_reconnectAttempt = 0;
    int m_connectTimeoutMs = kDefaultConnectTimeoutMs;
    quint64 m_maxIncomingMessageSize = kDefaultMaxIncomingMessageSize;
    QTimer m_connectTimer;
    QTimer m_reconnectTimer;
    quint64 m_nextId = 1;
    quint64 m_unknownResponses = 0;
    std::map<quint64, Pending> m_pending;
};

} // namespace cinder::net
