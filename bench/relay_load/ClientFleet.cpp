// SPDX-License-Identifier: Apache-2.0
//
// Shard (login, sending, pacing, receiving and acknowledging on one thread), Fleet and openAll.

#include "ClientFleet.h"

#include "Bytes.h"
#include "MainLoop.h"
#include "ProtocolFixture.h"

// Q_OS_LINUX comes from the Qt headers included above.
#ifdef Q_OS_LINUX
#include "server/core/EpollEventDispatcher.h"
#endif

#include <QElapsedTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <limits>

namespace cinder::bench {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

} // namespace

using test::take;

void Shard::open(const std::vector<Spec>& specs, const net::ServerEndpoint& endpoint,
                 const std::string& payload, int maxOpening) {
    m_endpoint = endpoint;
    m_maxOpening = maxOpening;
    for (const Spec& spec : specs) {
        auto conn = std::make_unique<Conn>();
        conn->owner = this;
        conn->identity = spec.identity;
        if (!spec.target.empty()) {
            conn->send.set_packet(payload);
            conn->send.add_recipient_node_ids(spec.target);
        }
        conn->acks.reserve(static_cast<std::size_t>(m_options.ackBatch));
        m_conns.push_back(std::move(conn));
    }
    latencyUs.reserve(1 << 20);
    tickLateUs.reserve(1 << 16);
    m_ackTimer = new QTimer(this);
    m_ackTimer->setInterval(20);
    QObject::connect(m_ackTimer, &QTimer::timeout, this, [this] { flushOldAcks(); });
    m_ackTimer->start();
    // Windows opened by receivers on other threads are refilled here.
    m_refillTimer = new QTimer(this);
    m_refillTimer->setTimerType(Qt::PreciseTimer);
    m_refillTimer->setInterval(1);
    QObject::connect(m_refillTimer, &QTimer::timeout, this, [this] {
        if (m_traffic != Traffic::Throughput)
            return;
        for (auto& conn : m_conns)
            fillWindow(*conn);
    });
    m_nextToOpen = 0;
    openMore();
}

void Shard::startTraffic(Traffic traffic, double ratePerSecond) {
    m_traffic = traffic;
    if (traffic == Traffic::Throughput) {
        for (auto& conn : m_conns)
            fillWindow(*conn);
        if (m_options.threads > 1)
            m_refillTimer->start();
        return;
    }
    m_rate = ratePerSecond;
    m_pacedSent = 0;
    m_pacedStartNs = nowNs();
    m_nextPaced = 0;
    if (!m_paceTimer) {
        m_paceTimer = new QTimer(this);
        m_paceTimer->setTimerType(Qt::PreciseTimer);
        m_paceTimer->setInterval(1);
        QObject::connect(m_paceTimer, &QTimer::timeout, this, [this] { pace(); });
    }
    m_paceTimer->start();
}

void Shard::stopTraffic() {
    m_traffic = Traffic::None;
    if (m_paceTimer)
        m_paceTimer->stop();
    if (m_refillTimer)
        m_refillTimer->stop();
}

void Shard::flushAllAcks() {
    for (auto& conn : m_conns)
        if (!conn->acks.empty())
            flushAcks(*conn);
}

void Shard::resetCounters() {
    sentOk = 0;
    received = 0;
    measured = 0;
    ackRequests = 0;
    pacedSkipped = 0;
    latencyUs.clear();
    tickLateUs.clear();
    m_lastTickNs = 0;
}

void Shard::closeAll() {
    m_closing = true;
    if (m_ackTimer)
        m_ackTimer->stop();
    if (m_paceTimer)
        m_paceTimer->stop();
    if (m_refillTimer)
        m_refillTimer->stop();
    for (auto& conn : m_conns) {
        delete conn->link;
        conn->link = nullptr;
    }
    m_conns.clear();
}

void Shard::openMore() {
    while (m_opening < m_maxOpening && m_nextToOpen < m_conns.size()) {
        Conn& conn = *m_conns[m_nextToOpen++];
        ++m_opening;
        conn.link = new net::ServerConnection(this);
        conn.link->setConnectTimeout(120000);
        QObject::connect(conn.link, &net::ServerConnection::connected, this,
                         [this, c = &conn] { challenge(*c); });
        QObject::connect(conn.link, &net::ServerConnection::disconnected, this,
                         [this, c = &conn](net::ConnectionError reason) {
                             if (m_closing || c->gone)
                                 return;
                             c->gone = true;
                             if (c->loggedIn) {
                                 if (++m_shared.lostConnections <= 3)
                                     std::printf("connection lost: %d\n", int(reason));
                             } else {
                                 loginFailed(*c,
                                             QStringLiteral("connect error %1").arg(int(reason)));
                             }
                         });
        QObject::connect(conn.link, &net::ServerConnection::push, this,
                         [this, c = &conn](const api::Push& push) { onPush(*c, push); });
        conn.link->open(m_endpoint);
    }
}

void Shard::loginFailed(Conn& conn, const QString& why) {
    if (++m_shared.loginFailures <= 3)
        std::printf("login failed: %s\n", qPrintable(why));
    conn.gone = true;
    --m_opening;
    openMore();
}

void Shard::challenge(Conn& conn) {
    api::AuthChallengeRequest request;
    request.set_root_id(str(conn.identity->rootId()));
    request.set_node_id(str(conn.identity->id()));
    conn.link->request(
        api::VERB_AUTH_CHALLENGE, request, this, [this, c = &conn](const net::Reply& reply) {
            if (m_closing)
                return;
            api::AuthChallenge challenge;
            if (!reply.ok() || !reply.parseBody(challenge)) {
                loginFailed(*c, QStringLiteral("challenge: ") + reply.error);
                return;
            }
            api::AuthProof proof;
            proof.set_root_id(str(c->identity->rootId()));
            proof.set_node_id(str(c->identity->id()));
            proof.set_signature(str(take(c->identity->signLoginChallenge(
                crypto::asBytes(challenge.nonce()), challenge.server_name()))));
            c->link->request(api::VERB_AUTH_PROOF, proof, this,
                             [this, c](const net::Reply& proofReply) {
                                 if (m_closing)
                                     return;
                                 if (!proofReply.ok()) {
                                     loginFailed(*c, QStringLiteral("proof: ") + proofReply.error);
                                     return;
                                 }
                                 c->loggedIn = true;
                                 ++m_shared.loggedIn;
                                 --m_opening;
                                 openMore();
                             });
        });
}

void Shard::sendOne(Conn& conn) {
    std::string* packet = conn.send.mutable_packet();
    const Stamp stamp{nowNs(), m_generation, &conn};
    std::memcpy(packet->data(), &stamp, sizeof stamp);
    ++conn.sent;
    ++conn.inFlight;
    ++inFlight;
    conn.link->request(api::VERB_SEND, conn.send, this,
                       [this, c = &conn](const net::Reply& reply) { onSent(*c, reply); });
}

// End to end: a connection has at most `window` packets sent and not yet received.
bool Shard::hasRoom(const Conn& conn, int window) {
    return conn.loggedIn && !conn.gone && conn.send.recipient_node_ids_size() > 0 &&
           conn.sent - conn.delivered.load(std::memory_order_relaxed) <
               static_cast<std::uint64_t>(window);
}

void Shard::fillWindow(Conn& conn) {
    while (hasRoom(conn, m_options.window))
        sendOne(conn);
}

void Shard::onSent(Conn& conn, const net::Reply& reply) {
    if (m_closing)
        return;
    --conn.inFlight;
    --inFlight;
    if (reply.ok()) {
        ++sentOk;
    } else if (++m_shared.sendErrors <= 3) {
        std::printf("send failed: status %d transport %d %s\n", int(reply.status),
                    int(reply.transportError), qPrintable(reply.error));
    }
    if (m_traffic == Traffic::Throughput && reply.ok())
        fillWindow(conn);
}

void Shard::pace() {
    const std::int64_t now = nowNs();
    if (m_lastTickNs != 0 && m_shared.phase.load() == Measure) {
        const std::int64_t lateUs = (now - m_lastTickNs) / 1000 - 1000;
        tickLateUs.push_back(static_cast<std::uint32_t>(
            std::clamp<std::int64_t>(lateUs, 0, std::numeric_limits<std::uint32_t>::max())));
    }
    m_lastTickNs = now;
    const double due = m_rate * double(nowNs() - m_pacedStartNs) / 1e9;
    auto toSend = static_cast<std::int64_t>(due) - m_pacedSent;
    const std::size_t count = m_conns.size();
    std::size_t tried = 0;
    while (toSend > 0 && count > 0) {
        Conn& conn = *m_conns[m_nextPaced];
        m_nextPaced = (m_nextPaced + 1) % count;
        if (hasRoom(conn, m_options.window)) {
            sendOne(conn);
            --toSend;
            ++m_pacedSent;
            tried = 0;
        } else if (++tried >= count) {
            pacedSkipped += static_cast<std::uint64_t>(toSend); // every window is full
            m_pacedSent += toSend;
            break;
        }
    }
}

void Shard::onPush(Conn& conn, const api::Push& push) {
    if (!push.has_delivery())
        return;
    const api::Delivery& delivery = push.delivery();
    const std::string& packet = delivery.packet();
    ++received;
    Stamp stamp{};
    if (packet.size() >= sizeof stamp)
        std::memcpy(&stamp, packet.data(), sizeof stamp);
    if (stamp.generation == m_generation && stamp.sender != nullptr) {
        Conn* sender = static_cast<Conn*>(stamp.sender);
        sender->delivered.fetch_add(1, std::memory_order_relaxed);
        if (sender->owner == this && m_traffic == Traffic::Throughput)
            fillWindow(*sender);
    }
    if (stamp.generation == m_generation && m_shared.phase.load() == Measure) {
        const std::int64_t micros = (nowNs() - stamp.sentNs) / 1000;
        latencyUs.push_back(static_cast<std::uint32_t>(
            std::clamp<std::int64_t>(micros, 0, std::numeric_limits<std::uint32_t>::max())));
        ++measured;
    }
    if (conn.acks.empty())
        conn.oldestAckNs = nowNs();
    conn.acks.push_back(delivery.delivery_id());
    if (static_cast<int>(conn.acks.size()) >= m_options.ackBatch)
        flushAcks(conn);
}

void Shard::flushOldAcks() {
    const bool draining = m_shared.phase.load() == Drain;
    const std::int64_t limit = nowNs() - std::int64_t{m_options.ackFlushMs} * 1000000;
    for (auto& conn : m_conns) {
        if (!conn->acks.empty() && (draining || conn->oldestAckNs <= limit))
            flushAcks(*conn);
    }
}

void Shard::flushAcks(Conn& conn) {
    if (!conn.link || conn.gone)
        return;
    m_ack.clear_delivery_ids();
    for (std::uint64_t id : conn.acks)
        m_ack.add_delivery_ids(id);
    conn.acks.clear();
    ++ackRequests;
    ++acksInFlight;
    conn.link->request(api::VERB_ACK, m_ack, this, [this](const net::Reply& reply) {
        if (m_closing)
            return;
        --acksInFlight;
        if (!reply.ok() && ++m_shared.ackErrors <= 3)
            std::printf("ack failed: status %d transport %d\n", int(reply.status),
                        int(reply.transportError));
    });
}

Fleet::Fleet(const Options& options, int threads) {
    static std::uint64_t generations = 0;
    const std::uint64_t generation = ++generations;
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("shard-%1").arg(i));
#ifdef Q_OS_LINUX
        // The generator waits with epoll like the server (and falls back with it).
        if (auto dispatcher = cinder::server::EpollEventDispatcher::createUnlessDisabled())
            thread->setEventDispatcher(dispatcher.release());
#endif
        thread->start();
        auto shard = std::make_unique<Shard>(shared, options, generation);
        shard->moveToThread(thread.get());
        threads_.push_back(std::move(thread));
        shards.push_back(std::move(shard));
    }
}

Fleet::~Fleet() {
    onEach([](Shard& shard) { shard.closeAll(); });
    for (std::size_t i = 0; i < shards.size(); ++i) {
        Shard* shard = shards[i].release();
        QMetaObject::invokeMethod(
            shard, [shard] { delete shard; }, Qt::BlockingQueuedConnection);
        threads_[i]->quit();
        threads_[i]->wait();
    }
}

double openAll(Fleet& fleet, const std::vector<Shard::Spec>& specs,
               const net::ServerEndpoint& endpoint, const std::string& payload) {
    const std::size_t shards = fleet.shards.size();
    std::vector<std::vector<Shard::Spec>> perShard(shards);
    for (std::size_t i = 0; i < specs.size(); ++i)
        perShard[i % shards].push_back(specs[i]);
    QElapsedTimer timer;
    timer.start();
    for (std::size_t s = 0; s < shards; ++s) {
        Shard* shard = fleet.shards[s].get();
        QMetaObject::invokeMethod(
            shard,
            [shard, list = perShard[s], endpoint, payload] {
                shard->open(list, endpoint, payload, 32);
            },
            Qt::QueuedConnection);
    }
    const int total = static_cast<int>(specs.size());
    int last = -1;
    qint64 lastProgress = 0;
    while (fleet.shared.loggedIn + fleet.shared.loginFailures < total) {
        spin(100);
        const int now = fleet.shared.loggedIn;
        if (now != last) {
            last = now;
            lastProgress = timer.elapsed();
        } else if (timer.elapsed() - lastProgress > 60000) {
            std::printf("login stalled at %d of %d\n", now, total);
            break;
        }
    }
    if (fleet.shared.loggedIn < total) {
        std::printf("only %d of %d connections logged in (%d failures)\n",
                    fleet.shared.loggedIn.load(), total, fleet.shared.loginFailures.load());
        return -1;
    }
    return double(timer.elapsed()) / 1000.0;
}

} // namespace cinder::bench
