// SPDX-License-Identifier: Apache-2.0
#include "server/core/HealthEndpoint.h"

#include "server/core/Metrics.h"
#include "server/core/ServerConfig.h"

#include <QTcpSocket>
#include <QTimer>

namespace cinder::server {

namespace {

void reply(QTcpSocket* socket, int status, const QByteArray& reason, const QByteArray& contentType,
           const QByteArray& body) {
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    response += "Content-Type: " + contentType + "\r\n";
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    response += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    response += body;
    socket->write(response);
    socket->disconnectFromHost();
}

} // namespace

HealthEndpoint::HealthEndpoint(std::function<bool()> healthy, QObject* parent)
    : QObject(parent), m_healthy(std::move(healthy)) {
    connect(&m_server, &QTcpServer::newConnection, this, &HealthEndpoint::onConnection);
}

QString HealthEndpoint::listen(const Endpoint& endpoint) {
    if (!m_server.listen(endpoint.address, endpoint.port)) {
        return QStringLiteral("cannot listen for health on %1: %2")
            .arg(endpoint.toString(), m_server.errorString());
    }
    return {};
}

void HealthEndpoint::onConnection() {
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        QTimer::singleShot(kHealthRequestTimeoutMs, socket, [socket] { socket->abort(); });
    }
}

void HealthEndpoint::onReadyRead(QTcpSocket* socket) {
    if (socket->property("cinder.answered").toBool()) {
        socket->readAll();
        return;
    }
    const QByteArray head = socket->peek(kMaxHealthRequestBytes);
    const auto end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() >= kMaxHealthRequestBytes) {
            socket->setProperty("cinder.answered", true);
            reply(socket, 431, "Request Header Fields Too Large", "text/plain", "too large\n");
        }
        return;
    }
    socket->readAll();
    socket->setProperty("cinder.answered", true);
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
        reply(socket, 400, "Bad Request", "text/plain", "bad request\n");
        return;
    }
    const QByteArray& method = requestLine[0];
    QByteArray path = requestLine[1];
    if (const auto query = path.indexOf('?'); query >= 0) {
        path.truncate(query);
    }
    if (method != "GET") {
        reply(socket, 405, "Method Not Allowed", "text/plain", "GET only\n");
        return;
    }
    if (path == "/health") {
        if (m_healthy && m_healthy()) {
            reply(socket, 200, "OK", "text/plain", "ok\n");
        } else {
            reply(socket, 503, "Service Unavailable", "text/plain", "unavailable\n");
        }
    } else if (path == "/metrics") {
        reply(socket, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
              Metrics::instance().exposition());
    } else {
        reply(socket, 404, "Not Found", "text/plain", "not found\n");
    }
}

} // namespace cinder::server
