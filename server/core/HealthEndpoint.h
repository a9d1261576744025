// SPDX-License-Identifier: Apache-2.0
#pragma once

// A minimal plain-HTTP/1.1 endpoint for operators (docs/SERVER.md, "Health and metrics"):
//   GET /health  -> 200 "ok", or 503 while shutting down or when the dispatcher is unhealthy
//   GET /metrics -> Metrics::exposition() (Prometheus text format 0.0.4)
// One request per connection; bind it to a loopback or management address only.

#include <QObject>
#include <QString>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace cinder::server {

struct Endpoint;

inline constexpr qsizetype kMaxHealthRequestBytes = 8192;
inline constexpr int kHealthRequestTimeoutMs = 5000;

class HealthEndpoint : public QObject {
    Q_OBJECT
public:
    // `healthy` is asked on each GET /health.
    explicit HealthEndpoint(std::function<bool()> healthy, QObject* parent = nullptr);

    // Returns an error message, empty on success.
    [[nodiscard]] QString listen(const Endpoint& endpoint);
    [[nodiscard]] quint16 serverPort() const { return m_server.serverPort(); }

private:
    void onConnection();
    void onReadyRead(QTcpSocket* socket);

    std::function<bool()> m_healthy;
    QTcpServer m_server;
};

} // namespace cinder::server
