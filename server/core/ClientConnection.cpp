// SPDX-License-Identifier: Apache-2.0
#include "server/core/ClientConnection.h"

#include "server/core/EnvelopeFraming.h"
#include "server/core/Log.h"
#include "server/core/Metrics.h"

#include <QSslSocket>
#include <QWebSocket>

#include <string>
#include <string_view>

namespace cinder::server {

namespace {

// RFC 6455 allows 123 bytes of close reason.
constexpr qsizetype kMaxCloseReasonBytes = 123;

QString closeReason(const QString& reason) {
    QByteArray utf8 = reason.toUtf8();
    if (utf8.size() > kMaxCloseReasonBytes) {
        utf8.truncate(kMaxCloseReasonBytes);
        // Drop a cut multi-byte sequence.
        while (!utf8.isEmpty() && (static_cast<unsigned char>(utf8.back()) & 0xc0U) == 0x80U) {
            utf8.chop(1);
        }
        if (!utf8.isEmpty() && (static_cast<unsigned char>(utf8.back()) & 0x80U) != 0) {
            utf8.chop(1);
        }
    }
    return QString::fromUtf8(utf8);
}

std::string statusLabel(api::Status status) {
    const std::string& name = api::Status_Name(status);
    return "status=\"" + (name.empty() ? std::string("unknown") : name) + "\"";
}

// A literal: no allocation on the delivery path.
std::string_view pushLabel(const api::Push& push) {
    switch (push.kind_case()) {
    case api::Push::kDelivery:
        return "kind=\"delivery\"";
    case api::Push::kPrekeysLow:
        return "kind=\"prekeys_low\"";
    case api::Push::kDeviceListChanged:
        return "kind=\"device_list_changed\"";
    case api::Push::kClosing:
        return "kind=\"closing\"";
    case api::Push::KIND_NOT_SET:
        break;
    }
    return "kind=\"none\"";
}

} // namespace

ClientConnection::ClientConnection(QWebSocket* socket, QSslSocket* transport, quint64 id,
                                   const ConnectionLimits& limits, QObject* parent)
    : QObject(parent), m_socket(socket), m_transport(transport), m_id(id), m_limits(limits),
      m_peerAddress(socket->peerAddress()), m_bucket(limits.rateLimit, monotonicNowMs()) {
    socket->setParent(this);
    if (limits.maxFrameBytes > 0) {
        const auto max = static_cast<quint64>(limits.maxFrameBytes);
        socket->setMaxAllowedIncomingFrameSize(max);
        socket->setMaxAllowedIncomingMessageSize(max);
    }
    connect(socket, &QWebSocket::binaryMessageReceived, this, &ClientConnection::onBinaryMessage);
    connect(socket, &QWebSocket::textMessageReceived, this, &ClientConnection::onTextMessage);
    connect(socket, &QWebSocket::disconnected, this, &ClientConnection::onDisconnected);
    connect(socket, &QWebSocket::bytesWritten, this, &ClientConnection::onBytesWritten);
    if (transport != nullptr) {
        // Emitted when ciphertext reached the kernel: the queue shrank.
        connect(transport, &QSslSocket::encryptedBytesWritten, this,
                &ClientConnection::onTransportWritten);
    }

    m_loginTimer.setSingleShot(true);
    connect(&m_loginTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcServer) << "connection" << m_id << "closed: no login in time";
        close(QStringLiteral("login timeout"));
    });
    if (limits.loginTimeoutMs > 0) {
        m_loginTimer.start(limits.loginTimeoutMs);
    }
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (m_socket) {
            m_socket->abort();
        }
        onDisconnected();
    });
}

ClientConnection::~ClientConnection() {
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr); // no slot calls while we go
    }
    // The TLS socket may belong to the QSslServer; make sure it goes with its WebSocket.
    if (m_transport) {
        m_transport->deleteLater();
    }
}

void ClientConnection::setAuthenticated(const QByteArray& rootId, const QByteArray& nodeId) {
    if (m_state != State::Open || nodeId.isEmpty()) {
        return;
    }
    m_rootId = rootId;
    m_nodeId = nodeId;
    m_challengeNonce.clear();
    m_loginTimer.stop();
    emit authenticated(m_id);
}

std::int64_t ClientConnection::queuedBytes() const {
    if (m_transport) {
        // Plaintext not yet encrypted plus ciphertext not yet taken by the kernel.
        return m_transport->bytesToWrite() + m_transport->encryptedBytesToWrite();
    }
    return m_unconfirmedBytes;
}

void ClientConnection::onBytesWritten(qint64 bytes) {
    m_unconfirmedBytes = std::max<std::int64_t>(0, m_unconfirmedBytes - bytes);
    if (!m_transport) {
        onTransportWritten();
    }
}

bool ClientConnection::canSendMore() const {
    return m_limits.maxQueuedBytes <= 0 || queuedBytes() < m_limits.maxQueuedBytes / 2;
}

bool ClientConnection::canDispatch() const {
    return m_pendingCount < m_limits.maxInFlight && canSendMore();
}

void ClientConnection::onTransportWritten() {
    if (m_state != State::Open || !canSendMore()) {
        return;
    }
    if (m_congested) {
        m_congested = false;
        emit outboundDrained(m_id);
    }
    if (!m_inbox.isEmpty()) {
        scheduleInbox();
    }
}

void ClientConnection::scheduleInbox() {
    if (m_inboxScheduled) {
        return;
    }
    m_inboxScheduled = true;
    // Queued: finishing a request inside dispatch() must not recurse into the next one.
    QMetaObject::invokeMethod(this, &ClientConnection::processInbox, Qt::QueuedConnection);
}

void ClientConnection::processInbox() {
    m_inboxScheduled = false;
    while (m_state == State::Open && !m_inbox.isEmpty() && canDispatch()) {
        const QByteArray frame = m_inbox.takeFirst();
        m_inboxBytes -= frame.size();
        processFrame(frame);
    }
}

bool ClientConnection::send(const api::Envelope& envelope) {
    if (m_state != State::Open || !m_socket) {
        return false;
    }
    const auto size = static_cast<std::int64_t>(envelope.ByteSizeLong());
    const std::int64_t queued = queuedBytes();
    // One message of any size may go out on an empty queue; beyond that the reader must keep up.
    if (m_limits.maxQueuedBytes > 0 && queued > 0 && queued + size > m_limits.maxQueuedBytes) {
        Metrics::instance().add(metric::kSlowReaderDisconnects);
        qCInfo(lcServer) << "connection" << m_id << "cut: slow reader with" << queued
                         << "bytes queued";
        abort(QStringLiteral("slow reader"));
        return false;
    }
    QByteArray bytes(static_cast<qsizetype>(size), Qt::Uninitialized);
    if (!envelope.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()))) {
        qCWarning(lcServer) << "connection" << m_id << "could not serialize an envelope";
        return false;
    }
    m_unconfirmedBytes += size;
    m_socket->sendBinaryMessage(bytes);
    if (!canSendMore()) {
        m_congested = true;
    }
    Metrics::instance().add(metric::kBytesOut, size);
    return true;
}

void ClientConnection::respond(quint64 requestId, api::Status status, const QByteArray& body,
                               const QString& error, quint32 retryAfterMs) {
    api::Envelope envelope;
    auto* response = envelope.mutable_response();
    response->set_id(requestId);
    response->set_status(status);
    if (!body.isEmpty()) {
        response->set_body(body.constData(), static_cast<std::size_t>(body.size()));
    }
    if (!error.isEmpty()) {
        response->set_error(error.toStdString());
    }
    response->set_retry_after_ms(retryAfterMs);
    if (send(envelope)) {
        Metrics::instance().add(metric::kResponses, 1, statusLabel(status));
    }
    finishRequest(requestId); // after the answer is queued: finishing may start a shutdown
}

void ClientConnection::respond(quint64 requestId, const google::protobuf::Message& body) {
    api::Envelope envelope;
    auto* response = envelope.mutable_response();
    response->set_id(requestId);
    response->set_status(api::STATUS_OK);
    if (!body.SerializeToString(response->mutable_body())) {
        response->set_status(api::STATUS_INTERNAL);
        response->clear_body();
    }
    const auto status = response->status();
    if (send(envelope)) {
        Metrics::instance().add(metric::kResponses, 1, statusLabel(status));
    }
    finishRequest(requestId);
}

void ClientConnection::push(api::Push push) {
    const std::string_view label = pushLabel(push);
    const bool delivery = push.has_delivery();
    api::Envelope envelope;
    *envelope.mutable_push() = std::move(push);
    if (send(envelope)) {
        Metrics::instance().add(metric::kPushes, 1, label);
        if (delivery) {
            Metrics::instance().add(metric::kDeliveriesPushed);
        }
    }
}

void ClientConnection::close(const QString& reason) {
    closeWithCode(QWebSocketProtocol::CloseCodeNormal, reason, true);
}

void ClientConnection::closeWithCode(int closeCode, const QString& reason, bool sendClosingPush) {
    if (m_state != State::Open) {
        return;
    }
    if (sendClosingPush) {
        api::Push closing;
        closing.mutable_closing()->set_reason(reason.toStdString());
        push(closing);
        if (m_state != State::Open) {
            return; // cut as a slow reader while sending the push
        }
    }
    m_state = State::Closing;
    m_loginTimer.stop();
    if (m_socket) {
        m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(closeCode), closeReason(reason));
    }
    if (m_state == State::Closing) {
        m_closeTimer.start(m_limits.closeTimeoutMs);
    }
}

void ClientConnection::abort(const QString& reason) {
    if (m_state == State::Closed) {
        return;
    }
    qCDebug(lcServer) << "connection" << m_id << "aborted:" << reason;
    m_state = State::Closing;
    if (m_socket) {
        m_socket->abort();
    }
    onDisconnected();
}

void ClientConnection::beginRequest(quint64 requestId) {
    ++m_pending[requestId];
    ++m_pendingCount;
}

void ClientConnection::finishRequest(quint64 requestId) {
    const auto it = m_pending.find(requestId);
    if (it == m_pending.end()) {
        return;
    }
    if (--it.value() == 0) {
        m_pending.erase(it);
    }
    --m_pendingCount;
    emit requestFinished(m_id);
    if (!m_inbox.isEmpty()) {
        scheduleInbox();
    }
}

bool ClientConnection::takeRateToken(std::int64_t nowMs, std::uint32_t& retryAfterMs) {
    return m_bucket.take(nowMs, retryAfterMs);
}

void ClientConnection::onBinaryMessage(const QByteArray& frame) {
    if (m_state != State::Open) {
        return;
    }
    Metrics::instance().add(metric::kBytesIn, frame.size());
    if (!isAuthenticated() && m_limits.loginTimeoutMs > 0) {
        m_loginTimer.start(m_limits.loginTimeoutMs); // idle time counts from the last frame
    }
    if (m_limits.maxFrameBytes > 0 && frame.size() > m_limits.maxFrameBytes) {
        Metrics::instance().add(metric::kMalformedFrames);
        closeWithCode(QWebSocketProtocol::CloseCodeTooMuchData, QStringLiteral("frame too large"),
                      true);
        return;
    }
    if (!m_inbox.isEmpty() || !canDispatch()) {
        if (m_limits.maxQueuedBytes > 0 && m_inboxBytes + frame.size() > m_limits.maxQueuedBytes) {
            Metrics::instance().add(metric::kSlowReaderDisconnects);
            qCInfo(lcServer) << "connection" << m_id << "cut: too many requests waiting";
            abort(QStringLiteral("inbox full"));
            return;
        }
        m_inbox.append(frame);
        m_inboxBytes += frame.size();
        return;
    }
    processFrame(frame);
}

void ClientConnection::processFrame(const QByteArray& frame) {
    DecodedFrame decoded = decodeFrame(frame);
    switch (decoded.kind) {
    case DecodedFrame::Kind::Request:
        emit requestReceived(*this, decoded.request);
        return;
    case DecodedFrame::Kind::BadRequest:
        Metrics::instance().add(metric::kMalformedFrames);
        qCDebug(lcServer) << "connection" << m_id << "bad frame:" << decoded.reason;
        respond(decoded.requestId, api::STATUS_BAD_REQUEST, {}, decoded.reason);
        return;
    case DecodedFrame::Kind::Close:
        Metrics::instance().add(metric::kMalformedFrames);
        qCDebug(lcServer) << "connection" << m_id << "closed on a bad frame:" << decoded.reason;
        closeWithCode(QWebSocketProtocol::CloseCodeProtocolError, decoded.reason, true);
        return;
    }
}

void ClientConnection::onTextMessage(const QString& /*text*/) {
    Metrics::instance().add(metric::kMalformedFrames);
    closeWithCode(QWebSocketProtocol::CloseCodeDatatypeNotSupported,
                  QStringLiteral("text frames are not supported; send binary Envelope messages"),
                  true);
}

void ClientConnection::onDisconnected() {
    if (m_state == State::Closed) {
        return;
    }
    m_state = State::Closed;
    m_loginTimer.stop();
    m_closeTimer.stop();
    m_pending.clear();
    m_inbox.clear();
    m_inboxBytes = 0;
    const int dropped = m_pendingCount;
    m_pendingCount = 0;
    for (int i = 0; i < dropped; ++i) {
        emit requestFinished(m_id);
    }
    emit closed(m_id);
}

} // namespace cinder::server
