// SPDX-License-Identifier: Apache-2.0
// ServerConnection against a scripted in-test TLS 1.3 WebSocket server (FakeApiServer): request
// matching, pushes, a lying server, dropped connections, certificate pinning and reconnecting.
#include "net/ServerConnection.h"
#include "tests/net/FakeApiServer.h"
#include "tests/support/TestCertificate.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using cinder::net::ConnectionError;
using cinder::net::Reply;
using cinder::net::ServerConnection;
using cinder::net::ServerEndpoint;
using cinder::test::FakeApiServer;
using cinder::test::TestCertificate;

namespace {

constexpr int kTimeoutMs = 20000;

QByteArray bytes(const char* text) {
    return QByteArray(text);
}

} // namespace

class TestServerConnection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void requestsMatchOutOfOrderResponses();
    void responseFieldsReachTheReply();
    void pushesAreDelivered();
    void unknownResponseIdIsIgnoredAndCounted();
    void malformedFrameClosesAndFailsOutstanding_data();
    void malformedFrameClosesAndFailsOutstanding();
    void serverDropFailsOutstandingRequests();
    void requestWhileDisconnectedFailsAsynchronously();
    void requestsMadeWhileConnectingAreSent();
    void requestAndWaitTimesOut();
    void destroyingTheConnectionCompletesRequests();
    void handlerWithDeadContextIsNotCalled();
    void handlerMayDeleteTheConnection();
    void messageBodiesRoundTrip();
    void invalidEndpointIsRefused();
    void pinning_data();
    void pinning();
    void autoReconnectWithBackOff();

private:
    // Starts m_server with m_leaf and opens `connection` pinned to m_leaf's fingerprint.
    bool connectPinned(ServerConnection& connection);
    ServerEndpoint fingerprintEndpoint(const TestCertificate& pinned, quint16 port) const;

    QTemporaryDir m_dir;
    TestCertificate m_leaf;
    TestCertificate m_authority;
    TestCertificate m_otherAuthority;
    FakeApiServer m_server;
};

void TestServerConnection::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_leaf = TestCertificate::selfSigned(QStringLiteral("cinder test server"));
    m_authority = TestCertificate::authority(QStringLiteral("cinder test CA"));
    m_otherAuthority = TestCertificate::authority(QStringLiteral("someone else's CA"));
    QVERIFY(!m_leaf.isNull());
    QVERIFY(!m_authority.isNull());
    QVERIFY(!m_otherAuthority.isNull());
    QVERIFY(m_server.listen(m_leaf));
}

ServerEndpoint TestServerConnection::fingerprintEndpoint(const TestCertificate& pinned,
                                                         quint16 port) const {
    ServerEndpoint endpoint;
    endpoint.host = QStringLiteral("127.0.0.1");
    endpoint.port = port;
    endpoint.certificateSha256 = pinned.sha256();
    return endpoint;
}

bool TestServerConnection::connectPinned(ServerConnection& connection) {
    if (m_server.port() == 0 && !m_server.listen(m_leaf))
        return false;
    QSignalSpy connected(&connection, &ServerConnection::connected);
    connection.open(fingerprintEndpoint(m_leaf, m_server.port()));
    return connected.wait(kTimeoutMs) || connection.isConnected();
}

void TestServerConnection::requestsMatchOutOfOrderResponses() {
    m_server.setEcho(false);
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    const int before = static_cast<int>(m_server.requests().size());

    QMap<quint64, QByteArray> replies;
    QList<quint64> ids;
    for (const char* body : {"first", "second", "third"}) {
        ids << connection.request(cinder::api::VERB_PING, bytes(body), this,
                                  [&replies](const Reply& reply) {
                                      QVERIFY(reply.ok());
                                      replies.insert(reply.id, reply.body);
                                  });
    }
    QVERIFY(ids[0] < ids[1] && ids[1] < ids[2]);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.requests().size(), before + 3, kTimeoutMs);

    // Answer in reverse order, each with "answer to <its body>".
    for (int i = before + 2; i >= before; --i) {
        const auto& request = m_server.requests().at(i);
        QCOMPARE(request.verb(), cinder::api::VERB_PING);
        m_server.respond(request.id(), cinder::api::STATUS_OK,
                         "answer to " + QByteArray::fromStdString(request.body()));
    }
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 3, kTimeoutMs);
    QCOMPARE(replies.value(ids[0]), bytes("answer to first"));
    QCOMPARE(replies.value(ids[1]), bytes("answer to second"));
    QCOMPARE(replies.value(ids[2]), bytes("answer to third"));
    QCOMPARE(connection.outstandingRequests(), 0);
    QCOMPARE(connection.unknownResponseCount(), quint64(0));
}

void TestServerConnection::responseFieldsReachTheReply() {
    m_server.setEcho(false);
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    const qsizetype before = m_server.requests().size();
    std::optional<Reply> got;
    connection.request(cinder::api::VERB_SEND, cinder::api::SendRequest{}, this,
                       [&got](const Reply& reply) { got = reply; });
    QTRY_COMPARE_WITH_TIMEOUT(m_server.requests().size(), before + 1, kTimeoutMs);
    QCOMPARE(m_server.requests().last().verb(), cinder::api::VERB_SEND);
    m_server.respond(m_server.requests().last().id(), cinder::api::STATUS_RATE_LIMITED, {},
                     QStringLiteral("slow down"), 1500);
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), kTimeoutMs);
    QVERIFY(got->answered());
    QVERIFY(!got->ok());
    QCOMPARE(got->status, cinder::api::STATUS_RATE_LIMITED);
    QCOMPARE(got->error, QStringLiteral("slow down"));
    QCOMPARE(got->retryAfterMs, 1500u);
}

void TestServerConnection::pushesAreDelivered() {
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    QSignalSpy pushes(&connection, &ServerConnection::push);
    cinder::api::Push push;
    push.mutable_prekeys_low()->set_remaining(3);
    m_server.sendPush(push);
    cinder::api::Push delivery;
    delivery.mutable_delivery()->set_delivery_id(42);
    delivery.mutable_delivery()->set_packet("opaque");
    m_server.sendPush(delivery);
    QTRY_COMPARE_WITH_TIMEOUT(pushes.size(), 2, kTimeoutMs);
    const auto first = pushes.at(0).at(0).value<cinder::api::Push>();
    QVERIFY(first.has_prekeys_low());
    QCOMPARE(first.prekeys_low().remaining(), 3u);
    const auto second = pushes.at(1).at(0).value<cinder::api::Push>();
    QCOMPARE(second.delivery().delivery_id(), quint64(42));
    QCOMPARE(second.delivery().packet(), std::string("opaque"));
}

void TestServerConnection::unknownResponseIdIsIgnoredAndCounted() {
    m_server.setEcho(false);
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    QSignalSpy disconnected(&connection, &ServerConnection::disconnected);
    m_server.respond(999999, cinder::api::STATUS_OK, "nobody asked");
    QTRY_COMPARE_WITH_TIMEOUT(connection.unknownResponseCount(), quint64(1), kTimeoutMs);
    QVERIFY(connection.isConnected());

    m_server.setEcho(true);
    const Reply reply =
        connection.requestAndWait(cinder::api::VERB_PING, bytes("still"), kTimeoutMs);
    QVERIFY(reply.ok());
    QCOMPARE(reply.body, bytes("still"));
    QCOMPARE(disconnected.size(), 0);
    m_server.setEcho(false);
}

void TestServerConnection::malformedFrameClosesAndFailsOutstanding_data() {
    QTest::addColumn<int>("kind");
    QTest::newRow("not protobuf") << 0;
    QTest::newRow("text frame") << 1;
    QTest::newRow("request from server") << 2;
    QTest::newRow("empty envelope") << 3;
    QTest::newRow("truncated response") << 4;
}

void TestServerConnection::malformedFrameClosesAndFailsOutstanding() {
    QFETCH(int, kind);
    m_server.setEcho(false);
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    QSignalSpy disconnected(&connection, &ServerConnection::disconnected);

    QList<Reply> replies;
    for (int i = 0; i < 2; ++i) {
        connection.request(cinder::api::VERB_PING, QByteArray(), this,
                           [&replies](const Reply& reply) { replies << reply; });
    }
    QCOMPARE(connection.outstandingRequests(), 2);

    cinder::api::Envelope envelope;
    switch (kind) {
    case 0:
        m_server.sendRaw(QByteArray("\xff\xff\xff\xff\xff\x01garbage", 13));
        break;
    case 1:
        m_server.sendText(QStringLiteral("hello"));
        break;
    case 2:
        envelope.mutable_request()->set_id(1);
        m_server.sendEnvelope(envelope);
        break;
    case 3:
        m_server.sendEnvelope(envelope);
        break;
    default: {
        envelope.mutable_response()->set_id(1);
        envelope.mutable_response()->set_body(std::string(100, 'x'));
        const QByteArray whole = QByteArray::fromStdString(envelope.SerializeAsString());
        m_server.sendRaw(whole.left(whole.size() - 10));
        break;
    }
    }
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 2, kTimeoutMs);
    for (const Reply& reply : replies) {
        QVERIFY(!reply.answered());
        QCOMPARE(reply.transportError, ConnectionError::MalformedFrame);
    }
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).value<ConnectionError>(), ConnectionError::MalformedFrame);
    QCOMPARE(connection.state(), ServerConnection::State::Disconnected);
    QCOMPARE(connection.lastError(), ConnectionError::MalformedFrame);
}

void TestServerConnection::serverDropFailsOutstandingRequests() {
    m_server.setEcho(false);
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    QSignalSpy disconnected(&connection, &ServerConnection::disconnected);
    const qsizetype before = m_server.requests().size();
    std::optional<Reply> got;
    connection.request(cinder::api::VERB_SYNC, QByteArray(), this,
                       [&got](const Reply& reply) { got = reply; });
    QTRY_COMPARE_WITH_TIMEOUT(m_server.requests().size(), before + 1, kTimeoutMs);
    m_server.dropClients();
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), kTimeoutMs);
    QCOMPARE(got->transportError, ConnectionError::ClosedByServer);
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).value<ConnectionError>(), ConnectionError::ClosedByServer);
    QCOMPARE(connection.outstandingRequests(), 0);
}

void TestServerConnection::requestWhileDisconnectedFailsAsynchronously() {
    ServerConnection connection;
    std::optional<Reply> got;
    connection.request(cinder::api::VERB_PING, QByteArray(), this,
                       [&got](const Reply& reply) { got = reply; });
    QVERIFY(!got.has_value()); // never re-entrant
    QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), kTimeoutMs);
    QCOMPARE(got->transportError, ConnectionError::NotConnected);

    const Reply blocking =
        connection.requestAndWait(cinder::api::VERB_PING, QByteArray(), kTimeoutMs);
    QCOMPARE(blocking.transportError, ConnectionError::NotConnected);
}

void TestServerConnection::requestsMadeWhileConnectingAreSent() {
    m_server.setEcho(true);
    ServerConnection connection;
    connection.open(fingerprintEndpoint(m_leaf, m_server.port()));
    QCOMPARE(connection.state(), ServerConnection::State::Connecting);
    const Reply reply =
        connection.requestAndWait(cinder::api::VERB_PING, bytes("early"), kTimeoutMs);
    QVERIFY(reply.ok());
    QCOMPARE(reply.body, bytes("early"));
    m_server.setEcho(false);
}

void TestServerConnection::requestAndWaitTimesOut() {
    m_server.setEcho(false);
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    const qsizetype before = m_server.requests().size();
    const Reply reply = connection.requestAndWait(cinder::api::VERB_PING, QByteArray(), 300);
    QCOMPARE(reply.transportError, ConnectionError::Timeout);
    QCOMPARE(connection.outstandingRequests(), 0);
    // The late answer is an unknown id now.
    QTRY_COMPARE_WITH_TIMEOUT(m_server.requests().size(), before + 1, kTimeoutMs);
    m_server.respond(m_server.requests().last().id(), cinder::api::STATUS_OK);
    QTRY_COMPARE_WITH_TIMEOUT(connection.unknownResponseCount(), quint64(1), kTimeoutMs);
    QVERIFY(connection.isConnected());
}

void TestServerConnection::destroyingTheConnectionCompletesRequests() {
    m_server.setEcho(false);
    auto connection = std::make_unique<ServerConnection>();
    QVERIFY(connectPinned(*connection));
    std::optional<Reply> got;
    connection->request(cinder::api::VERB_PING, QByteArray(), nullptr,
                        [&got](const Reply& reply) { got = reply; });
    connection.reset();
    QVERIFY(got.has_value());
    QCOMPARE(got->transportError, ConnectionError::ClosedLocally);
}

void TestServerConnection::handlerWithDeadContextIsNotCalled() {
    m_server.setEcho(true);
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    bool called = false;
    auto context = std::make_unique<QObject>();
    connection.request(cinder::api::VERB_PING, QByteArray(), context.get(),
                       [&called](const Reply&) { called = true; });
    context.reset();
    // A later request's reply proves the first one's response has been processed.
    QVERIFY(connection.requestAndWait(cinder::api::VERB_PING, QByteArray(), kTimeoutMs).ok());
    QVERIFY(!called);
    QCOMPARE(connection.outstandingRequests(), 0);
    m_server.setEcho(false);
}

void TestServerConnection::handlerMayDeleteTheConnection() {
    m_server.setEcho(true);
    auto* connection = new ServerConnection;
    QPointer<ServerConnection> guard(connection);
    QVERIFY(connectPinned(*connection));
    bool called = false;
    connection->request(cinder::api::VERB_PING, QByteArray(), this,
                        [&called, connection](const Reply& reply) {
                            called = true;
                            QVERIFY(reply.ok());
                            delete connection;
                        });
    QTRY_VERIFY_WITH_TIMEOUT(called, kTimeoutMs);
    QVERIFY(guard.isNull());
    QTest::qWait(50); // let the released socket go
    m_server.setEcho(false);
}

void TestServerConnection::messageBodiesRoundTrip() {
    m_server.setEcho(true);
    ServerConnection connection;
    QVERIFY(connectPinned(connection));
    cinder::api::SyncRequest sync;
    sync.set_after_delivery_id(7);
    const Reply reply = connection.requestAndWait(cinder::api::VERB_SYNC, sync, kTimeoutMs);
    QVERIFY(reply.ok());
    cinder::api::SyncRequest echoed;
    QVERIFY(reply.parseBody(echoed));
    QCOMPARE(echoed.after_delivery_id(), quint64(7));
    QCOMPARE(m_server.requests().last().verb(), cinder::api::VERB_SYNC);
    m_server.setEcho(false);
}

void TestServerConnection::invalidEndpointIsRefused() {
    ServerConnection connection;
    QSignalSpy disconnected(&connection, &ServerConnection::disconnected);
    ServerEndpoint endpoint;
    endpoint.host = QStringLiteral("127.0.0.1");
    endpoint.port = m_server.port(); // no pin at all
    connection.open(endpoint);
    QVERIFY(disconnected.wait(kTimeoutMs));
    QCOMPARE(disconnected.at(0).at(0).value<ConnectionError>(), ConnectionError::InvalidEndpoint);

    endpoint.caCertificateFile = m_dir.filePath(QStringLiteral("missing.pem"));
    connection.open(endpoint);
    QVERIFY(disconnected.wait(kTimeoutMs));
    QCOMPARE(disconnected.at(1).at(0).value<ConnectionError>(), ConnectionError::InvalidEndpoint);

    QCOMPARE(ServerEndpoint::parseFingerprint(QStringLiteral("00:11")), std::nullopt);
    const QByteArray pin = m_leaf.sha256();
    QCOMPARE(ServerEndpoint::parseFingerprint(ServerEndpoint::formatFingerprint(pin)), pin);
    QCOMPARE(ServerEndpoint::parseFingerprint(QString::fromLatin1(pin.toHex().toUpper())), pin);
}

void TestServerConnection::pinning_data() {
    QTest::addColumn<QString>("presented"); // what the server shows
    QTest::addColumn<QString>("pin");       // how the client pins
    QTest::addColumn<ConnectionError>("expected");

    QTest::newRow("right fingerprint") << "self-signed"
                                       << "presented fingerprint" << ConnectionError::None;
    QTest::newRow("wrong fingerprint") << "self-signed"
                                       << "CA fingerprint" << ConnectionError::FingerprintMismatch;
    QTest::newRow("fingerprint tolerates another name")
        << "self-signed for another name"
        << "presented fingerprint" << ConnectionError::None;
    QTest::newRow("pinned certificate only further up the chain")
        << "impostor chaining the pinned certificate"
        << "pinned fingerprint" << ConnectionError::FingerprintMismatch;
    QTest::newRow("CA fingerprint does not admit its leaves")
        << "issued by CA"
        << "CA fingerprint" << ConnectionError::FingerprintMismatch;
    QTest::newRow("right CA") << "issued by CA"
                              << "CA" << ConnectionError::None;
    QTest::newRow("wrong CA") << "issued by CA"
                              << "other CA" << ConnectionError::UntrustedCertificate;
    QTest::newRow("self-signed under CA pin") << "self-signed"
                                              << "CA" << ConnectionError::UntrustedCertificate;
    QTest::newRow("right CA, wrong host name") << "issued by CA for another name"
                                               << "CA" << ConnectionError::HostnameMismatch;
    QTest::newRow("server without TLS 1.3")
        << "self-signed, TLS 1.2 only"
        << "presented fingerprint" << ConnectionError::TlsHandshakeFailed;
    QTest::newRow("self-signed certificate as the CA file")
        << "self-signed"
        << "pinned certificate as CA" << ConnectionError::None;
    // The key an account enrolled with is checked whatever the pin above admits (issue 14).
    QTest::newRow("right CA, the enrolled key")
        << "issued by CA"
        << "CA, presented key enrolled" << ConnectionError::None;
    QTest::newRow("right CA, another key than enrolled")
        << "issued by CA"
        << "CA, other key enrolled" << ConnectionError::ServerKeyMismatch;
    QTest::newRow("right fingerprint, another key than enrolled")
        << "self-signed for another name"
        << "presented fingerprint, other key enrolled" << ConnectionError::ServerKeyMismatch;
}

void TestServerConnection::pinning() {
    QFETCH(QString, presented);
    QFETCH(QString, pin);
    QFETCH(ConnectionError, expected);
    // ", … key enrolled": the account's enrolled public key pin, on top of the pin named first.
    const qsizetype enrolled = pin.indexOf(QStringLiteral(", "));
    const QString enrolledKey = enrolled < 0 ? QString() : pin.mid(enrolled + 2);
    if (enrolled >= 0) {
        pin.truncate(enrolled);
    }

    const QStringList otherName{QStringLiteral("elsewhere.example")};
    TestCertificate leaf;
    QList<QSslCertificate> chain;
    QSsl::SslProtocol protocol = QSsl::TlsV1_3OrLater;
    if (presented == u"self-signed") {
        leaf = m_leaf;
    } else if (presented == u"self-signed, TLS 1.2 only") {
        protocol = QSsl::TlsV1_2;
        leaf = m_leaf;
    } else if (presented == u"self-signed for another name") {
        leaf = TestCertificate::selfSigned(QStringLiteral("elsewhere"), otherName);
    } else if (presented == u"impostor chaining the pinned certificate") {
        leaf = TestCertificate::selfSigned(QStringLiteral("impostor"));
        chain << m_leaf.certificate();
    } else if (presented == u"issued by CA") {
        leaf = TestCertificate::issuedBy(m_authority, QStringLiteral("server"));
    } else {
        QCOMPARE(presented, QStringLiteral("issued by CA for another name"));
        leaf = TestCertificate::issuedBy(m_authority, QStringLiteral("server"), otherName);
    }
    QVERIFY(!leaf.isNull());

    ServerEndpoint endpoint;
    endpoint.host = QStringLiteral("127.0.0.1");
    if (pin == u"presented fingerprint") {
        endpoint.certificateSha256 = leaf.sha256();
    } else if (pin == u"pinned fingerprint") {
        endpoint.certificateSha256 = m_leaf.sha256();
    } else if (pin == u"CA fingerprint") {
        endpoint.certificateSha256 = m_authority.sha256();
    } else {
        const TestCertificate& anchor = pin == u"CA"         ? m_authority
                                        : pin == u"other CA" ? m_otherAuthority
                                                             : m_leaf;
        endpoint.caCertificateFile = m_dir.filePath(pin + QStringLiteral(".pem"));
        QVERIFY(anchor.writeCertificate(endpoint.caCertificateFile));
    }

    const auto keyHash = [](const TestCertificate& certificate) {
        return QCryptographicHash::hash(certificate.certificate().publicKey().toDer(),
                                        QCryptographicHash::Sha256);
    };
    if (enrolledKey == u"presented key enrolled") {
        endpoint.publicKeySha256 = keyHash(leaf);
    } else if (enrolledKey == u"other key enrolled") {
        endpoint.publicKeySha256 = keyHash(m_leaf);
    }

    FakeApiServer server;
    QVERIFY(server.listen(leaf, 0, chain, protocol));
    endpoint.port = server.port();

    ServerConnection connection;
    QSignalSpy connected(&connection, &ServerConnection::connected);
    QSignalSpy disconnected(&connection, &ServerConnection::disconnected);
    connection.open(endpoint);
    QTRY_VERIFY_WITH_TIMEOUT(connected.size() + disconnected.size() > 0, kTimeoutMs);
    if (expected == ConnectionError::None) {
        QCOMPARE(connected.size(), 1);
        server.setEcho(true);
        QVERIFY(connection.requestAndWait(cinder::api::VERB_PING, QByteArray(), kTimeoutMs).ok());
    } else {
        QCOMPARE(connected.size(), 0);
        QCOMPARE(disconnected.at(0).at(0).value<ConnectionError>(), expected);
        QCOMPARE(connection.lastError(), expected);
        QVERIFY(server.requests().isEmpty());
    }
}

void TestServerConnection::autoReconnectWithBackOff() {
    FakeApiServer server;
    QVERIFY(server.listen(m_leaf));
    server.setEcho(true);
    const quint16 port = server.port();

    ServerConnection connection;
    connection.setAutoReconnect(true);
    connection.setBackOff(
        {.initialDelayMs = 20, .maxDelayMs = 200, .multiplier = 2.0, .jitter = 0.5});
    QSignalSpy connected(&connection, &ServerConnection::connected);
    QSignalSpy reconnected(&connection, &ServerConnection::reconnected);
    QSignalSpy disconnected(&connection, &ServerConnection::disconnected);
    connection.open(fingerprintEndpoint(m_leaf, port));
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kTimeoutMs);
    QCOMPARE(reconnected.size(), 0);

    server.stop();
    QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() >= 1, kTimeoutMs);
    QCOMPARE(disconnected.at(0).at(0).value<ConnectionError>(), ConnectionError::ClosedByServer);
    // While the server is away, attempts keep failing and the connection keeps waiting.
    QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() >= 3, kTimeoutMs);
    QVERIFY(!connection.isConnected());

    QVERIFY(server.listen(m_leaf, port));
    server.setEcho(true);
    QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, kTimeoutMs);
    QCOMPARE(connected.size(), 2);
    const Reply reply =
        connection.requestAndWait(cinder::api::VERB_PING, bytes("back"), kTimeoutMs);
    QVERIFY(reply.ok());
    QCOMPARE(reply.body, bytes("back"));

    // close() stops reconnecting for good.
    connection.close();
    server.stop();
    QTest::qWait(300);
    QCOMPARE(connection.state(), ServerConnection::State::Disconnected);
}

QTEST_GUILESS_MAIN(TestServerConnection)
#include "tst_server_connection.moc"
