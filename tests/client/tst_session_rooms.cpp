// SPDX-License-Identifier: Apache-2.0
// Issue 4: rooms managed by signed group-control messages, and a server that adds a member
// through its fan-out list.
#include "SessionFixture.h"

#include "client/ConversationIds.h"

#include <QSignalSpy>

using namespace cinder;
using namespace cinder::test;

namespace {

QStringList memberNames(client::Session& session, const crypto::ConversationId& room) {
    QStringList names;
    auto state = session.room(room);
    if (!state) {
        return names;
    }
    for (const client::RoomMember& member : state->members) {
        names.append(QString::fromStdString(member.username) +
                     (member.manager ? QStringLiteral("*") : QString()));
    }
    names.sort();
    return names;
}

} // namespace

class SessionRoomsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_fixture.start(), "cinder-server did not start"); }

    void managersManageTheRoom() {
        auto alice = m_fixture.create("alice");
        auto bob = m_fixture.create("bob");
        auto carol = m_fixture.create("carol");
        auto dave = m_fixture.create("dave");
        QVERIFY(alice && bob && carol && dave);

        auto room = alice->createRoom("project", {"bob", "carol"});
        QVERIFY(room);
        const QStringList three{QStringLiteral("alice*"), QStringLiteral("bob"),
                                QStringLiteral("carol")};
        QCOMPARE(memberNames(*alice, *room), three);
        QVERIFY(waitFor([&] {
            return memberNames(*bob, *room) == three && memberNames(*carol, *room) == three;
        }));
        auto onBob = storeOf(*bob).conversations().find(*room);
        QVERIFY(onBob && *onBob);
        QCOMPARE((*onBob)->title, std::string("project"));
        QCOMPARE((*onBob)->kind, storage::ConversationKind::Room);

        QVERIFY(alice->sendText(*room, "welcome"));
        QVERIFY(waitFor([&] {
            return texts(*bob, *room) == QStringList{QStringLiteral("welcome")} &&
                   texts(*carol, *room) == QStringList{QStringLiteral("welcome")};
        }));
        QVERIFY(bob->sendText(*room, "thanks"));
        QVERIFY(waitFor([&] { return texts(*carol, *room).size() == 2; }));

        // bob is not a manager: his device refuses, and nothing changes anywhere.
        auto refused = bob->addMembers(*room, {"dave"});
        QVERIFY(!refused);
        QCOMPARE(refused.error(), client::SessionError::NotAManager);
        QCOMPARE(bob->renameRoom(*room, "mine").error(), client::SessionError::NotAManager);
        QVERIFY(!storeOf(*dave).conversations().find(*room).value());

        // alice promotes bob; now bob adds dave, and every member sees the same room.
        QVERIFY(alice->promote(*room, {"bob"}));
        QVERIFY(waitFor(
            [&] { return bob->room(*room) && bob->room(*room)->isManager(bob->rootId()); }));
        QVERIFY(bob->addMembers(*room, {"dave"}));
        const QStringList four{QStringLiteral("alice*"), QStringLiteral("bob*"),
                               QStringLiteral("carol"), QStringLiteral("dave")};
        QVERIFY(waitFor([&] {
            return memberNames(*alice, *room) == four && memberNames(*carol, *room) == four &&
                   memberNames(*dave, *room) == four;
        }));
        // dave joined after the first messages: he has none of them.
        QVERIFY(texts(*dave, *room).isEmpty());

        // alice removes carol; carol hears of it and gets nothing afterwards.
        QVERIFY(alice->removeMembers(*room, {"carol"}));
        const QStringList withoutCarol{QStringLiteral("alice*"), QStringLiteral("bob*"),
                                       QStringLiteral("dave")};
        QVERIFY(waitFor([&] {
            return memberNames(*carol, *room) == withoutCarol &&
                   memberNames(*dave, *room) == withoutCarol;
        }));
        QCOMPARE(carol->sendText(*room, "am I still here?").error(),
                 client::SessionError::NotAMember);
        QVERIFY(alice->sendText(*room, "after carol left"));
        QVERIFY(waitFor(
            [&] { return texts(*dave, *room).contains(QStringLiteral("after carol left")); }));
        QVERIFY(alice->waitUntilIdle(kWaitMs));
        QVERIFY(carol->waitUntilIdle(kWaitMs));
        QVERIFY(!texts(*carol, *room).contains(QStringLiteral("after carol left")));

        // dave leaves by himself; alice renames.
        QVERIFY(dave->leaveRoom(*room));
        QVERIFY(waitFor([&] {
            return memberNames(*alice, *room) ==
                   QStringList{QStringLiteral("alice*"), QStringLiteral("bob*")};
        }));
        QVERIFY(alice->renameRoom(*room, "project (renamed)"));
        QVERIFY(waitFor([&] {
            auto c = storeOf(*bob).conversations().find(*room);
            return c && *c && (*c)->title == "project (renamed)";
        }));
    }

    // Fan-out lists are a routing cache on the server: a server that lost them (a restored
    // backup, the schema migration that made them per device) costs one upload, not the room.
    void aRoomSurvivesTheServerLosingItsFanoutLists() {
        auto kira = m_fixture.create("kira");
        auto lena = m_fixture.create("lena");
        QVERIFY(kira && lena);
        auto room = kira->createRoom("kept", {"lena"});
        QVERIFY(room);
        QVERIFY(kira->sendText(*room, "before"));
        QVERIFY(waitFor([&] { return texts(*lena, *room).size() == 1; }));
        QVERIFY(kira->waitUntilIdle(kWaitMs));
        const QString kiraNode = QString::fromStdString(hex(kira->nodeId()));
        m_fixture.serverSql(
            QStringLiteral("DELETE FROM fanout_members WHERE owner_node_id = X'%1'; DELETE FROM "
                           "fanouts WHERE owner_node_id = X'%1';")
                .arg(kiraNode));
        QVERIFY(kira->sendText(*room, "after"));
        QVERIFY(waitFor([&] { return texts(*lena, *room).size() == 2; }));
        QCOMPARE(m_fixture.serverSql(
                     QStringLiteral("SELECT COUNT(*) FROM fanouts WHERE owner_node_id = X'%1';")
                         .arg(kiraNode)),
                 QStringLiteral("1"));
    }

    void aMemberAddedOnlyByTheServerReadsNothing() {
        auto erin = m_fixture.create("erin");
        auto frank = m_fixture.create("frank");
        auto mallory = m_fixture.create("mallory");
        QVERIFY(erin && frank && mallory);
        auto room = erin->createRoom("private", {"frank"});
        QVERIFY(room);
        QVERIFY(erin->sendText(*room, "first"));
        QVERIFY(waitFor([&] { return texts(*frank, *room).size() == 1; }));
        QVERIFY(erin->waitUntilIdle(kWaitMs));

        // The compromised server appends mallory's device to erin's fan-out list for the room.
        const QString erinNode = QString::fromStdString(hex(erin->nodeId()));
        const QString malloryNode = QString::fromStdString(hex(mallory->nodeId()));
        QCOMPARE(m_fixture.serverSql(
                     QStringLiteral("SELECT COUNT(*) FROM fanouts WHERE owner_node_id = X'%1';")
                         .arg(erinNode)),
                 QStringLiteral("1"));
        m_fixture.serverSql(
            QStringLiteral("INSERT INTO fanout_members (owner_node_id, fanout_id, position, "
                           "node_id) SELECT owner_node_id, fanout_id, 1000, X'%2' FROM fanouts "
                           "WHERE owner_node_id = X'%1';")
                .arg(erinNode, malloryNode));

        QSignalSpy dropped(mallory.get(), &client::Session::deliveryDropped);
        QVERIFY(erin->sendText(*room, "secret plans"));
        QVERIFY(waitFor([&] { return texts(*frank, *room).size() == 2; }));
        // mallory's device did get the packet, and could not read it.
        QVERIFY(waitFor([&] { return !dropped.isEmpty(); }));
        QVERIFY(dropped.first().first().toString().contains(QStringLiteral("recipient")));
        QVERIFY(!storeOf(*mallory).conversations().find(*room).value());
        auto conversations = mallory->conversations();
        QVERIFY(conversations && conversations->empty());
        QVERIFY(filesContaining(m_fixture.directoryFor(QStringLiteral("mallory")),
                                QByteArrayLiteral("secret plans"))
                    .isEmpty());
    }

    // Issue 14: a 1:1 conversation's id is computable by anyone who knows the two root ids. A
    // member sends a room control naming that id before the two users talk: it must not become
    // a room the attacker manages, and the victim's later direct messages stay unreadable to
    // the attacker.
    void aRoomControlCannotTakeOverADirectConversation() {
        auto gina = m_fixture.create("gina");
        auto hugo = m_fixture.create("hugo");
        auto mallory = m_fixture.create("mallet");
        QVERIFY(gina && hugo && mallory);
        QVERIFY(mallory->addContact("gina") && mallory->addContact("hugo"));
        const crypto::ConversationId direct =
            client::directConversationId(gina->rootId(), hugo->rootId());

        // mallory's own device holds a "room" under that id, which she manages, and she
        // changes it: her client sends the control to the two others.
        client::RoomState planted;
        planted.epoch = 1;
        planted.title = "gina & hugo";
        planted.members = {{mallory->rootId(), "mallet", true},
                           {gina->rootId(), "gina", false},
                           {hugo->rootId(), "hugo", false}};
        storage::ConversationRecord record;
        record.id = direct;
        record.kind = storage::ConversationKind::Room;
        record.title = planted.title;
        record.defaults = mallory->defaultTimers();
        QVERIFY(storeOf(*mallory).conversations().save(record));
        QVERIFY(storeOf(*mallory).rooms().save({direct, planted.epoch, planted.serialize()}));
        QSignalSpy dropped(gina.get(), &client::Session::deliveryDropped);
        QSignalSpy droppedOnHugo(hugo.get(), &client::Session::deliveryDropped);
        QVERIFY(mallory->renameRoom(direct, "gina & hugo"));
        // Both have handled the control (applied it or dropped it) before gina writes.
        QVERIFY(waitFor([&] {
            return (!dropped.isEmpty() || gina->room(direct)) &&
                   (!droppedOnHugo.isEmpty() || hugo->room(direct));
        }));

        // gina now writes to hugo for the first time.
        auto opened = gina->openDirect("hugo");
        QVERIFY(opened);
        QCOMPARE(*opened, direct);
        QVERIFY(gina->sendText(*opened, "for hugo only"));
        QVERIFY(waitFor(
            [&] { return texts(*hugo, direct).contains(QStringLiteral("for hugo only")); }));
        QVERIFY(gina->waitUntilIdle(kWaitMs));
        QVERIFY(mallory->waitUntilIdle(kWaitMs));
        QVERIFY2(!texts(*mallory, direct).contains(QStringLiteral("for hugo only")),
                 "the attacker read a direct message");
        QVERIFY(filesContaining(m_fixture.directoryFor(QStringLiteral("mallet")),
                                QByteArrayLiteral("for hugo only"))
                    .isEmpty());
        auto onGina = storeOf(*gina).conversations().find(direct);
        QVERIFY(onGina && *onGina);
        QCOMPARE((*onGina)->kind, storage::ConversationKind::Direct);
        QVERIFY(!gina->room(direct));
        // gina's device dropped the control, saying why.
        QVERIFY(!dropped.isEmpty());
        QCOMPARE(dropped.first().first().toString(),
                 QString::fromLatin1(client::describe(client::RoomError::NotARoomId).data()));
    }

    // A room stored under a 1:1 id by a client from before room ids were derived is never
    // used as the 1:1 conversation.
    void openDirectRefusesARoomUnderTheDirectId() {
        auto ivy = m_fixture.create("ivy");
        auto jack = m_fixture.create("jack");
        QVERIFY(ivy && jack);
        QVERIFY(ivy->addContact("jack"));
        const crypto::ConversationId direct =
            client::directConversationId(ivy->rootId(), jack->rootId());
        storage::ConversationRecord record;
        record.id = direct;
        record.kind = storage::ConversationKind::Room;
        record.title = "planted";
        record.defaults = ivy->defaultTimers();
        QVERIFY(storeOf(*ivy).conversations().save(record));
        auto opened = ivy->openDirect("jack");
        QVERIFY(!opened);
        QCOMPARE(opened.error(), client::SessionError::WrongConversationKind);

        // A room's id is never a 1:1 id, and a 1:1 id is no room for room calls.
        auto room = jack->createRoom("ours", {"ivy"});
        QVERIFY(room);
        QVERIFY(*room != client::directConversationId(jack->rootId(), ivy->rootId()));
        auto toIvy = jack->openDirect("ivy");
        QVERIFY(toIvy);
        QCOMPARE(jack->renameRoom(*toIvy, "mine").error(),
                 client::SessionError::WrongConversationKind);
        QCOMPARE(jack->addMembers(*toIvy, {"ivy"}).error(),
                 client::SessionError::WrongConversationKind);
    }

private:
    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(SessionRoomsTest)
#include "tst_session_rooms.moc"
