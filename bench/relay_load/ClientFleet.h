// SPDX-License-Identifier: Apache-2.0
#pragma once

// The client side of the load: connections grouped in shards, one event loop thread per shard
// (the Fleet); each connection is one logged-in device, and under load sends to the next one.

#include "Options.h"

#include "cinder/api.pb.h"
#include "crypto/NodeIdentity.h"
#include "net/ServerConnection.h"

#include <QMetaObject>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cinder::bench {

enum Phase : int { Idle = 0, Warmup = 1, Measure = 2, Drain = 3 };
enum class Traffic { None, Throughput, Paced };

struct Shared {
    std::atomic<int> phase{Idle};
    std::atomic<int> loggedIn{0};
    std::atomic<int> loginFailures{0};
    std::atomic<int> lostConnections{0};
    std::atomic<std::uint64_t> sendErrors{0};
    std::atomic<std::uint64_t> ackErrors{0};
};

class Shard;

// The first bytes of every packet: when it was sent, and by which connection (so the receiver
// can open the sender's end-to-end window). The rest is random.
struct Stamp {
    std::int64_t sentNs;
    std::uint64_t generation; // of the Fleet; a stale packet from an earlier run is ignored
    void* sender;             // Conn*
};

struct Conn {
    Shard* owner = nullptr;
    net::ServerConnection* link = nullptr;
    const crypto::NodeIdentity* identity = nullptr;
    bool loggedIn = false;
    bool gone = false;
    int inFlight = 0;                        // sends not yet answered by the server
    std::uint64_t sent = 0;                  // sends issued
    std::atomic<std::uint64_t> delivered{0}; // of those, received by the target (any thread)
    api::SendRequest send; // prebuilt: payload and recipient; the timestamp is patched per send
    std::vector<std::uint64_t> acks;
    std::int64_t oldestAckNs = 0;
};

// A group of connections on one thread. Every method runs on that thread (call through
// QMetaObject::invokeMethod); the atomics are read by the main thread.
class Shard : public QObject {
public:
    Shard(Shared& shared, const Options& options, std::uint64_t generation)
        : m_shared(shared), m_options(options), m_generation(generation) {}

    std::atomic<std::uint64_t> sentOk{0};
    std::atomic<std::uint64_t> received{0};
    std::atomic<std::uint64_t> measured{0};
    std::atomic<std::uint64_t> ackRequests{0};
    std::atomic<std::uint64_t> pacedSkipped{0};
    std::atomic<int> inFlight{0};
    std::atomic<int> acksInFlight{0};
    std::vector<std::uint32_t> latencyUs; // measuring window; read after the shard is quiet
    // Paced mode: how late this shard's 1 ms pacing tick ran (its event loop busy or the thread
    // not scheduled). Large values mean the generator, not the server, delayed sends and the
    // reading of pushes, and so inflated the latencies above.
    std::vector<std::uint32_t> tickLateUs;

    struct Spec {
        const crypto::NodeIdentity* identity = nullptr;
        std::string target; // node id to send to; empty for idle connections
    };

    void open(const std::vector<Spec>& specs, const net::ServerEndpoint& endpoint,
              const std::string& payload, int maxOpening);
    void startTraffic(Traffic traffic, double ratePerSecond);
    void stopTraffic();
    void flushAllAcks();
    void resetCounters();
    void closeAll();

private:
    void openMore();
    void loginFailed(Conn& conn, const QString& why);
    void challenge(Conn& conn);
    void sendOne(Conn& conn);
    static bool hasRoom(const Conn& conn, int window);
    void fillWindow(Conn& conn);
    void onSent(Conn& conn, const net::Reply& reply);
    void pace();
    void onPush(Conn& conn, const api::Push& push);
    void flushOldAcks();
    void flushAcks(Conn& conn);

    Shared& m_shared;
    const Options& m_options;
    std::uint64_t m_generation;
    net::ServerEndpoint m_endpoint;
    std::vector<std::unique_ptr<Conn>> m_conns;
    std::size_t m_nextToOpen = 0;
    int m_opening = 0;
    int m_maxOpening = 32;
    bool m_closing = false;
    Traffic m_traffic = Traffic::None;
    QTimer* m_ackTimer = nullptr;
    QTimer* m_paceTimer = nullptr;
    QTimer* m_refillTimer = nullptr;
    double m_rate = 0;
    std::int64_t m_pacedSent = 0;
    std::int64_t m_pacedStartNs = 0;
    std::int64_t m_lastTickNs = 0;
    std::size_t m_nextPaced = 0;
    api::AckRequest m_ack; // reused
};

// Shards on their threads; owns both.
class Fleet {
public:
    Fleet(const Options& options, int threads);
    ~Fleet();
    Fleet(const Fleet&) = delete;
    Fleet& operator=(const Fleet&) = delete;

    // Runs fn(shard) on every shard's thread and waits.
    template <typename Fn>
    void onEach(Fn fn) {
        for (auto& shard : shards) {
            Shard* s = shard.get();
            QMetaObject::invokeMethod(
                s, [s, &fn] { fn(*s); }, Qt::BlockingQueuedConnection);
        }
    }

    template <typename Get>
    std::uint64_t sum(Get get) const {
        std::uint64_t total = 0;
        for (const auto& shard : shards)
            total += static_cast<std::uint64_t>(get(*shard));
        return total;
    }

    Shared shared;
    std::vector<std::unique_ptr<Shard>> shards;

private:
    std::vector<std::unique_ptr<QThread>> threads_;
};

// Opens and logs in every spec'd connection; returns seconds taken, or < 0 on failure.
double openAll(Fleet& fleet, const std::vector<Shard::Spec>& specs,
               const net::ServerEndpoint& endpoint, const std::string& payload);

} // namespace cinder::bench
