// SPDX-License-Identifier: Apache-2.0
#include "server/core/WebSocketServer.h"

#include "server/core/EnvelopeFraming.h"
#include "server/core/Log.h"
#include "server/core/Metrics.h"

#include <QSslConfiguration>
#include <QSslSocket>
#include <QWebSocket>

#include <string>

namespace cinder::server {

namespace {

constexpr int kMaxPendingTlsConnections = 1024;

std::string verbLabel(api::Verb verb) {
    if (!api::Verb_IsValid(verb)) {
        return "verb=\"unknown\"";
    }
    std::string name = api::Verb_Name(verb);
    if (name.rfind("VERB_", 0) == 0) {
        name.erase(0, 5);
    }
    return "verb=\"" + name + "\"";
}

} // namespace

WebSocketServer::WebSocketServer(const ServerConfig& config, Dispatcher& dispatcher,
                                 ConnectionRegistry& registry, QObject* parent)
    : QObject(parent), m_config(config), m_dispatcher(dispatcher), m_registry(registry),
      m_upgrader(QStringLiteral("cinder-server"), QWebSocketServer::NonSecureMode) {
    m_limits.maxFrameBytes = config.maxFrameBytes;
    m_limits.maxQueuedBytes = config.maxQueuedBytes;
    m_limits.rateLimit = config.connectionRateLimit;
    m_limits.loginTimeoutMs = config.loginTimeoutSeconds * 1000;

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(config.certificateChain);
    tls.setPrivateKey(config.privateKey);
    tls.setProtocol(QSsl::TlsV1_3OrLater);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // devices prove themselves by signature
    m_tls.setSslConfiguration(tls);
    m_tls.setHandshakeTimeout(kTlsHandshakeTimeoutMs);
    m_tls.setMaxPendingConnections(kMaxPendingTlsConnections);
    m_upgrader.setMaxPendingConnections(kMaxPendingTlsConnections);

    connect(&m_tls, &QTcpServer::pendingConnectionAvailable, this,
            &WebSocketServer::onEncryptedConnection);
    connect(&m_tls, &QSslServer::errorOccurred, this,
            [](QSslSocket*, QAbstractSocket::SocketError error) {
                qCDebug(lcServer) << "TLS handshake failed:" << error;
            });
    connect(&m_upgrader, &QWebSocketServer::newConnection, this,
            &WebSocketServer::onWebSocketConnection);

    m_sweepTimer.setInterval(kAddressBucketSweepMs);
    connect(&m_sweepTimer, &QTimer::timeout, this, &WebSocketServer::sweepAddressBuckets);
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcServer) << "shutdown grace period over with" << m_inFlight
                            << "requests in flight";
        closeAll();
    });
    m_closeAllTimer.setSingleShot(true);
    connect(&m_closeAllTimer, &QTimer::timeout, this, [this] {
        for (ClientConnection* connection : m_registry.all()) {
            connection->abort(QStringLiteral("shutdown"));
        }
        finishStop();
    });
}

WebSocketServer::~WebSocketServer() {
    m_tls.close();
    // Connections go first: their TLS sockets may still be children of m_tls.
    const auto connections = findChildren<ClientConnection*>(Qt::FindDirectChildrenOnly);
    for (ClientConnection* connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        m_registry.remove(connection);
        delete connection;
    }
}

QString WebSocketServer::listen() {
    if (!m_tls.listen(m_config.listen.address, m_config.listen.port)) {
        return QStringLiteral("cannot listen on %1: %2")
            .arg(m_config.listen.toString(), m_tls.errorString());
    }
    m_sweepTimer.start();
    return {};
}

void WebSocketServer::onEncryptedConnection() {
    while (m_tls.hasPendingConnections()) {
        QTcpSocket* tcp = m_tls.nextPendingConnection();
        auto* socket = qobject_cast<QSslSocket*>(tcp);
        m_upgrading.removeAll(QPointer<QSslSocket>());
        const auto open = m_registry.count() + m_upgrading.size();
        if (socket == nullptr || m_shuttingDown || open >= m_config.maxConnections) {
            Metrics::instance().add(metric::kConnectionsRejected);
            qCInfo(lcServer) << "connection refused:"
                             << (m_shuttingDown ? "shutting down" : "connection limit reached");
            tcp->abort();
            tcp->deleteLater();
            continue;
        }
        // Small pushes go out at once; keepalive finds peers that vanished without a FIN.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
        m_upgrading.append(socket);
        QTimer::singleShot(kUpgradeTimeoutMs, socket, [this, socket] {
            if (m_upgrading.removeAll(socket) > 0) {
                qCDebug(lcServer) << "WebSocket upgrade timed out";
                socket->abort();
            }
        });
        m_upgrader.handleConnection(socket);
    }
}

void WebSocketServer::onWebSocketConnection() {
    while (m_upgrader.hasPendingConnections()) {
        QWebSocket* socket = m_upgrader.nextPendingConnection();
        // Find the TLS socket under it: the same peer address and port.
        QSslSocket* transport = nullptr;
        for (auto it = m_upgrading.begin(); it != m_upgrading.end();) {
            if (it->isNull()) {
                it = m_upgrading.erase(it);
            } else if ((*it)->peerPort() == socket->peerPort() &&
                       (*it)->peerAddress() == socket->peerAddress()) {
                transport = *it;
                m_upgrading.erase(it);
                break;
            } else {
                ++it;
            }
        }
        if (m_shuttingDown || socket->state() != QAbstractSocket::ConnectedState) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway,
                          QStringLiteral("server shutting down"));
            socket->deleteLater();
            continue;
        }
        if (transport == nullptr) {
            qCWarning(lcServer) << "no TLS socket found under a WebSocket; outbound queue is "
                                   "estimated";
        }
        auto* connection =
            new ClientConnection(socket, transport, ++m_nextConnectionId, m_limits, this);
        connect(connection, &ClientConnection::requestReceived, this, &WebSocketServer::onRequest);
        connect(connection, &ClientConnection::authenticated, this,
                &WebSocketServer::onAuthenticated);
        connect(connection, &ClientConnection::closed, this, &WebSocketServer::onClosed);
        connect(connection, &ClientConnection::requestFinished, this,
                &WebSocketServer::onRequestFinished);
        m_registry.add(connection);
        Metrics::instance().add(metric::kConnectionsAccepted);
        qCDebug(lcServer) << "connection" << connection->id() << "opened";
    }
}

void WebSocketServer::onRequest(ClientConnection& connection, const api::Request& request) {
    const api::Verb verb = request.verb();
    const quint64 id = request.id();
    Metrics::instance().add(metric::kRequests, 1, verbLabel(verb));
    if (m_shuttingDown) {
        connection.respond(id, api::STATUS_UNAVAILABLE, {}, QStringLiteral("shutting down"));
        return;
    }
    if (!api::Verb_IsValid(verb) || verb == api::VERB_UNSPECIFIED) {
        connection.respond(id, api::STATUS_BAD_REQUEST, {}, QStringLiteral("unknown verb"));
        return;
    }
    const std::int64_t now = monotonicNowMs();
    std::uint32_t retryAfterMs = 0;
    bool allowed = connection.takeRateToken(now, retryAfterMs);
    if (allowed && isUnauthenticatedVerb(verb) && verb != api::VERB_PING &&
        m_config.addressRateLimit.enabled()) {
        auto bucket = m_addressBuckets.find(connection.peerAddress());
        if (bucket == m_addressBuckets.end()) {
            bucket = m_addressBuckets.insert(connection.peerAddress(),
                                             TokenBucket(m_config.addressRateLimit, now));
        }
        allowed = bucket->take(now, retryAfterMs);
    }
    if (!allowed) {
        Metrics::instance().add(metric::kRateLimited);
        connection.respond(id, api::STATUS_RATE_LIMITED, {}, QStringLiteral("slow down"),
                           retryAfterMs);
        return;
    }
    if (!isUnauthenticatedVerb(verb) && !connection.isAuthenticated()) {
        connection.respond(id, api::STATUS_UNAUTHENTICATED, {}, QStringLiteral("log in first"));
        return;
    }
    connection.beginRequest(id);
    ++m_inFlight;
    Metrics::instance().set(metric::kInFlightRequests, m_inFlight);
    m_dispatcher.dispatch(connection, request);
}

void WebSocketServer::onRequestFinished() {
    if (m_inFlight > 0) {
        --m_inFlight;
    }
    Metrics::instance().set(metric::kInFlightRequests, m_inFlight);
    maybeFinishDrain();
}

void WebSocketServer::onAuthenticated(quint64 connectionId) {
    ClientConnection* connection = m_registry.byId(connectionId);
    if (connection == nullptr) {
        return;
    }
    m_registry.markAuthenticated(connection);
    qCDebug(lcServer) << "connection" << connectionId << "logged in";
    if (connection->isOpen()) {
        m_dispatcher.connectionAuthenticated(*connection);
    }
}

void WebSocketServer::onClosed(quint64 connectionId) {
    ClientConnection* connection = m_registry.byId(connectionId);
    if (connection == nullptr) {
        return;
    }
    m_registry.remove(connection);
    m_dispatcher.connectionClosed(*connection);
    connection->deleteLater();
    qCDebug(lcServer) << "connection" << connectionId << "closed";
    if (m_shuttingDown && !m_draining && m_registry.count() == 0) {
        finishStop();
    }
}

void WebSocketServer::sweepAddressBuckets() {
    const std::int64_t now = monotonicNowMs();
    for (auto it = m_addressBuckets.begin(); it != m_addressBuckets.end();) {
        it = it->isFull(now) ? m_addressBuckets.erase(it) : std::next(it);
    }
}

void WebSocketServer::shutdown() {
    if (m_shuttingDown) {
        return;
    }
    m_shuttingDown = true;
    m_draining = true;
    qCInfo(lcServer) << "shutting down:" << m_registry.count() << "connections," << m_inFlight
                     << "requests in flight";
    m_tls.close();
    for (const auto& socket : std::as_const(m_upgrading)) {
        if (socket) {
            socket->abort();
        }
    }
    m_upgrading.clear();
    m_graceTimer.start(m_config.shutdownGraceSeconds * 1000);
    m_dispatcher.drain([self = QPointer<WebSocketServer>(this)] {
        if (self) {
            self->m_dispatcherDrained = true;
            self->maybeFinishDrain();
        }
    });
}

void WebSocketServer::maybeFinishDrain() {
    if (m_draining && m_dispatcherDrained && m_inFlight == 0) {
        closeAll();
    }
}

void WebSocketServer::closeAll() {
    if (!m_draining) {
        return;
    }
    m_draining = false;
    m_graceTimer.stop();
    for (ClientConnection* connection : m_registry.all()) {
        connection->close(QStringLiteral("server shutting down"));
    }
    if (m_registry.count() == 0) {
        finishStop();
    } else {
        m_closeAllTimer.start(kCloseAllTimeoutMs);
    }
}

void WebSocketServer::finishStop() {
    if (m_stopped) {
        return;
    }
    m_stopped = true;
    m_closeAllTimer.stop();
    m_sweepTimer.stop();
    qCInfo(lcServer) << "stopped";
    emit stopped();
}

} // namespace cinder::server
