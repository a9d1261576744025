// SPDX-License-Identifier: Apache-2.0
// Scale-out: two cinder-server processes share one PostgreSQL database and wake each other
// with LISTEN/NOTIFY, so a device connected to one instance receives at once what a device
// on the other sends; prekeys are handed out once across instances. Needs CINDER_TEST_PG
// (scripts/test starts a throwaway cluster) and fails without it.

#include "ApiClient.h"
#include "TestDatabase.h"

#include <QTest>

#include <set>

using namespace cinder;
using namespace cinder::test;

namespace {
std::string named(const char* stem) {
    static const std::string suffix = uniqueRunSuffix().toStdString();
    return std::string(stem) + "-" + suffix;
}

struct Member {
    std::unique_ptr<User> user;
    std::unique_ptr<ApiClient> client;
};

Member joinVia(ServerProcess& server, const std::string& username) {
    Member member{makeUser(1, 0), nullptr};
    member.client = std::make_unique<ApiClient>(server, *member.user->devices[0]);
    if (!member.client->connect() ||
        !member.client->call(api::VERB_REGISTER, registrationFor(*member.user, username)).ok() ||
        !member.client->login().ok()) {
        throw std::runtime_error("cannot register " + username);
    }
    return member;
}
} // namespace

class TestServerScaleOut : public QObject {
    Q_OBJECT
    std::unique_ptr<ServerProcess> m_first;
    std::unique_ptr<ServerProcess> m_second;

private slots:
    void initTestCase() {
        const QString url = postgresUrlFromEnvironment();
        if (url.isEmpty()) {
            QSKIP(kPostgresMissing);
        }
        const QStringList database = {QStringLiteral("--database"), url};
        m_first = std::make_unique<ServerProcess>(QStringLiteral(CINDER_SERVER_BINARY), database);
        m_second = std::make_unique<ServerProcess>(QStringLiteral(CINDER_SERVER_BINARY), database);
        QVERIFY2(m_first->start(), qPrintable(m_first->errorString()));
        QVERIFY2(m_second->start(), qPrintable(m_second->errorString()));
    }

    void cleanupTestCase() {
        // Both exit cleanly on SIGTERM; on failure the server's own words say why.
        for (ServerProcess* server : {m_first.get(), m_second.get()}) {
            if (server == nullptr) {
                continue; // initTestCase skipped or failed before starting it
            }
            const int code = server->terminate();
            QVERIFY2(code == 0, qPrintable(server->logText().right(6000)));
        }
    }

    void deliveryCrossesInstancesAtOnce() {
        Member alice = joinVia(*m_first, named("scale-alice"));
        Member bob = joinVia(*m_second, named("scale-bob"));
        api::SendRequest send;
        send.set_packet("from the first instance");
        send.add_recipient_node_ids(str(bob.user->devices[0]->identity.id()));
        QVERIFY(alice.client->call(api::VERB_SEND, send).ok());
        // Bob is connected to the other instance: the push comes without any action of his.
        const auto pushes = bob.client->waitForPushes(api::Push::kDelivery, 1);
        QCOMPARE(pushes.size(), 1);
        QCOMPARE(pushes[0].delivery().packet(), std::string("from the first instance"));
        QCOMPARE(pushes[0].delivery().sender_node_id(), str(alice.user->devices[0]->identity.id()));
        QVERIFY(bob.client->acknowledge({pushes[0].delivery()}).ok());

        // And the other way round, many times, in order.
        for (int i = 0; i < 20; ++i) {
            api::SendRequest reply;
            reply.set_packet("reply " + std::to_string(i));
            reply.add_recipient_node_ids(str(alice.user->devices[0]->identity.id()));
            QVERIFY(bob.client->call(api::VERB_SEND, reply).ok());
        }
        const auto replies = alice.client->waitForPushes(api::Push::kDelivery, 20);
        QCOMPARE(replies.size(), 20);
        for (int i = 0; i < 20; ++i) {
            QCOMPARE(replies[i].delivery().packet(), "reply " + std::to_string(i));
        }
    }

    void offlineDeviceCollectsFromEitherInstance() {
        Member alice = joinVia(*m_first, named("scale-carol"));
        Member bob = joinVia(*m_first, named("scale-dave"));
        bob.client->disconnect();
        api::SendRequest send;
        send.set_packet("waiting in the shared database");
        send.add_recipient_node_ids(str(bob.user->devices[0]->identity.id()));
        QVERIFY(alice.client->call(api::VERB_SEND, send).ok());
        ApiClient bobElsewhere(*m_second, *bob.user->devices[0]);
        QVERIFY(bobElsewhere.connect());
        QVERIFY(bobElsewhere.login().ok());
        const auto pushes = bobElsewhere.waitForPushes(api::Push::kDelivery, 1);
        QCOMPARE(pushes.size(), 1);
        QCOMPARE(pushes[0].delivery().packet(), std::string("waiting in the shared database"));
    }

    void prekeysHandedOutOnceAcrossInstances() {
        Member owner = joinVia(*m_first, named("scale-erin"));
        Member one = joinVia(*m_first, named("scale-frank"));
        Member two = joinVia(*m_second, named("scale-grace"));
        QVERIFY(owner.client->uploadPrekeys(6).ok());
        std::set<std::string> handedOut;
        for (int i = 0; i < 6; ++i) {
            ApiClient& fetcher = (i % 2 == 0) ? *one.client : *two.client;
            api::FetchPrekeysRequest fetch;
            fetch.add_node_ids(str(owner.user->devices[0]->identity.id()));
            const auto response = fetcher.parse<api::FetchPrekeysResponse>(
                fetcher.call(api::VERB_FETCH_PREKEYS, fetch));
            QVERIFY(!response.prekeys(0).last_resort());
            QVERIFY(handedOut.insert(response.prekeys(0).signed_prekey()).second);
        }
        api::FetchPrekeysRequest fetch;
        fetch.add_node_ids(str(owner.user->devices[0]->identity.id()));
        QVERIFY(
            two.client
                ->parse<api::FetchPrekeysResponse>(two.client->call(api::VERB_FETCH_PREKEYS, fetch))
                .prekeys(0)
                .last_resort());
    }
};

QTEST_MAIN(TestServerScaleOut)
#include "tst_server_scaleout.moc"
