// SPDX-License-Identifier: Apache-2.0
#include "client/ApiChannel.h"

#include <QMetaObject>

#include <condition_variable>
#include <memory>
#include <mutex>

namespace cinder::client {

namespace {

// One blocking call: the network thread fills it in, the caller waits for it.
struct Waiter {
    std::mutex mutex;
    std::condition_variable ready;
    bool done = false;
    net::Reply reply;

    void complete(const net::Reply& value) {
        {
            const std::lock_guard lock(mutex);
            if (done) {
                return;
            }
            reply = value;
            done = true;
        }
        ready.notify_all();
    }
};

} // namespace

ApiChannel::ApiChannel(QObject* parent) : ServerChannel(parent) {
    qRegisterMetaType<cinder::api::Push>("cinder::api::Push");
    qRegisterMetaType<cinder::net::ConnectionError>("cinder::net::ConnectionError");
    m_thread.setObjectName(QStringLiteral("cinder-network"));
    m_connection = new net::ServerConnection();
    m_connection->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_connection, &QObject::deleteLater);

    // Direct connections run on the network thread and keep m_connected exact; the signals
    // they re-emit reach this object's thread queued.
    connect(
        m_connection, &net::ServerConnection::stateChanged, m_connection,
        [this](net::ServerConnection::State state) {
            const bool connected = state == net::ServerConnection::State::Connected;
            {
                const std::lock_guard lock(m_serverKeyMutex);
                m_serverKey = connected ? m_connection->peerPublicKeySha256() : QByteArray();
            }
            m_connected = connected;
        },
        Qt::DirectConnection);
    connect(m_connection, &net::ServerConnection::connected, this, &ApiChannel::connected);
    connect(m_connection, &net::ServerConnection::reconnected, this, &ApiChannel::connected);
    connect(m_connection, &net::ServerConnection::disconnected, this, &ApiChannel::disconnected);
    connect(m_connection, &net::ServerConnection::push, this, &ApiChannel::push);
    m_thread.start();
}

ApiChannel::~ApiChannel() {
    close();
    m_thread.quit();
    m_thread.wait();
}

void ApiChannel::open(const net::ServerEndpoint& endpoint,
                      const net::ServerConnection::BackOff& backOff) {
    net::ServerConnection* connection = m_connection;
    QMetaObject::invokeMethod(
        connection,
        [connection, endpoint, backOff] {
            connection->setBackOff(backOff);
            connection->setAutoReconnect(true);
            connection->open(endpoint);
        },
        Qt::QueuedConnection);
}

QByteArray ApiChannel::serverKeySha256() const {
    const std::lock_guard lock(m_serverKeyMutex);
    return m_serverKey;
}

void ApiChannel::close() {
    net::ServerConnection* connection = m_connection;
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(
            connection, [connection] { connection->close(); }, Qt::BlockingQueuedConnection);
    }
    m_connected = false;
}

net::Reply ApiChannel::call(api::Verb verb, const QByteArray& body, int timeoutMs) {
    auto waiter = std::make_shared<Waiter>();
    auto requestId = std::make_shared<std::atomic<quint64>>(0);
    net::ServerConnection* connection = m_connection;
    QMetaObject::invokeMethod(
        connection,
        [connection, verb, body, waiter, requestId] {
            requestId->store(
                connection->request(verb, body, nullptr, [waiter](const net::Reply& reply) {
                    waiter->complete(reply);
                }));
        },
        Qt::QueuedConnection);

    std::unique_lock lock(waiter->mutex);
    if (!waiter->ready.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                [&] { return waiter->done; })) {
        lock.unlock();
        QMetaObject::invokeMethod(
            connection, [connection, requestId] { connection->cancel(requestId->load()); },
            Qt::QueuedConnection);
        net::Reply timedOut;
        timedOut.transportError = net::ConnectionError::Timeout;
        return timedOut;
    }
    return waiter->reply;
}

} // namespace cinder::client
