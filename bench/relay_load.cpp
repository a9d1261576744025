// SPDX-License-Identifier: Apache-2.0
//
// relay_load: a load generator for cinder-server (issue 3, "Benchmark"; DESIGN.md section 7).
// It starts its own cinder-server (SQLite in a temporary directory, or --postgres URL) with rate
// limits off, registers and logs in one device per connection, and PRINTS figures; it asserts
// nothing and is not a test.
//
//   throughput  C connections (default 100 and 1000); each sends 1 KiB opaque packets to the
//               next connection's node with a window of in-flight sends; receivers acknowledge
//               in batches. Relayed messages/s is counted at the receivers (Delivery pushes)
//               during the measuring window; latency is send-to-push (a steady_clock timestamp
//               in the first 8 bytes of the packet; client and server share the machine).
//   half        the same connections at a paced offered rate of half the measured maximum, or
//               at --rate (a fixed rate compares two builds at the same load).
//   idle        N authenticated idle connections; the server's VmRSS before and after.
//
// CPU time of both processes (and of each server thread) is printed per phase, to tell whether
// the client or the server saturates. CINDER_SERVER_BINARY=path measures another build of the
// server with this same load generator.

#include "ProtocolFixture.h"
#include "ServerProcess.h"

#include "cinder/api.pb.h"
#include "crypto/ContactDiscovery.h"
#include "crypto/DeviceList.h"
#include "crypto/RecoveryBundle.h"
#include "net/ServerConnection.h"
#ifdef Q_OS_LINUX
#include "server/core/EpollEventDispatcher.h"
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace {

namespace api = cinder::api;
namespace crypto = cinder::crypto;
namespace net = cinder::net;
using cinder::test::Device;
using cinder::test::ServerProcess;
using cinder::test::take;
using cinder::test::User;

using Clock = std::chrono::steady_clock;

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

std::string str(crypto::ByteView bytes) {
    return crypto::toStdString(bytes);
}

// --- Options -------------------------------------------------------------------------------

struct Options {
    std::vector<int> connections{100, 1000};
    double durationS = 10;
    double warmupS = 2;
    int window = 32;       // in-flight sends per connection (throughput mode)
    int ackBatch = 128;    // acknowledge once this many deliveries are pending...
    int ackFlushMs = 1000; // ...or the oldest pending one is this old
    int threads = 1;       // client worker threads
    int payload = 1024;
    int idle = 10000;
    int idleDevicesPerUser = 10;
    double pacedRate = 0; // > 0: the paced phase offers this rate instead of half the maximum
    bool throughput = true;
    bool half = true;
    bool idleMode = true;
    QString database; // empty: SQLite in the server's temporary directory
    QStringList serverArgs;
    int scryptLog2N = 10;
    bool verbose = false;
};

// "host=/tmp/x port=N dbname=cinder user=postgres" (CINDER_TEST_PG style) or a URL.
QString postgresUrl(QString value) {
    value = value.trimmed();
    if (value.isEmpty())
        value = qEnvironmentVariable("CINDER_TEST_PG");
    if (value.startsWith(QStringLiteral("postgres")))
        return value;
    QString port = QStringLiteral("5432");
    QString db = QStringLiteral("cinder");
    QString user = QStringLiteral("postgres");
    QString host = QStringLiteral("127.0.0.1");
    for (const QString& pair : value.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString key = pair.section(QLatin1Char('='), 0, 0);
        const QString val = pair.section(QLatin1Char('='), 1);
        if (key == QLatin1String("port"))
            port = val;
        else if (key == QLatin1String("dbname"))
            db = val;
        else if (key == QLatin1String("user"))
            user = val;
        else if (key == QLatin1String("host") && !val.startsWith(QLatin1Char('/')))
            host = val; // a socket directory becomes loopback TCP
    }
    return QStringLiteral("postgres://%1@%2:%3/%4").arg(user, host, port, db);
}

// --- /proc ---------------------------------------------------------------------------------

double cpuSecondsOf(const QString& statPath) {
    QFile file(statPath);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = file.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    // Fields after the command: state(3) ... utime(14) stime(15).
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
}

QString readLine(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

// Whole machine, from /proc/stat: busy and iowait seconds summed over all cores.
std::pair<double, double> machineSeconds() {
    const QList<QByteArray> fields =
        readLine(QStringLiteral("/proc/stat")).toUtf8().split('\n').first().simplified().split(' ');
    if (fields.size() < 8)
        return {0, 0};
    double busy = 0;
    for (int i = 1; i < fields.size() && i <= 8; ++i) {
        if (i != 4 && i != 5) // idle, iowait
            busy += fields.at(i).toDouble();
    }
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return {busy / ticks, fields.at(5).toDouble() / ticks};
}

struct CpuSnapshot {
    double machineBusy = 0;
    double machineIowait = 0;
    double client = 0;
    double server = 0;
    std::map<QString, double> serverThreads; // "tid comm" -> seconds
};

CpuSnapshot cpuSnapshot(qint64 serverPid) {
    CpuSnapshot snapshot;
    std::tie(snapshot.machineBusy, snapshot.machineIowait) = machineSeconds();
    snapshot.client = cpuSecondsOf(QStringLiteral("/proc/self/stat"));
    if (serverPid <= 0)
        return snapshot;
    const QString base = QStringLiteral("/proc/%1").arg(serverPid);
    snapshot.server = cpuSecondsOf(base + QStringLiteral("/stat"));
    const QDir tasks(base + QStringLiteral("/task"));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString comm = readLine(tasks.filePath(tid + QStringLiteral("/comm")));
        snapshot.serverThreads[tid + QLatin1Char(' ') + comm] =
            cpuSecondsOf(tasks.filePath(tid + QStringLiteral("/stat")));
    }
    return snapshot;
}

struct CpuUse {
    double clientPct = 0; // of one core
    double serverPct = 0;
    double otherPct = 0; // the rest of the machine (other users' work)
    double iowaitPct = 0;
    QString threads; // busiest server threads
};

CpuUse cpuUse(const CpuSnapshot& before, const CpuSnapshot& after, double seconds) {
    CpuUse use;
    use.clientPct = 100.0 * (after.client - before.client) / seconds;
    use.serverPct = 100.0 * (after.server - before.server) / seconds;
    use.otherPct = std::max(0.0, 100.0 * (after.machineBusy - before.machineBusy) / seconds -
                                     use.clientPct - use.serverPct);
    use.iowaitPct = 100.0 * (after.machineIowait - before.machineIowait) / seconds;
    std::vector<std::pair<double, QString>> threads;
    for (const auto& [name, value] : after.serverThreads) {
        const auto it = before.serverThreads.find(name);
        const double delta = value - (it == before.serverThreads.end() ? 0 : it->second);
        if (delta > 0)
            threads.emplace_back(100.0 * delta / seconds, name.section(QLatin1Char(' '), 1));
    }
    std::sort(threads.rbegin(), threads.rend());
    for (std::size_t i = 0; i < threads.size() && i < 4; ++i) {
        if (threads[i].first < 1)
            break;
        use.threads += QStringLiteral("%1%2 %3%")
                           .arg(i ? QStringLiteral(", ") : QString(), threads[i].second,
                                QString::number(threads[i].first, 'f', 0));
    }
    return use;
}

qint64 residentKiB(qint64 pid) {
    QFile file(pid > 0 ? QStringLiteral("/proc/%1/status").arg(pid)
                       : QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

void raiseFileLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    std::printf("RLIMIT_NOFILE: soft %llu -> %llu (hard %llu); the server inherits it\n",
                static_cast<unsigned long long>(before),
                static_cast<unsigned long long>(limit.rlim_cur),
                static_cast<unsigned long long>(limit.rlim_max));
}

// --- Event loop helpers (main thread) -------------------------------------------------------

void spin(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

template <typename Predicate>
bool waitFor(Predicate done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        spin(20);
    }
    return true;
}

// --- Accounts ------------------------------------------------------------------------------

struct Account {
    std::unique_ptr<User> user;
    std::string registration; // serialized api::RegisterRequest
};

// Users with `devices` devices each, and their registrations; generated on all cores.
std::vector<Account> makeAccounts(int users, int devices, const std::string& prefix,
                                  const crypto::ScryptCost& cost) {
    std::vector<Account> accounts(static_cast<std::size_t>(users));
    std::atomic<int> next{0};
    auto work = [&] {
        for (int i = next++; i < users; i = next++) {
            Account& account = accounts[static_cast<std::size_t>(i)];
            account.user = std::make_unique<User>(take(crypto::RootIdentity::generate()));
            std::vector<crypto::Bytes> certificates;
            for (int d = 0; d < devices; ++d) {
                account.user->devices.push_back(std::make_unique<Device>(
                    take(crypto::NodeIdentity::enroll(account.user->root, cinder::test::nowMs()))));
                certificates.push_back(account.user->devices.back()->identity.certificate());
            }
            const std::string username = prefix + std::to_string(i);
            const crypto::RootIdentity& root = account.user->root;
            api::RegisterRequest request;
            request.set_username(username);
            request.set_root_id(str(root.id()));
            request.set_root_public_key(str(root.publicKey().bytes()));
            request.set_device_list(str(take(root.signDeviceList(1, certificates))));
            auto sealed = take(
                crypto::sealRecoveryBundle(root, crypto::asBytes("relay load passphrase"), cost));
            request.set_recovery_bundle(str(sealed.bundle));
            request.set_recovery_verifier(str(sealed.verifier.view()));
            request.set_recovery_kdf_parameters(str(crypto::encodeRecoveryKdfParameters(
                take(crypto::recoveryKdfParameters(sealed.bundle)))));
            request.set_discovery_hash(str(crypto::contactDiscoveryHash(username)));
            account.registration = request.SerializeAsString();
        }
    };
    const unsigned threads = std::max(1U, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back(work);
    for (auto& thread : pool)
        thread.join();
    return accounts;
}

// Registers every account over a few pipelined connections; false on any failure.
bool registerAll(const ServerProcess& server, const std::vector<Account>& accounts) {
    constexpr int kLinks = 4;
    constexpr int kWindow = 16;
    QObject context;
    std::vector<std::unique_ptr<net::ServerConnection>> links;
    for (int i = 0; i < kLinks; ++i) {
        links.push_back(std::make_unique<net::ServerConnection>());
        links.back()->open(server.endpoint());
    }
    if (!waitFor(
            [&] {
                return std::all_of(links.begin(), links.end(),
                                   [](const auto& link) { return link->isConnected(); });
            },
            30000)) {
        std::printf("registration: cannot connect\n");
        return false;
    }
    std::size_t next = 0;
    std::size_t done = 0;
    int failures = 0;
    std::function<void(net::ServerConnection&)> issue = [&](net::ServerConnection& link) {
        if (next >= accounts.size())
            return;
        const std::string& body = accounts[next++].registration;
        link.request(api::VERB_REGISTER, QByteArray(body.data(), qsizetype(body.size())), &context,
                     [&, linkPtr = &link](const net::Reply& reply) {
                         ++done;
                         if (!reply.ok()) {
                             if (++failures <= 3)
                                 std::printf("registration failed: status %d %s\n",
                                             int(reply.status), qPrintable(reply.error));
                             return;
                         }
                         issue(*linkPtr);
                     });
    };
    for (auto& link : links)
        for (int w = 0; w < kWindow; ++w)
            issue(*link);
    waitFor([&] { return done >= accounts.size() || failures > 0; }, 600000);
    for (auto& link : links)
        link->close();
    return failures == 0 && done == accounts.size();
}

// --- Client shards -------------------------------------------------------------------------

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

    void startTraffic(Traffic traffic, double ratePerSecond) {
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

    void stopTraffic() {
        m_traffic = Traffic::None;
        if (m_paceTimer)
            m_paceTimer->stop();
        if (m_refillTimer)
            m_refillTimer->stop();
    }

    void flushAllAcks() {
        for (auto& conn : m_conns)
            if (!conn->acks.empty())
                flushAcks(*conn);
    }

    void resetCounters() {
        sentOk = 0;
        received = 0;
        measured = 0;
        ackRequests = 0;
        pacedSkipped = 0;
        latencyUs.clear();
        tickLateUs.clear();
        m_lastTickNs = 0;
    }

    void closeAll() {
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

private:
    void openMore() {
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
                                     loginFailed(
                                         *c, QStringLiteral("connect error %1").arg(int(reason)));
                                 }
                             });
            QObject::connect(conn.link, &net::ServerConnection::push, this,
                             [this, c = &conn](const api::Push& push) { onPush(*c, push); });
            conn.link->open(m_endpoint);
        }
    }

    void loginFailed(Conn& conn, const QString& why) {
        if (++m_shared.loginFailures <= 3)
            std::printf("login failed: %s\n", qPrintable(why));
        conn.gone = true;
        --m_opening;
        openMore();
    }

    void challenge(Conn& conn) {
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
                c->link->request(
                    api::VERB_AUTH_PROOF, proof, this, [this, c](const net::Reply& proofReply) {
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

    void sendOne(Conn& conn) {
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
    static bool hasRoom(const Conn& conn, int window) {
        return conn.loggedIn && !conn.gone && conn.send.recipient_node_ids_size() > 0 &&
               conn.sent - conn.delivered.load(std::memory_order_relaxed) <
                   static_cast<std::uint64_t>(window);
    }

    void fillWindow(Conn& conn) {
        while (hasRoom(conn, m_options.window))
            sendOne(conn);
    }

    void onSent(Conn& conn, const net::Reply& reply) {
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

    void pace() {
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

    void onPush(Conn& conn, const api::Push& push) {
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

    void flushOldAcks() {
        const bool draining = m_shared.phase.load() == Drain;
        const std::int64_t limit = nowNs() - std::int64_t{m_options.ackFlushMs} * 1000000;
        for (auto& conn : m_conns) {
            if (!conn->acks.empty() && (draining || conn->oldestAckNs <= limit))
                flushAcks(*conn);
        }
    }

    void flushAcks(Conn& conn) {
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
    Fleet(const Options& options, int threads) {
        static std::uint64_t generations = 0;
        const std::uint64_t generation = ++generations;
        for (int i = 0; i < threads; ++i) {
            auto thread = std::make_unique<QThread>();
            thread->setObjectName(QStringLiteral("shard-%1").arg(i));
#ifdef Q_OS_LINUX
            // The generator waits with epoll like the server, unless CINDER_EVENT_LOOP=qt.
            if (qEnvironmentVariable("CINDER_EVENT_LOOP") != QLatin1String("qt"))
                thread->setEventDispatcher(new cinder::server::EpollEventDispatcher);
#endif
            thread->start();
            auto shard = std::make_unique<Shard>(shared, options, generation);
            shard->moveToThread(thread.get());
            threads_.push_back(std::move(thread));
            shards.push_back(std::move(shard));
        }
    }
    ~Fleet() {
        onEach([](Shard& shard) { shard.closeAll(); });
        for (std::size_t i = 0; i < shards.size(); ++i) {
            Shard* shard = shards[i].release();
            QMetaObject::invokeMethod(
                shard, [shard] { delete shard; }, Qt::BlockingQueuedConnection);
            threads_[i]->quit();
            threads_[i]->wait();
        }
    }
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

// --- Load runs -----------------------------------------------------------------------------

struct LoadResult {
    QString label;
    int connections = 0;
    double offered = 0; // messages/s offered (paced), 0 = as fast as the window allows
    double rate = 0;    // deliveries/s at receivers
    double p50Ms = 0, p99Ms = 0, maxMs = 0;
    double sendRate = 0; // acknowledged sends/s
    double ackRequestsPerS = 0;
    std::uint64_t skipped = 0;
    double tickLateP99Ms = -1, tickLateMaxMs = -1; // paced mode only
    CpuUse cpu;
};

double percentile(std::vector<std::uint32_t>& sorted, double q) {
    if (sorted.empty())
        return 0;
    const auto index = static_cast<std::size_t>(q * double(sorted.size() - 1));
    return double(sorted[index]) / 1000.0;
}

LoadResult runPhase(Fleet& fleet, const Options& options, qint64 serverPid, Traffic traffic,
                    double offered) {
    LoadResult result;
    fleet.onEach([](Shard& shard) { shard.resetCounters(); });
    fleet.shared.phase = Warmup;
    const double perShard = offered / double(fleet.shards.size());
    fleet.onEach([traffic, perShard](Shard& shard) { shard.startTraffic(traffic, perShard); });
    spin(static_cast<int>(options.warmupS * 1000));

    const auto sentBefore = fleet.sum([](const Shard& s) { return s.sentOk.load(); });
    const auto acksBefore = fleet.sum([](const Shard& s) { return s.ackRequests.load(); });
    const auto skippedBefore = fleet.sum([](const Shard& s) { return s.pacedSkipped.load(); });
    const CpuSnapshot cpuBefore = cpuSnapshot(serverPid);
    QElapsedTimer window;
    window.start();
    fleet.shared.phase = Measure;
    spin(static_cast<int>(options.durationS * 1000));
    fleet.shared.phase = Drain;
    const double seconds = double(window.nsecsElapsed()) / 1e9;
    const CpuSnapshot cpuAfter = cpuSnapshot(serverPid);
    const auto sentAfter = fleet.sum([](const Shard& s) { return s.sentOk.load(); });
    const auto acksAfter = fleet.sum([](const Shard& s) { return s.ackRequests.load(); });
    result.skipped =
        fleet.sum([](const Shard& s) { return s.pacedSkipped.load(); }) - skippedBefore;

    // Drain: stop sending, wait for every accepted send to arrive, acknowledge everything.
    fleet.onEach([](Shard& shard) { shard.stopTraffic(); });
    const bool drained = waitFor(
        [&] {
            return fleet.sum([](const Shard& s) { return s.inFlight.load(); }) == 0 &&
                   fleet.sum([](const Shard& s) { return s.received.load(); }) >=
                       fleet.sum([](const Shard& s) { return s.sentOk.load(); });
        },
        30000);
    fleet.onEach([](Shard& shard) { shard.flushAllAcks(); });
    waitFor([&] { return fleet.sum([](const Shard& s) { return s.acksInFlight.load(); }) == 0; },
            60000);
    if (!drained) {
        std::printf("  drain incomplete: sent %" PRIu64 ", received %" PRIu64 "\n",
                    fleet.sum([](const Shard& s) { return s.sentOk.load(); }),
                    fleet.sum([](const Shard& s) { return s.received.load(); }));
    }
    fleet.shared.phase = Idle;

    std::vector<std::uint32_t> samples;
    fleet.onEach([&samples](Shard& shard) {
        samples.insert(samples.end(), shard.latencyUs.begin(), shard.latencyUs.end());
    });
    std::sort(samples.begin(), samples.end());
    std::vector<std::uint32_t> ticks;
    fleet.onEach([&ticks](Shard& shard) {
        ticks.insert(ticks.end(), shard.tickLateUs.begin(), shard.tickLateUs.end());
    });
    std::sort(ticks.begin(), ticks.end());
    if (!ticks.empty()) {
        result.tickLateP99Ms = percentile(ticks, 0.99);
        result.tickLateMaxMs = double(ticks.back()) / 1000.0;
    }
    result.offered = offered;
    result.rate = double(fleet.sum([](const Shard& s) { return s.measured.load(); })) / seconds;
    result.sendRate = double(sentAfter - sentBefore) / seconds;
    result.ackRequestsPerS = double(acksAfter - acksBefore) / seconds;
    result.p50Ms = percentile(samples, 0.50);
    result.p99Ms = percentile(samples, 0.99);
    result.maxMs = samples.empty() ? 0 : double(samples.back()) / 1000.0;
    result.cpu = cpuUse(cpuBefore, cpuAfter, seconds);
    return result;
}

void printResult(const LoadResult& r) {
    std::printf(
        "  %-10s C=%-5d offered %-8s delivered %8.0f msg/s (sends acked %8.0f/s) "
        "p50 %7.2f ms p99 %7.2f ms max %7.1f ms | ack req %6.0f/s%s\n",
        qPrintable(r.label), r.connections,
        r.offered > 0 ? qPrintable(QString::number(r.offered, 'f', 0)) : "max", r.rate, r.sendRate,
        r.p50Ms, r.p99Ms, r.maxMs, r.ackRequestsPerS,
        r.skipped
            ? qPrintable(QStringLiteral(" | %1 paced sends skipped (window full)").arg(r.skipped))
            : "");
    std::printf("             cpu (100%% = one core of %ld): client %.0f%%, server %.0f%% [%s]; "
                "other processes %.0f%%, iowait %.0f%%\n",
                sysconf(_SC_NPROCESSORS_ONLN), r.cpu.clientPct, r.cpu.serverPct,
                qPrintable(r.cpu.threads), r.cpu.otherPct, r.cpu.iowaitPct);
    if (r.tickLateP99Ms >= 0)
        std::printf("             client pacing tick late by p99 %.2f ms, max %.1f ms\n",
                    r.tickLateP99Ms, r.tickLateMaxMs);
    std::fflush(stdout);
}

struct IdleResult {
    int requested = 0;
    int connected = 0;
    qint64 rssBeforeKiB = 0;
    qint64 rssAfterKiB = 0;
    qint64 clientRssKiB = 0;
    double loginSeconds = 0;
};

QStringList serverArguments(const Options& options, int maxConnections) {
    QStringList args{QStringLiteral("--rate-limit"),
                     QStringLiteral("off"),
                     QStringLiteral("--address-rate-limit"),
                     QStringLiteral("off"),
                     QStringLiteral("--health"),
                     QStringLiteral("off"),
                     QStringLiteral("--log-level"),
                     QStringLiteral("warning"),
                     QStringLiteral("--max-connections"),
                     QString::number(maxConnections)};
    if (!options.database.isEmpty())
        args << QStringLiteral("--database") << options.database;
    return args + options.serverArgs;
}

std::string randomPrefix() {
    std::random_device device;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "l%06x_", device() & 0xffffffU);
    return buffer;
}

std::string randomPayload(int size) {
    std::string payload(std::max(static_cast<std::size_t>(size), sizeof(Stamp)), '\0');
    std::mt19937_64 generator(std::random_device{}());
    for (char& byte : payload)
        byte = static_cast<char>(generator());
    return payload;
}

// The cinder-server built beside this tool, or $CINDER_SERVER_BINARY: another build of the
// server measured by the same load generator (before/after comparisons).
QString serverBinary() {
    const QString other = qEnvironmentVariable("CINDER_SERVER_BINARY");
    return other.isEmpty() ? QStringLiteral(CINDER_SERVER_BINARY) : other;
}

bool startServer(ServerProcess& server) {
    if (!server.start()) {
        std::printf("cannot start cinder-server: %s\n", qPrintable(server.errorString()));
        return false;
    }
    std::printf("%s pid %lld on port %u (%s), RSS %lld KiB\n", qPrintable(serverBinary()),
                static_cast<long long>(server.processId()), unsigned(server.port()),
                qPrintable(server.databaseUrl().section(QLatin1Char(':'), 0, 0)),
                static_cast<long long>(residentKiB(server.processId())));
    return true;
}

std::vector<LoadResult> runLoad(const Options& options, const std::string& payload) {
    std::vector<LoadResult> results;
    const int maxConnections =
        *std::max_element(options.connections.begin(), options.connections.end());
    QElapsedTimer timer;
    timer.start();
    const crypto::ScryptCost cost{static_cast<std::uint32_t>(options.scryptLog2N), 1, 1};
    std::vector<Account> accounts = makeAccounts(maxConnections, 1, randomPrefix(), cost);
    std::printf("generated %d identities in %.1f s\n", maxConnections,
                double(timer.elapsed()) / 1000.0);

    ServerProcess server(serverBinary(), serverArguments(options, maxConnections + 64));
    if (!startServer(server))
        return results;
    timer.restart();
    if (!registerAll(server, accounts)) {
        std::printf("%s\n", qPrintable(server.logText().right(2000)));
        return results;
    }
    std::printf("registered %d users in %.1f s\n", maxConnections,
                double(timer.elapsed()) / 1000.0);

    for (int connections : options.connections) {
        std::vector<Shard::Spec> specs;
        for (int i = 0; i < connections; ++i) {
            Shard::Spec spec;
            spec.identity = &accounts[std::size_t(i)].user->devices[0]->identity;
            spec.target =
                str(accounts[std::size_t((i + 1) % connections)].user->devices[0]->identity.id());
            specs.push_back(std::move(spec));
        }
        Fleet fleet(options, std::min(options.threads, connections));
        const double login = openAll(fleet, specs, server.endpoint(), payload);
        if (login < 0) {
            std::printf("%s\n", qPrintable(server.logText().right(2000)));
            break;
        }
        std::printf("\n%d connections logged in in %.1f s; server RSS %lld KiB\n", connections,
                    login, static_cast<long long>(residentKiB(server.processId())));
        double maximum = 0;
        if (options.throughput || !options.half) {
            LoadResult r = runPhase(fleet, options, server.processId(), Traffic::Throughput, 0);
            r.label = QStringLiteral("throughput");
            r.connections = connections;
            printResult(r);
            maximum = r.rate;
            results.push_back(r);
        }
        const double paced = options.pacedRate > 0 ? options.pacedRate : maximum / 2;
        if (options.half && paced > 0) {
            LoadResult r = runPhase(fleet, options, server.processId(), Traffic::Paced, paced);
            r.label = options.pacedRate > 0 ? QStringLiteral("paced") : QStringLiteral("half-rate");
            r.connections = connections;
            printResult(r);
            results.push_back(r);
        }
        if (fleet.shared.lostConnections || fleet.shared.sendErrors || fleet.shared.ackErrors)
            std::printf("  errors: %d connections lost, %llu send errors, %llu ack errors\n",
                        fleet.shared.lostConnections.load(),
                        static_cast<unsigned long long>(fleet.shared.sendErrors.load()),
                        static_cast<unsigned long long>(fleet.shared.ackErrors.load()));
        if (!server.isRunning()) {
            std::printf("server died:\n%s\n", qPrintable(server.logText().right(3000)));
            break;
        }
    }
    if (options.verbose)
        std::printf("server log tail:\n%s\n", qPrintable(server.logText().right(3000)));
    return results;
}

IdleResult runIdle(const Options& options) {
    IdleResult result;
    result.requested = options.idle;
    const int devices = std::max(1, options.idleDevicesPerUser);
    const int users = (options.idle + devices - 1) / devices;
    QElapsedTimer timer;
    timer.start();
    const crypto::ScryptCost cost{static_cast<std::uint32_t>(options.scryptLog2N), 1, 1};
    std::vector<Account> accounts = makeAccounts(users, devices, randomPrefix(), cost);
    std::printf("\nidle: generated %d users x %d devices in %.1f s\n", users, devices,
                double(timer.elapsed()) / 1000.0);

    ServerProcess server(serverBinary(), serverArguments(options, options.idle + 64));
    if (!startServer(server))
        return result;
    timer.restart();
    if (!registerAll(server, accounts)) {
        std::printf("%s\n", qPrintable(server.logText().right(2000)));
        return result;
    }
    std::printf("idle: registered %d users in %.1f s\n", users, double(timer.elapsed()) / 1000.0);
    spin(1000);
    result.rssBeforeKiB = residentKiB(server.processId());

    std::vector<Shard::Spec> specs;
    for (int i = 0; i < options.idle; ++i) {
        Shard::Spec spec;
        spec.identity =
            &accounts[std::size_t(i / devices)].user->devices[std::size_t(i % devices)]->identity;
        specs.push_back(spec);
    }
    Options idleOptions = options;
    Fleet fleet(idleOptions, std::max(1, options.threads));
    const CpuSnapshot before = cpuSnapshot(server.processId());
    result.loginSeconds = openAll(fleet, specs, server.endpoint(), std::string());
    result.connected = fleet.shared.loggedIn - fleet.shared.lostConnections;
    const CpuSnapshot after = cpuSnapshot(server.processId());
    spin(3000); // settle; the connections stay idle
    result.connected = fleet.shared.loggedIn - fleet.shared.lostConnections;
    result.rssAfterKiB = residentKiB(server.processId());
    result.clientRssKiB = residentKiB(0);
    std::printf(
        "idle: %d of %d connections authenticated in %.1f s (cpu: client %.1f s, server "
        "%.1f s); server RSS %lld KiB before, %lld KiB after; client RSS %lld KiB\n",
        result.connected, result.requested, result.loginSeconds, after.client - before.client,
        after.server - before.server, static_cast<long long>(result.rssBeforeKiB),
        static_cast<long long>(result.rssAfterKiB), static_cast<long long>(result.clientRssKiB));
    if (!server.isRunning())
        std::printf("server died:\n%s\n", qPrintable(server.logText().right(3000)));
    else if (options.verbose)
        std::printf("server log tail:\n%s\n", qPrintable(server.logText().right(3000)));
    return result;
}

} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("cinder.net.info=false\n"
                                                    "cinder.net.debug=false\n"
                                                    "qt.network.ssl.warning=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Load generator for cinder-server: relayed messages/s and send-to-push latency over "
        "N connections, latency at half the maximum rate, and server memory with idle "
        "authenticated connections. Prints figures; asserts nothing."));
    parser.addHelpOption();
    const QCommandLineOption modesOption(
        QStringLiteral("modes"),
        QStringLiteral("Comma list of throughput,half,idle (default all)."), QStringLiteral("LIST"),
        QStringLiteral("throughput,half,idle"));
    const QCommandLineOption connectionsOption(
        QStringLiteral("connections"),
        QStringLiteral("Comma list of connection counts (default 100,1000)."),
        QStringLiteral("LIST"), QStringLiteral("100,1000"));
    const QCommandLineOption durationOption(QStringLiteral("duration"),
                                            QStringLiteral("Measured seconds (default 10)."),
                                            QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption warmupOption(QStringLiteral("warmup"),
                                          QStringLiteral("Warm-up seconds (default 2)."),
                                          QStringLiteral("S"), QStringLiteral("2"));
    const QCommandLineOption windowOption(
        QStringLiteral("window"),
        QStringLiteral("Packets per connection sent and not yet received (default 32)."),
        QStringLiteral("N"), QStringLiteral("32"));
    const QCommandLineOption ackBatchOption(
        QStringLiteral("ack-batch"),
        QStringLiteral("Deliveries per acknowledgement (default 128; server pushes at most 256 "
                       "unacknowledged)."),
        QStringLiteral("N"), QStringLiteral("128"));
    const QCommandLineOption ackFlushOption(
        QStringLiteral("ack-flush-ms"),
        QStringLiteral("Acknowledge a partial batch once its oldest delivery is this old "
                       "(default 1000)."),
        QStringLiteral("MS"), QStringLiteral("1000"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Client threads (default 1)."),
                                           QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption rateOption(
        QStringLiteral("rate"),
        QStringLiteral("Offered messages/s of the paced phase (default: half the measured "
                       "maximum). A fixed rate compares builds at the same load; --modes half "
                       "then skips the throughput phase."),
        QStringLiteral("MSG_PER_S"));
    const QCommandLineOption payloadOption(QStringLiteral("payload"),
                                           QStringLiteral("Packet bytes (default 1024)."),
                                           QStringLiteral("BYTES"), QStringLiteral("1024"));
    const QCommandLineOption idleOption(
        QStringLiteral("idle"), QStringLiteral("Idle authenticated connections (default 10000)."),
        QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption idleDevicesOption(
        QStringLiteral("idle-devices-per-user"),
        QStringLiteral("Devices per registered user in the idle run (default 10, at most 64): "
                       "fewer registrations, one login per device all the same."),
        QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption postgresOption(
        QStringLiteral("postgres"),
        QStringLiteral("Use PostgreSQL: postgres://user@host:port/db or a CINDER_TEST_PG style "
                       "conninfo (\"env\" reads CINDER_TEST_PG)."),
        QStringLiteral("URL"));
    const QCommandLineOption serverArgOption(
        QStringLiteral("server-arg"),
        QStringLiteral("Extra cinder-server argument (repeat for each word)."),
        QStringLiteral("ARG"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           QStringLiteral("Print the server's log tail."));
    parser.addOptions({modesOption, connectionsOption, durationOption, warmupOption, windowOption,
                       ackBatchOption, ackFlushOption, threadsOption, rateOption, payloadOption,
                       idleOption, idleDevicesOption, postgresOption, serverArgOption,
                       verboseOption});
    parser.process(app);

    Options options;
    const QStringList modes = parser.value(modesOption).split(QLatin1Char(','));
    options.throughput = modes.contains(QStringLiteral("throughput"));
    options.half = modes.contains(QStringLiteral("half"));
    options.idleMode = modes.contains(QStringLiteral("idle"));
    options.connections.clear();
    for (const QString& value : parser.value(connectionsOption).split(QLatin1Char(',')))
        if (value.toInt() > 1)
            options.connections.push_back(value.toInt());
    options.durationS = parser.value(durationOption).toDouble();
    options.warmupS = parser.value(warmupOption).toDouble();
    options.window = std::max(1, parser.value(windowOption).toInt());
    options.ackBatch = std::max(1, parser.value(ackBatchOption).toInt());
    options.ackFlushMs = std::max(0, parser.value(ackFlushOption).toInt());
    options.threads = std::max(1, parser.value(threadsOption).toInt());
    options.payload = std::max(16, parser.value(payloadOption).toInt());
    options.pacedRate = std::max(0.0, parser.value(rateOption).toDouble());
    options.idle = parser.value(idleOption).toInt();
    options.idleDevicesPerUser = std::clamp(parser.value(idleDevicesOption).toInt(), 1, 64);
    if (parser.isSet(postgresOption)) {
        const QString value = parser.value(postgresOption);
        options.database = postgresUrl(value == QLatin1String("env") ? QString() : value);
    }
    options.serverArgs = parser.values(serverArgOption);
    options.verbose = parser.isSet(verboseOption);

    raiseFileLimit();
    std::printf("load average before start: %s\n",
                qPrintable(readLine(QStringLiteral("/proc/loadavg"))));
    // With autogroups the scheduler shares the CPU between sessions first and applies nice
    // only inside each: a build at nice 19 in another terminal still takes its session's full
    // share, and this generator and its server (one session) get 1/N of the machine.
    if (readLine(QStringLiteral("/proc/sys/kernel/sched_autogroup_enabled")) == QLatin1String("1"))
        std::printf("note: sched_autogroup_enabled=1, other sessions' nice does not yield the CPU "
                    "to this run (%s)\n",
                    qPrintable(readLine(QStringLiteral("/proc/self/autogroup"))));
    std::printf("relay_load: %s, window %d, ack batch %d / %d ms, %d client thread(s), %d-byte "
                "packets, %.0f s + %.0f s warm-up\n",
                options.database.isEmpty() ? "SQLite" : qPrintable(options.database),
                options.window, options.ackBatch, options.ackFlushMs, options.threads,
                options.payload, options.durationS, options.warmupS);
    std::fflush(stdout);

    std::vector<LoadResult> loads;
    if ((options.throughput || options.half) && !options.connections.empty())
        loads = runLoad(options, randomPayload(options.payload));
    IdleResult idle;
    if (options.idleMode && options.idle > 0)
        idle = runIdle(options);

    std::printf("\n=== relay_load summary (%s) ===\n",
                options.database.isEmpty() ? "SQLite" : "PostgreSQL");
    std::printf("%-11s %6s %9s %10s %9s %9s %8s %8s %8s\n", "mode", "conns", "offered", "msg/s",
                "p50 ms", "p99 ms", "cli cpu", "srv cpu", "others");
    for (const LoadResult& r : loads)
        std::printf("%-11s %6d %9s %10.0f %9.2f %9.2f %7.0f%% %7.0f%% %7.0f%%\n",
                    qPrintable(r.label), r.connections,
                    r.offered > 0 ? qPrintable(QString::number(r.offered, 'f', 0)) : "max", r.rate,
                    r.p50Ms, r.p99Ms, r.cpu.clientPct, r.cpu.serverPct, r.cpu.otherPct);
    if (idle.requested > 0) {
        const qint64 delta = idle.rssAfterKiB - idle.rssBeforeKiB;
        std::printf("idle        %6d  server RSS %.1f MiB (%.1f MiB before); %.1f KiB per "
                    "connection (delta), %.1f KiB (total/conn)\n",
                    idle.connected, double(idle.rssAfterKiB) / 1024.0,
                    double(idle.rssBeforeKiB) / 1024.0,
                    idle.connected ? double(delta) / idle.connected : 0.0,
                    idle.connected ? double(idle.rssAfterKiB) / idle.connected : 0.0);
    }
    std::fflush(stdout);
    return 0;
}
