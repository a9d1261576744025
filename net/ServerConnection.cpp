// SPDX-License-Identifier: Apache-2.0
// Client side of the cinder-server API (docs/SERVER.md §9): Envelope framing over WebSocket/TLS 1.3
// with a pinned server certificate or CA.
#include "net/ServerConnection.h"

#include "net/NetLogging.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QFile>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QSslKey>
#include <QUrl>
#include <QWebSocket>

#include <algorithm>
#include <cmath>
#include <utility>

namespace cinder::net {

namespace {

// With a fingerprint pin the certificate is trusted because it is the pinned one, so the errors
// that only say "no CA vouches for it" or "it names another host" are expected. Any other
// problem (expired, not yet valid, bad signature, …) still refuses it.
bool toleratedWithFingerprintPin(QSslError::SslError error) {
    switch (error) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::HostNameMismatch:
        return true;
    default:
        return false;
    }
}

ConnectionError classifySocketError(QAbstractSocket::SocketError error, bool wasConnected) {
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
    case QAbstractSocket::HostNotFoundError:
    case QAbstractSocket::NetworkError:
    case QAbstractSocket::SocketTimeoutError:
        return wasConnected ? ConnectionError::ClosedByServer : ConnectionError::HostUnreachable;
    case QAbstractSocket::RemoteHostClosedError:
        return ConnectionError::ClosedByServer;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return ConnectionError::TlsHandshakeFailed;
    default:
        return ConnectionError::SocketError;
    }
}

std::optional<QList<QSslCertificate>> readCaFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray data = file.readAll();
    QList<QSslCertificate> certificates = QSslCertificate::fromData(data, QSsl::Pem);
    if (certificates.isEmpty())
        certificates = QSslCertificate::fromData(data, QSsl::Der);
    if (certificates.isEmpty())
        return std::nullopt;
    return certificates;
}

} // namespace

ServerConnection::ServerConnection(QObject* parent)
    : QObject(parent), m_connectTimer(this), m_reconnectTimer(this) {
    // The timers are children so that moveToThread() takes them along with the connection.
    m_connectTimer.setSingleShot(true);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcNet) << "connection attempt timed out";
        fail(ConnectionError::Timeout);
    });
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ServerConnection::startAttempt);
}

ServerConnection::~ServerConnection() {
    m_connectTimer.stop();
    m_reconnectTimer.stop();
    releaseSocket(false);
    failAll(ConnectionError::ClosedLocally);
}

void ServerConnection::open(const ServerEndpoint& endpoint) {
    if (m_state != State::Disconnected)
        close();
    m_endpoint = endpoint;
    m_everConnected = false;
    m_reconnectAttempt = 0;
    m_lastError = ConnectionError::None;
    startAttempt();
}

void ServerConnection::close() {
    m_reconnectTimer.stop();
    m_connectTimer.stop();
    const bool wasActive = m_state != State::Disconnected;
    releaseSocket(false);
    setState(State::Disconnected);
    QPointer<ServerConnection> self(this);
    failAll(ConnectionError::ClosedLocally);
    if (self && wasActive) {
        m_lastError = ConnectionError::ClosedLocally;
        Q_EMIT disconnected(ConnectionError::ClosedLocally);
    }
}

void ServerConnection::setAutoReconnect(bool enabled) {
    m_autoReconnect = enabled;
    if (!enabled && m_state == State::WaitingToReconnect) {
        m_reconnectTimer.stop();
        setState(State::Disconnected);
    }
}

void ServerConnection::setBackOff(const BackOff& backOff) {
    m_backOff = backOff;
    m_backOff.initialDelayMs = std::max(1, m_backOff.initialDelayMs);
    m_backOff.maxDelayMs = std::max(m_backOff.initialDelayMs, m_backOff.maxDelayMs);
    m_backOff.multiplier = std::max(1.0, m_backOff.multiplier);
    m_backOff.jitter = std::clamp(m_backOff.jitter, 0.0, 1.0);
}

void ServerConnection::setConnectTimeout(int milliseconds) {
    m_connectTimeoutMs = std::max(1, milliseconds);
}

void ServerConnection::setMaxIncomingMessageSize(quint64 bytes) {
    m_maxIncomingMessageSize = bytes;
}

void ServerConnection::startAttempt() {
    releaseSocket(false);
    m_certificateError = ConnectionError::None;

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_3);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    bool usable = m_endpoint.isValid();
    if (usable && m_endpoint.usesFingerprint()) {
        // No CA at all: the certificate is judged by its fingerprint alone (onSslErrors).
        tls.setCaCertificates({});
    } else if (usable) {
        const auto certificates = readCaFile(m_endpoint.caCertificateFile);
        usable = certificates.has_value();
        if (usable)
            tls.setCaCertificates(*certificates);
    }
    if (!usable) {
        qCWarning(lcNet) << "server endpoint has no usable pin";
        setState(State::Connecting);
        QTimer::singleShot(0, this, [this] {
            if (m_state == State::Connecting && !m_socket)
                fail(ConnectionError::InvalidEndpoint);
        });
        return;
    }

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setSslConfiguration(tls);
    m_socket->setMaxAllowedIncomingMessageSize(m_maxIncomingMessageSize);
    connect(m_socket, &QWebSocket::connected, this, &ServerConnection::onSocketConnected);
    connect(m_socket, &QWebSocket::sslErrors, this, &ServerConnection::onSslErrors);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ServerConnection::onBinaryMessage);
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this] {
        qCWarning(lcNet) << "server sent a text frame; closing";
        fail(ConnectionError::MalformedFrame);
    });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                const bool wasConnected = m_state == State::Connected;
                ConnectionError reason = classifySocketError(error, wasConnected);
                if (m_certificateError != ConnectionError::None)
                    reason = m_certificateError;
                qCInfo(lcNet) << "socket error" << error << "->" << reason;
                fail(reason);
            });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        ConnectionError reason = m_state == State::Connected ? ConnectionError::ClosedByServer
                                                             : ConnectionError::HostUnreachable;
        if (m_certificateError != ConnectionError::None)
            reason = m_certificateError;
        fail(reason);
    });

    QUrl url;
    url.setScheme(QStringLiteral("wss"));
    url.setHost(m_endpoint.host);
    url.setPort(m_endpoint.port);
    url.setPath(QStringLiteral("/"));
    qCDebug(lcNet) << "connecting to" << m_endpoint.host << m_endpoint.port;
    setState(State::Connecting);
    m_connectTimer.start(m_connectTimeoutMs);
    m_socket->open(url);
}

bool ServerConnection::peerMatchesFingerprint() const {
    const QSslCertificate peer = m_socket->sslConfiguration().peerCertificate();
    if (peer.isNull())
        return false;
    return peer.digest(QCryptographicHash::Sha256) == m_endpoint.certificateSha256;
}

QByteArray ServerConnection::peerPublicKeySha256() const {
    if (!m_socket)
        return {};
    const QSslCertificate peer = m_socket->sslConfiguration().peerCertificate();
    if (peer.isNull())
        return {};
    const QByteArray key = peer.publicKey().toDer();
    return key.isEmpty() ? QByteArray() : QCryptographicHash::hash(key, QCryptographicHash::Sha256);
}

void ServerConnection::onSslErrors(const QList<QSslError>& errors) {
    if (!m_socket)
        return;
    if (m_endpoint.usesFingerprint()) {
        // Only the leaf the server proved it owns counts; a pinned certificate placed elsewhere
        // in the chain must not match.
        if (!peerMatchesFingerprint()) {
            qCWarning(lcNet) << "server certificate does not match the pinned fingerprint";
            m_certificateError = ConnectionError::FingerprintMismatch;
            return;
        }
        const bool tolerable = std::all_of(errors.begin(), errors.end(), [](const QSslError& e) {
            return toleratedWithFingerprintPin(e.error());
        });
        if (!tolerable) {
            qCWarning(lcNet) << "pinned server certificate is not acceptable:" << errors;
            m_certificateError = ConnectionError::UntrustedCertificate;
            return;
        }
        m_socket->ignoreSslErrors();
        return;
    }
    const bool nameMismatch = std::any_of(errors.begin(), errors.end(), [](const QSslError& e) {
        return e.error() == QSslError::HostNameMismatch;
    });
    m_certificateError =
        nameMismatch ? ConnectionError::HostnameMismatch : ConnectionError::UntrustedCertificate;
    qCWarning(lcNet) << "server certificate refused:" << errors;
}

void ServerConnection::onSocketConnected() {
    // Defence in depth: check the pin and the protocol again on the finished handshake.
    const QSslConfiguration session = m_socket->sslConfiguration();
    if (m_endpoint.usesFingerprint() && !peerMatchesFingerprint()) {
        qCWarning(lcNet) << "server certificate does not match the pinned fingerprint";
        fail(ConnectionError::FingerprintMismatch);
        return;
    }
    // The key the account enrolled with, whatever the pin above accepted (a rewritten
    // server.ini, a CA that signed another key); checked before any frame goes out.
    if (!m_endpoint.publicKeySha256.isEmpty() &&
        peerPublicKeySha256() != m_endpoint.publicKeySha256) {
        qCWarning(lcNet) << "server key is not the one this account enrolled with";
        fail(ConnectionError::ServerKeyMismatch);
        return;
    }
    if (session.sessionProtocol() != QSsl::TlsV1_3) {
        qCWarning(lcNet) << "server did not negotiate TLS 1.3";
        fail(ConnectionError::TlsHandshakeFailed);
        return;
    }
    m_connectTimer.stop();
    m_reconnectAttempt = 0;
    m_lastError = ConnectionError::None;
    const bool again = m_everConnected;
    m_everConnected = true;
    setState(State::Connected);
    qCInfo(lcNet) << "connected to server" << m_endpoint.host << m_endpoint.port;

    for (auto& [id, pending] : m_pending) {
        if (!pending.sent) {
            m_socket->sendBinaryMessage(pending.frame);
            pending.sent = true;
            pending.frame.clear();
        }
    }
    QPointer<ServerConnection> self(this);
    Q_EMIT connected();
    if (self && again && m_state == State::Connected)
        Q_EMIT reconnected();
}

void ServerConnection::onBinaryMessage(const QByteArray& message) {
    cinder::api::Envelope envelope;
    if (!envelope.ParseFromArray(message.constData(), static_cast<int>(message.size()))) {
        qCWarning(lcNet) << "server sent a frame that is not an Envelope; closing";
        fail(ConnectionError::MalformedFrame);
        return;
    }
    switch (envelope.kind_case()) {
    case cinder::api::Envelope::kResponse:
        onResponse(envelope.response());
        return;
    case cinder::api::Envelope::kPush:
        Q_EMIT push(envelope.push());
        return;
    case cinder::api::Envelope::kRequest:
    case cinder::api::Envelope::KIND_NOT_SET:
        break;
    }
    qCWarning(lcNet) << "server sent an Envelope a client cannot accept; closing";
    fail(ConnectionError::MalformedFrame);
}

void ServerConnection::onResponse(const cinder::api::Response& response) {
    const auto it = m_pending.find(response.id());
    if (it == m_pending.end() || !it->second.sent) {
        ++m_unknownResponses;
        qCDebug(lcNet) << "ignoring a response to an unknown request id";
        return;
    }
    Pending pending = std::move(it->second);
    m_pending.erase(it);

    Reply reply;
    reply.id = response.id();
    reply.status = response.status();
    reply.error = QString::fromStdString(response.error());
    reply.body = QByteArray::fromStdString(response.body());
    reply.retryAfterMs = response.retry_after_ms();
    deliver(pending, reply);
}

void ServerConnection::fail(ConnectionError reason) {
    if (m_state != State::Connecting && m_state != State::Connected)
        return;
    m_connectTimer.stop();
    releaseSocket(reason == ConnectionError::MalformedFrame);
    m_lastError = reason;
    const bool retry = m_autoReconnect && reason != ConnectionError::InvalidEndpoint;
    if (retry)
        scheduleReconnect();
    else
        setState(State::Disconnected);
    qCInfo(lcNet) << "disconnected:" << reason;

    QPointer<ServerConnection> self(this);
    failAll(reason);
    if (self)
        Q_EMIT disconnected(reason);
}

void ServerConnection::scheduleReconnect() {
    const double grown =
        m_backOff.initialDelayMs * std::pow(m_backOff.multiplier, m_reconnectAttempt);
    const double capped = std::min(grown, static_cast<double>(m_backOff.maxDelayMs));
    const double jitter = capped * m_backOff.jitter * QRandomGenerator::global()->generateDouble();
    const int delay = std::max(1, static_cast<int>(capped - jitter));
    if (m_reconnectAttempt < 64)
        ++m_reconnectAttempt;
    qCInfo(lcNet) << "reconnecting in" << delay << "ms";
    setState(State::WaitingToReconnect);
    m_reconnectTimer.start(delay);
}

void ServerConnection::releaseSocket(bool protocolError) {
    QWebSocket* socket = std::exchange(m_socket, nullptr);
    if (!socket)
        return;
    socket->disconnect(this);
    // Not a child any more: this object may be going away inside one of the socket's own
    // signals (a reply handler deleting its connection), and the socket must outlive that.
    socket->setParent(nullptr);
    if (protocolError)
        socket->close(QWebSocketProtocol::CloseCodeProtocolError,
                      QStringLiteral("malformed frame"));
    else
        socket->abort();
    socket->deleteLater();
}

void ServerConnection::failAll(ConnectionError reason) {
    std::map<quint64, Pending> pending;
    pending.swap(m_pending);
    for (auto& [id, entry] : pending) {
        Reply reply;
        reply.id = id;
        reply.transportError = reason;
        deliver(entry, reply);
    }
}

void ServerConnection::failOne(quint64 id, ConnectionError reason) {
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending pending = std::move(it->second);
    m_pending.erase(it);
    Reply reply;
    reply.id = id;
    reply.transportError = reason;
    deliver(pending, reply);
}

void ServerConnection::deliver(Pending& pending, const Reply& reply) {
    if (pending.hasContext && !pending.context)
        return;
    if (pending.handler)
        pending.handler(reply);
}

void ServerConnection::setState(State state) {
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

quint64 ServerConnection::request(cinder::api::Verb verb, const QByteArray& body,
                                  const QObject* context, ReplyHandler handler) {
    const quint64 id = m_nextId++;
    cinder::api::Envelope envelope;
    auto* request = envelope.mutable_request();
    request->set_id(id);
    request->set_verb(verb);
    request->set_body(body.constData(), static_cast<std::size_t>(body.size()));

    Pending pending;
    pending.hasContext = context != nullptr;
    pending.context = context;
    pending.handler = std::move(handler);
    pending.frame = QByteArray::fromStdString(envelope.SerializeAsString());

    if (m_state == State::Connected && m_socket) {
        m_socket->sendBinaryMessage(pending.frame);
        pending.sent = true;
        pending.frame.clear();
        m_pending.emplace(id, std::move(pending));
    } else if (m_state == State::Connecting) {
        m_pending.emplace(id, std::move(pending)); // sent by onSocketConnected()
    } else {
        m_pending.emplace(id, std::move(pending));
        QTimer::singleShot(0, this, [this, id] { failOne(id, ConnectionError::NotConnected); });
    }
    return id;
}

quint64 ServerConnection::request(cinder::api::Verb verb, const google::protobuf::Message& body,
                                  const QObject* context, ReplyHandler handler) {
    return request(verb, QByteArray::fromStdString(body.SerializeAsString()), context,
                   std::move(handler));
}

Reply ServerConnection::requestAndWait(cinder::api::Verb verb, const QByteArray& body,
                                       int timeoutMs) {
    QEventLoop loop;
    Reply result;
    bool done = false;
    const quint64 id = request(verb, body, &loop, [&](const Reply& reply) {
        result = reply;
        done = true;
        loop.quit();
    });
    if (!done) {
        QTimer timer;
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
        QPointer<ServerConnection> self(this);
        loop.exec();
        if (!done && self)
            cancel(id);
    }
    if (!done) {
        result = Reply{};
        result.id = id;
        result.transportError = ConnectionError::Timeout;
    }
    return result;
}

Reply ServerConnection::requestAndWait(cinder::api::Verb verb,
                                       const google::protobuf::Message& body, int timeoutMs) {
    return requestAndWait(verb, QByteArray::fromStdString(body.SerializeAsString()), timeoutMs);
}

void ServerConnection::cancel(quint64 id) {
    m_pending.erase(id);
}

} // namespace cinder::net
