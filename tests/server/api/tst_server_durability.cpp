// SPDX-License-Identifier: Apache-2.0
// What must survive: a server killed with SIGKILL while senders are busy loses no message it
// acknowledged, and each is delivered exactly once after the client drops duplicates. What
// must not be kept: after a scenario, the server's logs hold no client address and no
// identity, and its database holds no plaintext.

#include "ApiClient.h"

#include "TestDatabase.h"

#include "crypto/PacketEncoder.h"

#include <QFile>
#include <QProcess>
#include <QTest>

#include <set>

using namespace cinder;
using namespace cinder::test;

namespace {
bool s_postgres = false; // --pg: the same checks on PostgreSQL

QStringList databaseArguments() {
    if (!s_postgres) {
        return {};
    }
    // initTestCase skipped the suite when there is none.
    return {QStringLiteral("--database"), postgresUrlFromEnvironment()};
}

std::string named(const char* stem) {
    static const std::string suffix = uniqueRunSuffix().toStdString();
    return std::string(stem) + "-" + suffix;
}

struct Party {
    std::unique_ptr<User> user;
    std::string username;
    std::unique_ptr<ApiClient> client;
};

Party registerParty(ServerProcess& server, const std::string& username) {
    Party party{makeUser(1, 0), username, nullptr};
    party.client = std::make_unique<ApiClient>(server, *party.user->devices[0]);
    if (!party.client->connect() ||
        !party.client->call(api::VERB_REGISTER, registrationFor(*party.user, username)).ok() ||
        !party.client->login().ok()) {
        throw std::runtime_error("cannot register " + username);
    }
    return party;
}

// Everything in the PostgreSQL database, as pg_dump writes it (bytea as hex and raw).
QByteArray postgresDump() {
    QString conninfo = qEnvironmentVariable("CINDER_TEST_PG");
    QProcess dump;
    dump.start(QStringLiteral("pg_dump"),
               {QStringLiteral("--data-only"), QStringLiteral("--dbname"), conninfo});
    dump.waitForFinished(60000);
    return dump.readAllStandardOutput();
}

QByteArray fileBytes(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

class TestServerDurability : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (s_postgres && postgresUrlFromEnvironment().isEmpty()) {
            QSKIP(kPostgresMissing);
        }
    }

    void acknowledgedMessagesSurviveKillNine() {
        // Rate limits off: this test is about durability, so the sender may go flat out.
        ServerProcess server(QStringLiteral(CINDER_SERVER_BINARY),
                             databaseArguments() +
                                 QStringList{QStringLiteral("--rate-limit"), QStringLiteral("off"),
                                             QStringLiteral("--address-rate-limit"),
                                             QStringLiteral("off")});
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        Party alice = registerParty(server, named("durable-alice"));
        Party bob = registerParty(server, named("durable-bob"));
        bob.client->disconnect(); // Bob is offline: everything waits in the database
        const std::string bobNode = str(bob.user->devices[0]->identity.id());

        // Alice pipelines sends; the server is killed while they are in flight.
        constexpr int kMessages = 600;
        std::set<std::string> acknowledged;
        int answered = 0;
        for (int i = 0; i < kMessages; ++i) {
            api::SendRequest send;
            const std::string packet = "packet-" + std::to_string(i);
            send.set_packet(packet);
            send.add_recipient_node_ids(bobNode);
            alice.client->connection().request(
                api::VERB_SEND, send, nullptr,
                [&acknowledged, &answered, packet](const Reply& reply) {
                    ++answered;
                    if (reply.ok()) {
                        acknowledged.insert(packet);
                    }
                });
        }
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged.size() >= kMessages / 3, 30000);
        server.kill9();
        QTRY_COMPARE_WITH_TIMEOUT(answered, kMessages, 30000); // the rest fail: connection lost
        QVERIFY(!acknowledged.empty());

        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        ApiClient bobAgain(server, *bob.user->devices[0]);
        QVERIFY(bobAgain.connect());
        QVERIFY(bobAgain.login().ok());
        std::set<std::string> received;
        std::set<std::uint64_t> seenIds;
        int duplicates = 0;
        for (int round = 0; round < 200 && received.size() < acknowledged.size(); ++round) {
            QTest::qWait(50);
            QList<api::Delivery> batch;
            for (const api::Delivery& delivery : bobAgain.deliveries()) {
                if (!seenIds.insert(delivery.delivery_id()).second) {
                    continue;
                }
                if (!received.insert(delivery.packet()).second) {
                    ++duplicates; // the client drops these by message id
                }
                batch.append(delivery);
            }
            if (!batch.isEmpty()) {
                QVERIFY(bobAgain.acknowledge(batch).ok());
            }
        }
        for (const std::string& packet : acknowledged) {
            QVERIFY2(received.contains(packet), packet.c_str());
        }
        // Nothing arrives that Alice never sent.
        for (const std::string& packet : received) {
            QVERIFY(packet.rfind("packet-", 0) == 0);
        }
        QCOMPARE(duplicates, 0);
        QCOMPARE(server.terminate(), 0);
    }

    void logsAndDatabaseKeepNoSecretsOrAddresses() {
        ServerProcess server(QStringLiteral(CINDER_SERVER_BINARY), databaseArguments());
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const std::string aliceName = named("private-alice");
        const std::string bobName = named("private-bob");
        Party alice = registerParty(server, aliceName);
        Party bob = registerParty(server, bobName);
        QVERIFY(bob.client->uploadPrekeys(2).ok());

        // A real packet with a recognisable plaintext.
        api::FetchPrekeysRequest fetch;
        fetch.add_node_ids(str(bob.user->devices[0]->identity.id()));
        const auto fetched = alice.client->parse<api::FetchPrekeysResponse>(
            alice.client->call(api::VERB_FETCH_PREKEYS, fetch));
        const auto prekey = take(crypto::VerifiedPrekey::verify(
            bob.user->devices[0]->verified(), view(fetched.prekeys(0).signed_prekey())));
        const std::vector<crypto::RecipientDevice> recipients = {
            {&bob.user->devices[0]->verified(), &prekey}};
        const std::string marker = "PLAINTEXT-MARKER-7f3a9c";
        Device& sender = *alice.user->devices[0];
        api::SendRequest send;
        send.set_packet(
            str(take(crypto::PacketEncoder(sender.identity)
                         .encode(textMetadata(sender), crypto::asBytes(marker), recipients))));
        send.add_recipient_node_ids(str(bob.user->devices[0]->identity.id()));
        bob.client->disconnect();
        QVERIFY(alice.client->call(api::VERB_SEND, send).ok());
        QCOMPARE(server.terminate(), 0);

        QString log = server.logText();
        QVERIFY2(!log.isEmpty(), "the server logged nothing at all");
        // The server's own listening address is operator information; every client came from
        // 127.0.0.1 too, so apart from that line the address must not appear.
        QStringList lines = log.split(QLatin1Char('\n'));
        lines.removeIf(
            [](const QString& line) { return line.contains(QStringLiteral("listening on")); });
        log = lines.join(QLatin1Char('\n'));
        for (const QString& forbidden :
             {QStringLiteral("127.0.0.1"), QStringLiteral("private-alice"),
              QStringLiteral("private-bob"),
              QString::fromStdString(crypto::toHex(bob.user->devices[0]->identity.id())),
              QString::fromStdString(crypto::toHex(alice.user->root.id()))}) {
            QVERIFY2(!log.contains(forbidden, Qt::CaseInsensitive), qPrintable(forbidden));
        }
        QByteArray database;
        if (s_postgres) {
            database = postgresDump();
        } else {
            for (const QString& suffix :
                 {QString(), QStringLiteral("-wal"), QStringLiteral("-journal")}) {
                database += fileBytes(server.dataDir() + QStringLiteral("/server.db") + suffix);
            }
        }
        QVERIFY2(!database.isEmpty(), "database contents not found");
        QVERIFY(!database.contains(QByteArray::fromStdString(marker)));
        QVERIFY(
            !database.contains(QByteArray::fromStdString(crypto::toHex(crypto::asBytes(marker)))));
        QVERIFY(!database.contains("127.0.0.1"));
        // No private key: the node's private scalar appears nowhere.
        const auto scalar = take(sender.identity.key().exportPrivate());
        QVERIFY(!database.contains(QByteArray(reinterpret_cast<const char*>(scalar.data()),
                                              static_cast<qsizetype>(scalar.size()))));
        QVERIFY(!database.contains(QByteArray::fromStdString(crypto::toHex(scalar.view()))));
    }
};

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments();
    s_postgres = takePostgresFlag(arguments);
    TestServerDurability test;
    return QTest::qExec(&test, arguments);
}
#include "tst_server_durability.moc"
