// SPDX-License-Identifier: Apache-2.0
#pragma once

// The real ServerChannel. The ServerConnection and its socket live on a network thread of
// their own; the session calls the server with plain blocking calls from its own thread, so
// each operation reads top to bottom and nothing re-enters it while it waits. Pushes and
// connection changes arrive on the thread that owns the channel, as queued signals, after the
// current operation has finished.

#include "client/ServerChannel.h"

#include <QThread>

#include <atomic>
#include <mutex>

namespace cinder::client {

class ApiChannel final : public ServerChannel {
    Q_OBJECT
public:
    explicit ApiChannel(QObject* parent = nullptr);
    ~ApiChannel() override;

    void open(const net::ServerEndpoint& endpoint,
              const net::ServerConnection::BackOff& backOff) override;
    void close() override;
    [[nodiscard]] bool isConnected() const override { return m_connected.load(); }
    [[nodiscard]] QByteArray serverKeySha256() const override;

    using ServerChannel::call;
    // Blocks the calling thread (never the network thread) until the reply or the timeout.
    [[nodiscard]] net::Reply call(api::Verb verb, const QByteArray& body, int timeoutMs) override;

private:
    QThread m_thread;
    net::ServerConnection* m_connection = nullptr; // lives on m_thread
    std::atomic<bool> m_connected{false};
    mutable std::mutex m_serverKeyMutex;
    QByteArray m_serverKey; // of the current connection, set on the network thread
};

} // namespace cinder::client
