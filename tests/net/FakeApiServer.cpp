// SPDX-License-Identifier: Apache-2.0
#include "tests/net/FakeApiServer.h"

#include <QSslConfiguration>
#include <QWebSocket>
#include <QWebSocketServer>

namespace cinder::test {

FakeApiServer::FakeApiServer(QObject* parent) : QObject(parent) {}

FakeApiServer::~FakeApiServer() {
    stop();
}

bool FakeApiServer::listen(const TestCertificate& leaf, quint16 port,
                           const QList<QSslCertificate>& extraChain, QSsl::SslProtocol protocol) {
    stop();
    m_server =
        new QWebSocketServer(QStringLiteral("fake-cinder"), QWebSocketServer::SecureMode, this);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(protocol);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    tls.setLocalCertificateChain(QList<QSslCertificate>{leaf.certificate()} + extraChain);
    tls.setPrivateKey(leaf.privateKey());
    m_server->setSslConfiguration(tls);
    connect(m_server, &QWebSocketServer::newConnection, this, &FakeApiServer::onNewConnection);
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server->serverPort();
    return true;
}

void FakeApiServer::stop() {
    dropClients();
    if (m_server) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
}

void FakeApiServer::onNewConnection() {
    while (QWebSocket* client = m_server->nextPendingConnection()) {
        client->setParent(this);
        ++m_accepted;
        m_clients.append(client);
        connect(
            client, &QWebSocket::binaryMessageReceived, this,
            [this, client](const QByteArray& frame) {
                cinder::api::Envelope envelope;
                if (!envelope.ParseFromArray(frame.constData(), static_cast<int>(frame.size())) ||
                    !envelope.has_request())
                    return;
                m_requests.append(envelope.request());
                Q_EMIT requestReceived(envelope.request());
                if (m_echo) {
                    cinder::api::Envelope answer;
                    auto* response = answer.mutable_response();
                    response->set_id(envelope.request().id());
                    response->set_status(cinder::api::STATUS_OK);
                    response->set_body(envelope.request().body());
                    client->sendBinaryMessage(
                        QByteArray::fromStdString(answer.SerializeAsString()));
                }
            });
        connect(client, &QWebSocket::disconnected, this, [this, client] {
            m_clients.removeAll(client);
            client->deleteLater();
        });
    }
}

QWebSocket* FakeApiServer::newestClient() const {
    for (auto it = m_clients.crbegin(); it != m_clients.crend(); ++it) {
        if (*it)
            return *it;
    }
    return nullptr;
}

void FakeApiServer::respond(quint64 id, cinder::api::Status status, const QByteArray& body,
                            const QString& error, quint32 retryAfterMs) {
    cinder::api::Envelope envelope;
    auto* response = envelope.mutable_response();
    response->set_id(id);
    response->set_status(status);
    response->set_body(body.toStdString());
    response->set_error(error.toStdString());
    response->set_retry_after_ms(retryAfterMs);
    sendEnvelope(envelope);
}

void FakeApiServer::sendPush(const cinder::api::Push& push) {
    cinder::api::Envelope envelope;
    *envelope.mutable_push() = push;
    sendEnvelope(envelope);
}

void FakeApiServer::sendEnvelope(const cinder::api::Envelope& envelope) {
    sendRaw(QByteArray::fromStdString(envelope.SerializeAsString()));
}

void FakeApiServer::sendRaw(const QByteArray& frame) {
    if (QWebSocket* client = newestClient())
        client->sendBinaryMessage(frame);
}

void FakeApiServer::sendText(const QString& text) {
    if (QWebSocket* client = newestClient())
        client->sendTextMessage(text);
}

void FakeApiServer::dropClients() {
    const auto clients = std::exchange(m_clients, {});
    for (const QPointer<QWebSocket>& client : clients) {
        if (client) {
            client->disconnect(this);
            client->abort();
            client->deleteLater();
        }
    }
}

} // namespace cinder::test
