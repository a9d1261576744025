// SPDX-License-Identifier: Apache-2.0
// The transport of cinder-server: a WebSocketServer in this process with the EchoDispatcher,
// over real TLS 1.3 on a free loopback port with a dev certificate that the clients pin; then
// the real cinder-server binary (--help, bad flags, --generate-dev-cert, /health, SIGTERM).

#include "EchoDispatcher.h"

#include "cinder/api.pb.h"
#include "server/core/ConnectionRegistry.h"
#include "server/core/DevCertificate.h"
#include "server/core/EnvelopeFraming.h"
#ifdef CINDER_TEST_EPOLL_DISPATCHER
#include "server/core/EpollEventDispatcher.h"
#endif
#include "server/core/HealthEndpoint.h"
#include "server/core/Metrics.h"
#include "server/core/ServerConfig.h"
#include "server/core/TokenBucket.h"
#include "server/core/WebSocketServer.h"

#include <QFile>
#include <QProcess>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>

using namespace cinder;
using namespace cinder::server;
using cinder::server::test::EchoDispatcher;

namespace {

constexpr int kTimeoutMs = 20'000;

QByteArray serialize(const google::protobuf::Message& message) {
    return QByteArray::fromStdString(message.SerializeAsString());
}

QByteArray requestFrame(quint64 id, int verb, const QByteArray& body = {}) {
    api::Envelope envelope;
    envelope.mutable_request()->set_id(id);
    envelope.mutable_request()->set_verb(static_cast<api::Verb>(verb));
    envelope.mutable_request()->set_body(body.toStdString());
    return serialize(envelope);
}

QByteArray authProof(const QByteArray& root, const QByteArray& node) {
    api::AuthProof proof;
    proof.set_root_id(root.toStdString());
    proof.set_node_id(node.toStdString());
    return serialize(proof);
}

quint16 freePort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        return 0;
    }
    return probe.serverPort();
}

// An HTTP GET for the health endpoint that keeps the event loop running (the endpoint may
// live in this process). Returns the status code, 0 without an answer.
int httpGet(quint16 port, const QByteArray& path, QByteArray* body = nullptr) {
    QTcpSocket socket;
    QByteArray response;
    bool done = false;
    QObject::connect(&socket, &QTcpSocket::connected, &socket,
                     [&] { socket.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n"); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&] { response += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { done = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket,
                     [&](QAbstractSocket::SocketError error) {
                         if (error != QAbstractSocket::RemoteHostClosedError) {
                             done = true;
                         }
                     });
    socket.connectToHost(QHostAddress::LocalHost, port);
    static_cast<void>(QTest::qWaitFor([&] { return done; }, 5000));
    response += socket.readAll();
    const auto split = response.indexOf("\r\n\r\n");
    if (!response.startsWith("HTTP/1.1 ") || split < 0) {
        return 0;
    }
    if (body != nullptr) {
        *body = response.mid(split + 4);
    }
    return response.mid(9, 3).toInt();
}

} // namespace

// A WebSocket client that records every envelope it receives.
class TestClient : public QObject {
    Q_OBJECT
public:
    explicit TestClient(const QSslConfiguration& tls) {
        m_socket.setSslConfiguration(tls);
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& m) {
            api::Envelope envelope;
            QVERIFY(envelope.ParseFromArray(m.constData(), static_cast<int>(m.size())));
            m_envelopes.append(envelope);
        });
        connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_disconnected = true; });
    }

    bool open(quint16 port) {
        m_socket.open(QUrl(QStringLiteral("wss://localhost:%1/").arg(port)));
        static_cast<void>(QTest::qWaitFor(
            [&] { return m_socket.state() == QAbstractSocket::ConnectedState || m_disconnected; },
            kTimeoutMs));
        return m_socket.state() == QAbstractSocket::ConnectedState;
    }

    void send(quint64 id, int verb, const QByteArray& body = {}) {
        m_socket.sendBinaryMessage(requestFrame(id, verb, body));
    }

    std::optional<api::Response> response(quint64 id, int timeoutMs = kTimeoutMs) {
        std::optional<api::Response> found;
        static_cast<void>(QTest::qWaitFor(
            [&] {
                for (const auto& envelope : std::as_const(m_envelopes)) {
                    if (envelope.has_response() && envelope.response().id() == id) {
                        found = envelope.response();
                        return true;
                    }
                }
                return m_disconnected;
            },
            timeoutMs));
        return found;
    }

    bool login(const QByteArray& node, quint64 id = 1000) {
        send(id, api::VERB_AUTH_PROOF, authProof("root-" + node, node));
        const auto answer = response(id);
        return answer && answer->status() == api::STATUS_OK;
    }

    bool waitDisconnected(int timeoutMs = kTimeoutMs) {
        return QTest::qWaitFor([&] { return m_disconnected; }, timeoutMs);
    }

    [[nodiscard]] QString closingReason() const {
        for (const auto& envelope : m_envelopes) {
            if (envelope.has_push() && envelope.push().has_closing()) {
                return QString::fromStdString(envelope.push().closing().reason());
            }
        }
        return {};
    }

    [[nodiscard]] int responseCount() const {
        return static_cast<int>(std::count_if(m_envelopes.begin(), m_envelopes.end(),
                                              [](const auto& e) { return e.has_response(); }));
    }

    QWebSocket& socket() { return m_socket; }
    [[nodiscard]] bool isDisconnected() const { return m_disconnected; }

private:
    QWebSocket m_socket;
    QList<api::Envelope> m_envelopes;
    bool m_disconnected = false;
};

// A client on its own thread that logs in, then stops reading: its thread blocks on the first
// message it receives until the test releases it. The kernel buffers fill and the server's
// outbound queue for it grows.
class StalledReader : public QObject {
    Q_OBJECT
public:
    StalledReader(quint16 port, const QSslConfiguration& tls, QSemaphore& release)
        : m_port(port), m_tls(tls), m_release(release) {}

    void start() {
        m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        m_socket->setSslConfiguration(m_tls);
        connect(m_socket, &QWebSocket::connected, this, [this] {
            m_socket->sendBinaryMessage(
                requestFrame(1, api::VERB_AUTH_PROOF, authProof("root-stalled", "stalled")));
        });
        connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this] {
            if (!m_blocked) {
                m_blocked = true;
                m_release.acquire(); // the event loop of this thread stops here
            }
        });
        m_socket->open(QUrl(QStringLiteral("wss://localhost:%1/").arg(m_port)));
    }

private:
    quint16 m_port;
    QSslConfiguration m_tls;
    QSemaphore& m_release;
    QWebSocket* m_socket = nullptr;
    bool m_blocked = false;
};

// One in-process server with its own configuration.
struct Harness {
    ServerConfig config;
    ConnectionRegistry registry;
    std::unique_ptr<EchoDispatcher> dispatcher;
    std::unique_ptr<WebSocketServer> server;

    [[nodiscard]] quint16 port() const { return server->serverPort(); }
};

class TestServerTransport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ServerConfig m_baseConfig;
    QSslConfiguration m_clientTls;

    std::unique_ptr<Harness> start(const std::function<void(ServerConfig&)>& tweak = {}) {
        auto harness = std::make_unique<Harness>();
        harness->config = m_baseConfig;
        if (tweak) {
            tweak(harness->config);
        }
        harness->dispatcher = std::make_unique<EchoDispatcher>(harness->registry);
        harness->server = std::make_unique<WebSocketServer>(harness->config, *harness->dispatcher,
                                                            harness->registry);
        const QString error = harness->server->listen();
        if (!error.isEmpty()) {
            qWarning() << error;
            return nullptr;
        }
        return harness;
    }

    std::unique_ptr<TestClient> client(const Harness& harness) {
        auto result = std::make_unique<TestClient>(m_clientTls);
        if (!result->open(harness.port())) {
            return nullptr;
        }
        return result;
    }

    // The server still serves a fresh connection.
    void verifyStillServing(const Harness& harness) {
        auto probe = client(harness);
        QVERIFY(probe);
        probe->send(77, api::VERB_PING, "still here");
        const auto answer = probe->response(77);
        QVERIFY(answer);
        QCOMPARE(answer->status(), api::STATUS_OK);
        QCOMPARE(answer->body(), std::string("still here"));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QCOMPARE(generateDevCertificate(m_dir.path()), QString());
        m_baseConfig.listen = Endpoint{QHostAddress(QHostAddress::LocalHost), 0};
        m_baseConfig.certificateFile = m_dir.filePath(QStringLiteral("cert.pem"));
        m_baseConfig.keyFile = m_dir.filePath(QStringLiteral("key.pem"));
        m_baseConfig.health.reset();
        m_baseConfig.connectionRateLimit = RateLimit{};
        m_baseConfig.addressRateLimit = RateLimit{};
        m_baseConfig.shutdownGraceSeconds = 20;
        QCOMPARE(m_baseConfig.loadTlsIdentity(), QString());
        QCOMPARE(m_baseConfig.serverName, QStringLiteral("localhost"));

        // The client pins the dev certificate as its only CA and verifies the peer.
        m_clientTls = QSslConfiguration::defaultConfiguration();
        m_clientTls.setCaCertificates(m_baseConfig.certificateChain);
        m_clientTls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        m_clientTls.setProtocol(QSsl::TlsV1_3OrLater);
    }

    void pingRoundTrip() {
        auto harness = start();
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        QCOMPARE(c->socket().sslConfiguration().sessionProtocol(), QSsl::TlsV1_3);
        c->send(7, api::VERB_PING, "hello");
        const auto answer = c->response(7);
        QVERIFY(answer);
        QCOMPARE(answer->status(), api::STATUS_OK);
        QCOMPARE(answer->body(), std::string("hello"));
        QCOMPARE(harness->registry.count(), 1);
        QCOMPARE(harness->registry.authenticatedCount(), 0);
    }

    void textFrameCloses() {
        auto harness = start();
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        c->socket().sendTextMessage(QStringLiteral("{\"verb\":\"ping\"}"));
        QVERIFY(c->waitDisconnected());
        QCOMPARE(c->socket().closeCode(), QWebSocketProtocol::CloseCodeDatatypeNotSupported);
        QVERIFY(c->closingReason().contains(QStringLiteral("text frames")));
        QTRY_COMPARE_WITH_TIMEOUT(harness->registry.count(), 0, kTimeoutMs);
        verifyStillServing(*harness);
    }

    void malformedFrames_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<bool>("answered"); // else: closed
        QTest::addColumn<quint64>("id");
        QTest::newRow("garbage") << QByteArray("\xff\xff\xff\xff\x01", 5) << false << quint64(0);
        QTest::newRow("empty envelope") << QByteArray() << false << quint64(0);
        // A request with id 42 whose body claims 16 bytes but has 1.
        QTest::newRow("truncated request")
            << QByteArray("\x0a\x05\x08\x2a\x1a\x10\x00", 7) << true << quint64(42);
        api::Envelope response;
        response.mutable_response()->set_id(9);
        QTest::newRow("response envelope") << serialize(response) << true << quint64(9);
        api::Envelope push;
        push.mutable_push()->mutable_closing()->set_reason("no");
        QTest::newRow("push envelope") << serialize(push) << false << quint64(0);
    }

    void malformedFrames() {
        QFETCH(QByteArray, frame);
        QFETCH(bool, answered);
        QFETCH(quint64, id);
        auto harness = start();
        QVERIFY(harness);
        auto bystander = client(*harness);
        QVERIFY(bystander);
        auto c = client(*harness);
        QVERIFY(c);
        c->socket().sendBinaryMessage(frame);
        if (answered) {
            const auto answer = c->response(id);
            QVERIFY(answer);
            QCOMPARE(answer->status(), api::STATUS_BAD_REQUEST);
            c->send(id + 1, api::VERB_PING);
            QVERIFY(c->response(id + 1));
        } else {
            QVERIFY(c->waitDisconnected());
            QCOMPARE(c->socket().closeCode(), QWebSocketProtocol::CloseCodeProtocolError);
            QVERIFY(!c->closingReason().isEmpty());
        }
        // Other connections are unaffected and new ones are served.
        bystander->send(5, api::VERB_PING);
        QVERIFY(bystander->response(5));
        verifyStillServing(*harness);
    }

    void unknownVerb() {
        auto harness = start();
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        c->send(3, 99);
        auto answer = c->response(3);
        QVERIFY(answer);
        QCOMPARE(answer->status(), api::STATUS_BAD_REQUEST);
        c->send(4, api::VERB_UNSPECIFIED);
        answer = c->response(4);
        QVERIFY(answer);
        QCOMPARE(answer->status(), api::STATUS_BAD_REQUEST);
        QCOMPARE(harness->dispatcher->dispatched(), 0);
    }

    void oversizedFrameCloses() {
        auto harness = start([](ServerConfig& config) { config.maxFrameBytes = 64 * 1024; });
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        c->send(1, api::VERB_PING, QByteArray(60 * 1024, 'a'));
        QVERIFY(c->response(1));
        c->send(2, api::VERB_PING, QByteArray(100 * 1024, 'a'));
        QVERIFY(c->waitDisconnected());
        QCOMPARE(c->socket().closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        QVERIFY(!c->response(2, 0));
        verifyStillServing(*harness);
    }

    void unauthenticatedGate() {
        auto harness = start();
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        for (const int verb :
             {api::VERB_GET_PROFILE, api::VERB_SEND, api::VERB_ACK, api::VERB_BLOB_GET}) {
            c->send(static_cast<quint64>(verb), verb);
            const auto answer = c->response(static_cast<quint64>(verb));
            QVERIFY(answer);
            QCOMPARE(answer->status(), api::STATUS_UNAUTHENTICATED);
        }
        QCOMPARE(harness->dispatcher->dispatched(), 0);
        // The verbs that need no login pass the gate.
        c->send(50, api::VERB_RECOVERY_PARAMETERS);
        QCOMPARE(c->response(50)->status(), api::STATUS_OK);
        QVERIFY(c->login("node-a"));
        QCOMPARE(harness->dispatcher->authenticatedCount(), 1);
        api::SendRequest send;
        send.set_packet("p");
        c->send(51, api::VERB_SEND, serialize(send));
        const auto answer = c->response(51);
        QVERIFY(answer);
        QCOMPARE(answer->status(), api::STATUS_OK);
    }

    void connectionRateLimit() {
        auto harness = start([](ServerConfig& config) {
            config.connectionRateLimit = RateLimit{1, 3};
        });
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        for (quint64 id = 1; id <= 10; ++id) {
            c->send(id, api::VERB_PING);
        }
        int ok = 0;
        int limited = 0;
        for (quint64 id = 1; id <= 10; ++id) {
            const auto answer = c->response(id);
            QVERIFY(answer);
            if (answer->status() == api::STATUS_RATE_LIMITED) {
                ++limited;
                QVERIFY(answer->retry_after_ms() > 0);
            } else {
                QCOMPARE(answer->status(), api::STATUS_OK);
                ++ok;
            }
        }
        QVERIFY(ok >= 3);
        QVERIFY(limited >= 1);
        // Another connection has its own bucket.
        auto other = client(*harness);
        QVERIFY(other);
        other->send(1, api::VERB_PING);
        QCOMPARE(other->response(1)->status(), api::STATUS_OK);
    }

    void addressRateLimit() {
        auto harness = start([](ServerConfig& config) {
            config.addressRateLimit = RateLimit{0.5, 2};
        });
        QVERIFY(harness);
        auto first = client(*harness);
        auto second = client(*harness);
        QVERIFY(first && second);
        // Two REGISTERs from one address pass, the third (on another connection) does not.
        first->send(1, api::VERB_REGISTER);
        QCOMPARE(first->response(1)->status(), api::STATUS_OK);
        second->send(1, api::VERB_REGISTER);
        QCOMPARE(second->response(1)->status(), api::STATUS_OK);
        second->send(2, api::VERB_RECOVERY_FETCH);
        const auto limited = second->response(2);
        QVERIFY(limited);
        QCOMPARE(limited->status(), api::STATUS_RATE_LIMITED);
        QVERIFY(limited->retry_after_ms() > 0);
        // PING is not an address-limited verb.
        first->send(3, api::VERB_PING);
        QCOMPARE(first->response(3)->status(), api::STATUS_OK);
    }

    void loginTimeout() {
        auto harness = start([](ServerConfig& config) { config.loginTimeoutSeconds = 1; });
        QVERIFY(harness);
        auto idle = client(*harness);
        QVERIFY(idle);
        auto loggedIn = client(*harness);
        QVERIFY(loggedIn);
        QVERIFY(loggedIn->login("node-t"));
        QVERIFY(idle->waitDisconnected());
        QCOMPARE(idle->closingReason(), QStringLiteral("login timeout"));
        QTest::qWait(1500);
        QVERIFY(!loggedIn->isDisconnected());
    }

    void maxConnections() {
        auto harness = start([](ServerConfig& config) { config.maxConnections = 2; });
        QVERIFY(harness);
        auto a = client(*harness);
        auto b = client(*harness);
        QVERIFY(a && b);
        TestClient refused(m_clientTls);
        QVERIFY(!refused.open(harness->port()));
        QCOMPARE(harness->registry.count(), 2);
        a->socket().close();
        QTRY_COMPARE_WITH_TIMEOUT(harness->registry.count(), 1, kTimeoutMs);
        verifyStillServing(*harness);
    }

    void pipelinedDownloadsAreFlowControlled() {
        // 64 answers of 256 KiB (16 MiB) to a client that reads: never more than 1 MiB queued,
        // and the client is not cut.
        auto harness = start([](ServerConfig& config) { config.maxQueuedBytes = 1024 * 1024; });
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        QVERIFY(c->login("downloader"));
        const auto cutBefore = Metrics::instance().value(metric::kSlowReaderDisconnects);
        api::BlobGetRequest get;
        get.set_length(256 * 1024);
        for (quint64 id = 1; id <= 64; ++id) {
            c->send(id, api::VERB_BLOB_GET, serialize(get));
        }
        const auto last = c->response(64, 60'000);
        QVERIFY(last);
        QCOMPARE(last->body().size(), std::size_t{256 * 1024});
        QCOMPARE(c->responseCount(), 65);
        QVERIFY(!c->isDisconnected());
        QCOMPARE(Metrics::instance().value(metric::kSlowReaderDisconnects), cutBefore);
    }

    void slowReaderIsCut() {
        auto harness = start([](ServerConfig& config) { config.maxQueuedBytes = 1024 * 1024; });
        QVERIFY(harness);
        const auto cutBefore = Metrics::instance().value(metric::kSlowReaderDisconnects);
        QSemaphore release;
        QThread thread;
        auto* stalled = new StalledReader(harness->port(), m_clientTls, release);
        stalled->moveToThread(&thread);
        connect(&thread, &QThread::started, stalled, &StalledReader::start);
        thread.start();
        QTRY_VERIFY_WITH_TIMEOUT(harness->registry.byNode("stalled") != nullptr, kTimeoutMs);

        auto sender = client(*harness);
        QVERIFY(sender);
        QVERIFY(sender->login("sender"));
        api::SendRequest send;
        send.set_packet(std::string(64 * 1024, 'p'));
        send.add_recipient_node_ids("stalled");
        // Up to 64 MiB of deliveries for a device that reads nothing.
        for (quint64 id = 1; id <= 1024; ++id) {
            sender->send(id, api::VERB_SEND, serialize(send));
            if (id % 32 == 0) {
                sender->response(id);
                if (harness->registry.byNode("stalled") == nullptr) {
                    break;
                }
            }
        }
        QTRY_VERIFY_WITH_TIMEOUT(harness->registry.byNode("stalled") == nullptr, kTimeoutMs);
        QCOMPARE(Metrics::instance().value(metric::kSlowReaderDisconnects), cutBefore + 1);
        QVERIFY(!sender->isDisconnected());

        release.release();
        QMetaObject::invokeMethod(
            stalled, [stalled] { delete stalled; }, Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(kTimeoutMs));
    }

    void registryKeepsOneConnectionPerNode() {
        auto harness = start();
        QVERIFY(harness);
        auto first = client(*harness);
        QVERIFY(first);
        QVERIFY(first->login("phone"));
        ClientConnection* firstConnection = harness->registry.byNode("phone");
        QVERIFY(firstConnection);
        const quint64 firstId = firstConnection->id();
        QCOMPARE(firstConnection->rootId(), QByteArray("root-phone"));
        auto other = client(*harness);
        QVERIFY(other);
        QVERIFY(other->login("laptop"));
        QCOMPARE(harness->registry.authenticatedCount(), 2);

        auto second = client(*harness);
        QVERIFY(second);
        QVERIFY(second->login("phone"));
        QVERIFY(first->waitDisconnected());
        QCOMPARE(first->closingReason(), QStringLiteral("signed in elsewhere"));
        ClientConnection* now = harness->registry.byNode("phone");
        QVERIFY(now);
        QVERIFY(now->id() != firstId);
        QTRY_COMPARE_WITH_TIMEOUT(harness->registry.count(), 2, kTimeoutMs);
        QCOMPARE(harness->registry.authenticatedCount(), 2);
        QCOMPARE(harness->registry.byRoot("root-phone").size(), 1);
        QCOMPARE(harness->registry.authenticated().size(), 2);
        QVERIFY(harness->registry.byId(firstId) == nullptr);
        QVERIFY(!other->isDisconnected());
    }

    void gracefulShutdown() {
        auto harness = start();
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        QVERIFY(c->login("node-s"));
        c->send(10, api::VERB_ACK); // held by the dispatcher: in flight
        QTRY_COMPARE_WITH_TIMEOUT(harness->dispatcher->heldCount(), 1, kTimeoutMs);
        QSignalSpy stopped(harness->server.get(), &WebSocketServer::stopped);
        harness->server->shutdown();
        QVERIFY(harness->dispatcher->drainRequested());
        QVERIFY(harness->server->isShuttingDown());
        // New requests are refused, the held one still completes, then the connection closes.
        c->send(11, api::VERB_PING);
        const auto refused = c->response(11);
        QVERIFY(refused);
        QCOMPARE(refused->status(), api::STATUS_UNAVAILABLE);
        QCOMPARE(stopped.count(), 0);
        QVERIFY(!c->isDisconnected());
        harness->dispatcher->releaseHeld();
        const auto held = c->response(10);
        QVERIFY(held);
        QCOMPARE(held->status(), api::STATUS_OK);
        QVERIFY(c->waitDisconnected());
        QCOMPARE(c->closingReason(), QStringLiteral("server shutting down"));
        QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kTimeoutMs);
        // No new connections.
        TestClient late(m_clientTls);
        QVERIFY(!late.open(harness->port()));
    }

    void healthAndMetrics() {
        bool healthy = true;
        HealthEndpoint health([&] { return healthy; });
        QCOMPARE(health.listen(Endpoint{QHostAddress(QHostAddress::LocalHost), 0}), QString());
        auto harness = start();
        QVERIFY(harness);
        auto c = client(*harness);
        QVERIFY(c);
        c->send(1, api::VERB_PING);
        QVERIFY(c->response(1));
        Metrics::instance().add(metric::kMessagesRelayed, 3);

        QByteArray body;
        QCOMPARE(httpGet(health.serverPort(), "/health", &body), 200);
        QCOMPARE(body, QByteArray("ok\n"));
        QCOMPARE(httpGet(health.serverPort(), "/metrics", &body), 200);
        QVERIFY(body.contains("# TYPE cinder_requests_total counter"));
        QVERIFY(body.contains("cinder_requests_total{verb=\"PING\"}"));
        QVERIFY(body.contains("cinder_responses_total{status=\"STATUS_OK\"}"));
        QVERIFY(body.contains("# TYPE cinder_connections gauge"));
        QVERIFY(body.contains("cinder_messages_relayed_total"));
        QVERIFY(body.contains("# TYPE cinder_deliveries_pushed_total counter"));
        QVERIFY(body.contains("# TYPE cinder_deliveries_acknowledged_total counter"));
        QVERIFY(!body.contains("127.0.0.1"));
        QCOMPARE(httpGet(health.serverPort(), "/nope"), 404);
        healthy = false;
        QCOMPARE(httpGet(health.serverPort(), "/health"), 503);
    }

    void frameDecoding() {
        QCOMPARE(recoverRequestId(QByteArray("\x0a\x02\x08\x05", 4)),
                 std::optional<std::uint64_t>(5));
        QCOMPARE(recoverRequestId(QByteArray("\x0a\x10\x08", 3)), std::nullopt);
        QCOMPARE(recoverRequestId(QByteArray("\x0a", 1)), std::nullopt);
        QCOMPARE(recoverRequestId(QByteArray("\x12\x02\x08\x07", 4)),
                 std::optional<std::uint64_t>(7));
        QCOMPARE(recoverRequestId(QByteArray("\x08\x05", 2)), std::nullopt);
        QByteArray allContinuation(20, '\xff');
        QCOMPARE(recoverRequestId(allContinuation), std::nullopt);
        QVERIFY(isUnauthenticatedVerb(api::VERB_RECOVERY_FETCH));
        QVERIFY(!isUnauthenticatedVerb(api::VERB_SEND));
    }

    void tokenBucket() {
        TokenBucket bucket(RateLimit{2, 2}, 0);
        std::uint32_t retry = 0;
        QVERIFY(bucket.take(0, retry));
        QVERIFY(bucket.take(0, retry));
        QVERIFY(!bucket.take(0, retry));
        QCOMPARE(retry, 500u);
        QVERIFY(!bucket.take(250, retry));
        QCOMPARE(retry, 250u);
        QVERIFY(bucket.take(500, retry));
        QVERIFY(!bucket.isFull(500));
        QVERIFY(bucket.isFull(1500));
        TokenBucket unlimited(RateLimit{}, 0);
        for (int i = 0; i < 1000; ++i) {
            QVERIFY(unlimited.take(0, retry));
        }
    }

    void configErrors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("unknown flag") << QStringList{QStringLiteral("--bogus")};
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")};
        QTest::newRow("no cert") << QStringList{};
        QTest::newRow("bad listen")
            << QStringList{QStringLiteral("--listen"), QStringLiteral("nowhere")};
        QTest::newRow("bad port") << QStringList{QStringLiteral("--listen"),
                                                 QStringLiteral("127.0.0.1:70000")};
        QTest::newRow("bad database")
            << QStringList{QStringLiteral("--database"), QStringLiteral("mysql://x/y")};
        QTest::newRow("postgres no db")
            << QStringList{QStringLiteral("--database"), QStringLiteral("postgres://u@h:5432")};
        QTest::newRow("bad frame size")
            << QStringList{QStringLiteral("--max-frame-bytes"), QStringLiteral("lots")};
        QTest::newRow("bad rate") << QStringList{QStringLiteral("--rate-limit"),
                                                 QStringLiteral("-3")};
        QTest::newRow("bad ttl") << QStringList{QStringLiteral("--message-ttl-days"),
                                                QStringLiteral("0")};
        // Past the protocol's delivery bound (crypto::kMaxDeliveryAgeMs): receivers would
        // refuse the packets the server still holds.
        QTest::newRow("ttl past the delivery bound")
            << QStringList{QStringLiteral("--message-ttl-days"), QStringLiteral("367")};
        QTest::newRow("bad level")
            << QStringList{QStringLiteral("--log-level"), QStringLiteral("loud")};
        QTest::newRow("missing config")
            << QStringList{QStringLiteral("--config"), QStringLiteral("/nonexistent.ini")};
    }

    void configErrors() {
        QFETCH(QStringList, arguments);
        QStringList argv{QStringLiteral("cinder-server")};
        if (!arguments.isEmpty()) { // every case but "no cert" has a certificate
            argv << QStringLiteral("--cert") << m_baseConfig.certificateFile
                 << QStringLiteral("--key") << m_baseConfig.keyFile;
        }
        argv << arguments;
        const ConfigOutcome outcome = parseServerConfig(argv);
        QCOMPARE(outcome.action, ConfigOutcome::Action::Exit);
        QCOMPARE(outcome.exitCode, kExitUsage);
        QVERIFY(!outcome.message.isEmpty());
    }

    void configFileAndFlags() {
        const QString ini = m_dir.filePath(QStringLiteral("server.ini"));
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "[server]\nlisten = 127.0.0.1:9000\ncert = " + m_baseConfig.certificateFile.toUtf8() +
            "\nkey = " + m_baseConfig.keyFile.toUtf8() +
            "\n[database]\nurl = \"postgres://cinder@db.internal:6543/relay\"\n"
            "[limits]\nmax_queued_bytes = 2MiB\nrate_limit = 50/80\n"
            "[relay]\nmessage_ttl_days = 7\n[health]\nlisten = off\n");
        file.close();
        const ConfigOutcome outcome =
            parseServerConfig({QStringLiteral("cinder-server"), QStringLiteral("--config"), ini,
                               QStringLiteral("--listen"), QStringLiteral("[::1]:9443"),
                               QStringLiteral("--server-name"), QStringLiteral("chat.example")});
        QCOMPARE(outcome.message, QString());
        QCOMPARE(outcome.action, ConfigOutcome::Action::Run);
        const ServerConfig& config = outcome.config;
        QCOMPARE(config.listen.address, QHostAddress(QHostAddress::LocalHostIPv6)); // flag wins
        QCOMPARE(config.listen.port, quint16(9443));
        QCOMPARE(config.serverName, QStringLiteral("chat.example"));
        QCOMPARE(config.database.kind, DatabaseConfig::Kind::Postgres);
        QCOMPARE(config.database.user, QStringLiteral("cinder"));
        QCOMPARE(config.database.host, QStringLiteral("db.internal"));
        QCOMPARE(config.database.port, quint16(6543));
        QCOMPARE(config.database.databaseName, QStringLiteral("relay"));
        QCOMPARE(config.database.describe(),
                 QStringLiteral("postgres://cinder@db.internal:6543/relay"));
        QCOMPARE(config.maxQueuedBytes, std::int64_t{2 * 1024 * 1024});
        QCOMPARE(config.maxFrameBytes, std::int64_t{4 * 1024 * 1024});
        QCOMPARE(config.connectionRateLimit, (RateLimit{50, 80}));
        QCOMPARE(config.messageTtlDays, 7);
        QCOMPARE(config.prekeyLowThreshold, 10);
        QVERIFY(!config.health);
        QVERIFY(!config.privateKey.isNull());

        QFile bad(m_dir.filePath(QStringLiteral("bad.ini")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("[limits]\nmax_queud_bytes = 1\n");
        bad.close();
        const ConfigOutcome typo = parseServerConfig(
            {QStringLiteral("cinder-server"), QStringLiteral("--config"), bad.fileName()});
        QCOMPARE(typo.exitCode, kExitUsage);
        QVERIFY(typo.message.contains(QStringLiteral("max_queud_bytes")));
    }

    void databaseUrls() {
        const auto sqlite =
            DatabaseConfig::parse(QStringLiteral("sqlite:/var/lib/cinder/db.sqlite"));
        QVERIFY(sqlite);
        QCOMPARE(sqlite->kind, DatabaseConfig::Kind::Sqlite);
        QCOMPARE(sqlite->sqlitePath, QStringLiteral("/var/lib/cinder/db.sqlite"));
        const auto postgres = DatabaseConfig::parse(QStringLiteral("postgresql://u:secret@h/db"));
        QVERIFY(postgres);
        QCOMPARE(postgres->port, kDefaultPostgresPort);
        QCOMPARE(postgres->password, QStringLiteral("secret"));
        QVERIFY(!postgres->describe().contains(QStringLiteral("secret")));
        QVERIFY(!DatabaseConfig::parse(QStringLiteral("sqlite:")));
    }

    // --- The real binary ---

    void binaryHelpAndBadFlags() {
        QProcess help;
        help.start(QStringLiteral(CINDER_SERVER_BINARY), {QStringLiteral("--help")});
        QVERIFY(help.waitForFinished(kTimeoutMs));
        QCOMPARE(help.exitCode(), 0);
        const QByteArray text = help.readAllStandardOutput();
        for (const char* flag : {"--config", "--listen", "--cert", "--key", "--server-name",
                                 "--database", "--health", "--max-connections", "--max-frame-bytes",
                                 "--max-queued-bytes", "--rate-limit", "--message-ttl-days",
                                 "--prekey-low-threshold", "--generate-dev-cert", "--log-level"}) {
            QVERIFY2(text.contains(flag), flag);
        }
        QProcess bad;
        bad.start(QStringLiteral(CINDER_SERVER_BINARY),
                  {QStringLiteral("--max-connections"), QStringLiteral("many")});
        QVERIFY(bad.waitForFinished(kTimeoutMs));
        QCOMPARE(bad.exitStatus(), QProcess::NormalExit);
        QCOMPARE(bad.exitCode(), kExitUsage);
        QVERIFY(bad.readAllStandardError().contains("--max-connections"));
        QProcess unknown;
        unknown.start(QStringLiteral(CINDER_SERVER_BINARY), {QStringLiteral("--no-such-flag")});
        QVERIFY(unknown.waitForFinished(kTimeoutMs));
        QCOMPARE(unknown.exitCode(), kExitUsage);
    }

    void binaryServesHealthAndStopsOnSigterm() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess generate;
        generate.start(QStringLiteral(CINDER_SERVER_BINARY),
                       {QStringLiteral("--generate-dev-cert"), dir.path()});
        QVERIFY(generate.waitForFinished(kTimeoutMs));
        QCOMPARE(generate.exitCode(), 0);
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QVERIFY(QFile::exists(cert) && QFile::exists(key));
        QCOMPARE(QFile::permissions(key) & (QFile::ReadGroup | QFile::ReadOther),
                 QFileDevice::Permissions());

        const quint16 port = freePort();
        const quint16 healthPort = freePort();
        QVERIFY(port != 0 && healthPort != 0 && port != healthPort);
        QProcess server;
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start(QStringLiteral(CINDER_SERVER_BINARY),
                     {QStringLiteral("--cert"), cert, QStringLiteral("--key"), key,
                      QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                      QStringLiteral("--health"), QStringLiteral("127.0.0.1:%1").arg(healthPort),
                      QStringLiteral("--database"),
                      QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("cinder.sqlite"))});
        QVERIFY(server.waitForStarted(kTimeoutMs));
        QTRY_COMPARE_WITH_TIMEOUT(httpGet(healthPort, "/health"), 200, kTimeoutMs);

        // The placeholder dispatcher answers PING over the pinned TLS connection.
        QSslConfiguration tls = m_clientTls;
        tls.setCaCertificates(QSslCertificate::fromPath(cert));
        TestClient c(tls);
        QVERIFY(c.open(port));
        c.send(1, api::VERB_PING);
        const auto answer = c.response(1);
        QVERIFY(answer);
        QCOMPARE(answer->status(), api::STATUS_OK);

        server.terminate(); // SIGTERM
        QVERIFY(c.waitDisconnected());
        QCOMPARE(c.closingReason(), QStringLiteral("server shutting down"));
        // The event loop above may already have seen the exit.
        QVERIFY(server.state() == QProcess::NotRunning || server.waitForFinished(kTimeoutMs));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
    }
};

#ifdef CINDER_TEST_EPOLL_DISPATCHER
// The same suite on the network thread's epoll dispatcher, as cinder-server runs.
int main(int argc, char** argv) {
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestServerTransport test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#else
QTEST_MAIN(TestServerTransport)
#endif
#include "tst_server_transport.moc"
