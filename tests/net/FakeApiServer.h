// SPDX-License-Identifier: Apache-2.0
#pragma once

// A scripted stand-in for cinder-server in net tests: a TLS 1.3 QWebSocketServer that records
// the requests it receives and answers, pushes, misbehaves or drops clients when told to.

#include "tests/support/TestCertificate.h"

#include "cinder/api.pb.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>

QT_BEGIN_NAMESPACE
class QWebSocket;
class QWebSocketServer;
QT_END_NAMESPACE

namespace cinder::test {

class FakeApiServer : public QObject {
    Q_OBJECT

public:
    explicit FakeApiServer(QObject* parent = nullptr);
    ~FakeApiServer() override;

    // Listens on 127.0.0.1:`port` (0 = any free port) presenting the leaf, then `extraChain`,
    // with the leaf's key, speaking `protocol`. Returns false when it cannot listen.
    bool listen(const TestCertificate& leaf, quint16 port = 0,
                const QList<QSslCertificate>& extraChain = {},
                QSsl::SslProtocol protocol = QSsl::TlsV1_3OrLater);
    // Stops listening and aborts every client.
    void stop();
    [[nodiscard]] quint16 port() const { return m_port; }

    // When on, every request is answered STATUS_OK at once with its own body echoed back.
    void setEcho(bool echo) { m_echo = echo; }

    [[nodiscard]] const QList<cinder::api::Request>& requests() const { return m_requests; }
    [[nodiscard]] int clientCount() const { return static_cast<int>(m_clients.size()); }
    [[nodiscard]] int connectionsAccepted() const { return m_accepted; }

    // To the newest client:
    void respond(quint64 id, cinder::api::Status status, const QByteArray& body = {},
                 const QString& error = {}, quint32 retryAfterMs = 0);
    void sendPush(const cinder::api::Push& push);
    void sendEnvelope(const cinder::api::Envelope& envelope);
    void sendRaw(const QByteArray& frame);
    void sendText(const QString& text);
    void dropClients();

Q_SIGNALS:
    void requestReceived(const cinder::api::Request& request);

private:
    void onNewConnection();
    [[nodiscard]] QWebSocket* newestClient() const;

    QWebSocketServer* m_server = nullptr;
    QList<QPointer<QWebSocket>> m_clients;
    QList<cinder::api::Request> m_requests;
    quint16 m_port = 0;
    int m_accepted = 0;
    bool m_echo = false;
};

} // namespace cinder::test
