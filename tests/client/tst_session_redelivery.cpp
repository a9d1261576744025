// SPDX-License-Identifier: Apache-2.0
// Issue 22: a delivery is opened and stored once, however often the server sends it: after a
// reconnect, and when the connection (or the process) ends between storing and acknowledging.
// Real sessions, real SQLCipher stores, the real server on loopback.
#include "SessionFixture.h"

#include <algorithm>

using namespace cinder;
using namespace cinder::test;

namespace {

constexpr int kRounds = 20;
constexpr int kPerRound = 3;

// What one device's sessions did, summed over restarts (a new Session starts from zero).
struct Tally {
    int dropped = 0;
    std::uint64_t deliveries = 0;
    std::uint64_t redeliveries = 0;
    std::uint64_t opened = 0;

    void watch(client::Session& session) {
        QObject::connect(&session, &client::Session::deliveryDropped, &session,
                         [this](const QString& reason) {
                             qWarning() << "dropped:" << reason;
                             ++dropped;
                         });
    }
    // The session's counters so far, on top of those of the sessions before it.
    [[nodiscard]] Tally with(const client::Session& session) const {
        Tally out = *this;
        out.deliveries += session.receiveCounters().deliveries;
        out.redeliveries += session.receiveCounters().redeliveries;
        out.opened += session.receiveCounters().packetsOpened;
        return out;
    }
};

} // namespace

class SessionRedeliveryTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_fixture.start(), "cinder-server did not start"); }

    // The reported case: offline, three messages, online again.
    void queuedMessagesAreReadOnceAfterReconnecting() {
        auto alice = m_fixture.create("alice");
        auto bob = m_fixture.create("bob");
        QVERIFY(alice && bob);
        Tally tally;
        tally.watch(*bob);
        const auto conversation = firstContact(*alice, *bob, "bob");
        QVERIFY(conversation);

        for (int round = 0; round < kRounds; ++round) {
            const Tally before = tally.with(*bob);
            const qsizetype stored = texts(*bob, *conversation).size();
            bob->goOffline();
            QVERIFY(sendRound(*alice, *conversation, round));
            QCOMPARE(pendingFor(*bob), kPerRound);

            bob->goOnline();
            QVERIFY(bob->waitUntilOnline(kWaitMs));
            QVERIFY(waitFor([&] { return pendingFor(*bob) == 0; }));
            QVERIFY(bob->waitUntilIdle(kWaitMs));

            const Tally after = tally.with(*bob);
            QCOMPARE(texts(*bob, *conversation).size(), stored + kPerRound);
            QCOMPARE(after.dropped, 0);
            // The server sent each once, and each was opened once.
            QCOMPARE(after.deliveries - before.deliveries, std::uint64_t{kPerRound});
            QCOMPARE(after.opened - before.opened, std::uint64_t{kPerRound});
        }
    }

    // The connection ends after the deliveries were stored and before they were acknowledged
    // (every other round the process "restarts" too: the session is closed and unlocked again).
    // The server sends them again; they are recognised without being opened.
    void deliveriesStoredButNotAcknowledgedAreNotOpenedAgain() {
        auto carol = m_fixture.create("carol");
        auto dave = m_fixture.create("dave");
        QVERIFY(carol && dave);
        Tally tally;
        tally.watch(*dave);
        const auto conversation = firstContact(*carol, *dave, "dave");
        QVERIFY(conversation);

        for (int round = 0; round < kRounds; ++round) {
            const Tally before = tally.with(*dave);
            const qsizetype stored = texts(*dave, *conversation).size();
            dave->goOffline();
            QVERIFY(sendRound(*carol, *conversation, round));
            QCOMPARE(pendingFor(*dave), kPerRound);

            // Cut as the first message of the round is stored: the acknowledgement of its
            // batch is never sent.
            bool cut = false;
            const QMetaObject::Connection cutter =
                connect(dave.get(), &client::Session::messageAdded, this, [&] {
                    if (!cut) {
                        cut = true;
                        dave->goOffline();
                    }
                });
            dave->goOnline();
            QVERIFY(waitFor([&] { return cut; }));
            disconnect(cutter);
            QVERIFY(!dave->isOnline());
            const int unacknowledged = pendingFor(*dave);
            QVERIFY2(unacknowledged >= 1, "the cut came after the acknowledgement");

            if (round % 2 == 1) {
                tally = tally.with(*dave);
                dave.reset();
                dave = m_fixture.unlock(QStringLiteral("dave"));
                QVERIFY(dave);
                tally.watch(*dave);
            }
            dave->goOnline();
            QVERIFY(dave->waitUntilOnline(kWaitMs));
            QVERIFY(waitFor([&] { return pendingFor(*dave) == 0; }));
            QVERIFY(dave->waitUntilIdle(kWaitMs));

            const Tally after = tally.with(*dave);
            QCOMPARE(texts(*dave, *conversation).size(), stored + kPerRound);
            QCOMPARE(after.dropped, 0);
            QCOMPARE(after.opened - before.opened, std::uint64_t{kPerRound});
            QVERIFY(after.redeliveries - before.redeliveries >= 1);
        }
    }

    // Everything that waited on the server arrives in one batch, handled in parts (opened on
    // several threads, committed together): a change still finds the message it changes even
    // when both came in the same batch, and a room's first control comes before its messages.
    void changesInOneBatchFindTheMessagesTheyChange() {
        auto erin = m_fixture.create("erin");
        auto frank = m_fixture.create("frank");
        QVERIFY(erin && frank);
        Tally tally;
        tally.watch(*frank);
        const auto direct = firstContact(*erin, *frank, "frank");
        QVERIFY(direct);

        frank->goOffline();
        const auto edited = erin->sendText(*direct, "tpyo");
        const auto reacted = erin->sendText(*direct, "react to me");
        const auto deleted = erin->sendText(*direct, "regret");
        QVERIFY(edited && reacted && deleted);
        QVERIFY(erin->edit(*direct, *edited, "typo"));
        QVERIFY(erin->react(*direct, *reacted, "👍"));
        QVERIFY(erin->deleteForEveryone(*direct, *deleted));
        const auto room = erin->createRoom("batch room", {"frank"});
        QVERIFY(room);
        QVERIFY(erin->sendText(*room, "in the room"));
        QVERIFY(erin->waitUntilIdle(kWaitMs));
        QVERIFY(pendingFor(*frank) >= 8);

        frank->goOnline();
        QVERIFY(frank->waitUntilOnline(kWaitMs));
        QVERIFY(waitFor([&] { return pendingFor(*frank) == 0; }));
        QVERIFY(frank->waitUntilIdle(kWaitMs));

        QCOMPARE(tally.with(*frank).dropped, 0);
        QCOMPARE(texts(*frank, *direct), QStringList({"first contact", "typo", "react to me"}));
        const auto typo = frank->message(*edited);
        QVERIFY(typo && *typo);
        QVERIFY((*typo)->edited);
        const auto regret = frank->message(*deleted);
        QVERIFY(regret && *regret);
        QVERIFY((*regret)->deleted);
        const auto page = frank->messagePage(*direct);
        QVERIFY(page);
        QCOMPARE(std::count_if(page->begin(), page->end(),
                               [&](const client::Message& m) {
                                   return m.reactionTarget == *reacted && m.text == "👍";
                               }),
                 std::ptrdiff_t{1});
        QCOMPARE(texts(*frank, *room), QStringList({"in the room"}));
    }

private:
    // The 1:1 conversation of two new accounts after one message, read and settled.
    static std::optional<crypto::ConversationId>
    firstContact(client::Session& sender, client::Session& receiver, const char* receiverName) {
        auto conversation = sender.openDirect(receiverName);
        if (!conversation || !sender.sendText(*conversation, "first contact") ||
            !waitFor([&] { return texts(receiver, *conversation).size() == 1; }) ||
            !receiver.waitUntilIdle(kWaitMs)) {
            return std::nullopt;
        }
        return *conversation;
    }

    // Three messages that reach the server while the recipient is away.
    static bool sendRound(client::Session& sender, const crypto::ConversationId& conversation,
                          int round) {
        for (int i = 0; i < kPerRound; ++i) {
            if (!sender.sendText(conversation, "round " + std::to_string(round) + " message " +
                                                   std::to_string(i))) {
                return false;
            }
        }
        return sender.waitUntilIdle(kWaitMs);
    }

    // Deliveries the server still holds for the device (not yet acknowledged).
    int pendingFor(const client::Session& device) {
        return m_fixture
            .serverSql(
                QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE recipient_node_id = X'%1';")
                    .arg(QString::fromStdString(hex(device.nodeId()))))
            .toInt();
    }

    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(SessionRedeliveryTest)
#include "tst_session_redelivery.moc"
