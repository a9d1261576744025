// SPDX-License-Identifier: Apache-2.0
#pragma once

// The session's line to cinder-server. The ServerConnection and its socket live on a network
// thread of their own; the session calls the server with plain blocking calls from its own
// thread, so each operation reads top to bottom and nothing re-enters it while it waits. Pushes
// and connection changes arrive on the thread that owns the channel, as queued signals, after
// the current operation has finished.

#include "net/Reply.h"
#include "net/ServerConnection.h"
#include "net/ServerEndpoint.h"

#include "cinder/api.pb.h"

#include <QObject>
#include <QThread>

#include <atomic>

namespace cinder::client {

class ApiChannel : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 30000;

    explicit ApiChannel(QObject* parent = nullptr);
    ~ApiChannel() override;
    ApiChannel(const ApiChannel&) = delete;
    ApiChannel& operator=(const ApiChannel&) = delete;

    // Connects, and reconnects with back-off whenever the connection drops, until close().
    void open(const net::ServerEndpoint& endpoint, const net::ServerConnection::BackOff& backOff);
    void close();
    [[nodiscard]] bool isConnected() const { return m_connected.load(); }

    // One request; blocks the calling thread (never the network thread) until the reply or
    // the timeout (then the reply carries ConnectionError::Timeout).
    [[nodiscard]] net::Reply call(api::Verb verb, const google::protobuf::Message& body,
                                  int timeoutMs = kDefaultTimeoutMs);
    [[nodiscard]] net::Reply call(api::Verb verb, const QByteArray& body,
                                  int timeoutMs = kDefaultTimeoutMs);

Q_SIGNALS:
    // Every time a connection is up (first time and after each reconnect): log in now.
    void connected();
    void disconnected(cinder::net::ConnectionError reason);
    void push(const cinder::api::Push& push);

private:
    QThread m_thread;
    net::ServerConnection* m_connection = nullptr; // lives on m_thread
    std::atomic<bool> m_connected{false};
};

} // namespace cinder::client
