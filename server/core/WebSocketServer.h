// SPDX-License-Identifier: Apache-2.0
#pragma once

// The TLS 1.3 WebSocket listener of cinder-server (docs/SERVER.md, "Transport").
//
// TLS is terminated by a QSslServer (TLS 1.3 only); each encrypted socket is upgraded by a
// QWebSocketServer (handleConnection). QWebSocketServer's own SecureMode would hide the
// QSslSocket, and only that socket knows how many bytes are still waiting for the kernel
// (QSslSocket reports bytesWritten when it has encrypted data, not when the peer took it), so
// secure mode could not bound the memory a slow reader holds.
//
// For each request: shutting down -> STATUS_UNAVAILABLE; unknown verb -> STATUS_BAD_REQUEST;
// per-connection token bucket, and a per-address bucket for the verbs that need no login
// -> STATUS_RATE_LIMITED; a verb that needs a login on a connection without one ->
// STATUS_UNAUTHENTICATED; otherwise Dispatcher::dispatch().

#include "server/core/ClientConnection.h"
#include "server/core/ConnectionRegistry.h"
#include "server/core/Dispatcher.h"
#include "server/core/ServerConfig.h"
#include "server/core/TokenBucket.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslServer>
#include <QTimer>
#include <QWebSocketServer>

namespace cinder::server {

inline constexpr int kTlsHandshakeTimeoutMs = 10'000;
inline constexpr int kUpgradeTimeoutMs = 10'000;
inline constexpr int kAddressBucketSweepMs = 60'000;
inline constexpr int kCloseAllTimeoutMs = 5'000;

class WebSocketServer : public QObject {
    Q_OBJECT
public:
    // The config's TLS identity must be loaded (ServerConfig::loadTlsIdentity()).
    WebSocketServer(const ServerConfig& config, Dispatcher& dispatcher,
                    ConnectionRegistry& registry, QObject* parent = nullptr);
    ~WebSocketServer() override;

    // Starts listening on config.listen. Returns an error message, empty on success.
    [[nodiscard]] QString listen();
    [[nodiscard]] QHostAddress serverAddress() const { return m_tls.serverAddress(); }
    [[nodiscard]] quint16 serverPort() const { return m_tls.serverPort(); }

    // Graceful shutdown: stop accepting, answer new requests STATUS_UNAVAILABLE, wait (up to
    // config.shutdownGraceSeconds) for answered in-flight requests and Dispatcher::drain(),
    // close every connection with a Closing push, then emit stopped().
    void shutdown();
    [[nodiscard]] bool isShuttingDown() const { return m_shuttingDown; }
    [[nodiscard]] int inFlightRequests() const { return m_inFlight; }

    [[nodiscard]] ConnectionRegistry& registry() { return m_registry; }

signals:
    void stopped();

private:
    void onEncryptedConnection();
    void onWebSocketConnection();
    void onRequest(ClientConnection& connection, const api::Request& request);
    void onAuthenticated(quint64 connectionId);
    void onClosed(quint64 connectionId);
    void onRequestFinished();
    void sweepAddressBuckets();
    void maybeFinishDrain();
    void closeAll();
    void finishStop();

    const ServerConfig& m_config;
    Dispatcher& m_dispatcher;
    ConnectionRegistry& m_registry;
    ConnectionLimits m_limits;
    QSslServer m_tls;
    QWebSocketServer m_upgrader;
    QList<QPointer<QSslSocket>> m_upgrading;           // TLS done, WebSocket handshake not yet
    QHash<QHostAddress, TokenBucket> m_addressBuckets; // memory only, never logged
    QTimer m_sweepTimer;
    quint64 m_nextConnectionId = 0;
    int m_inFlight = 0;
    bool m_shuttingDown = false;
    bool m_dispatcherDrained = false;
    bool m_draining = false;
    bool m_stopped = false;
    QTimer m_graceTimer;
    QTimer m_closeAllTimer;
};

} // namespace cinder::server
