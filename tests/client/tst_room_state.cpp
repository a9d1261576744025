// SPDX-License-Identifier: Apache-2.0
// Room membership rules (client/RoomState): who may change what, epochs, malformed states.
#include "client/RoomState.h"

#include "crypto/Random.h"

#include <QTest>

using namespace cinder;
using namespace cinder::client;

namespace {

crypto::RootId someone(std::uint8_t tag) {
    crypto::RootId id{};
    id.fill(tag);
    return id;
}

const crypto::RootId kAlice = someone(1);
const crypto::RootId kBob = someone(2);
const crypto::RootId kCarol = someone(3);
const crypto::RootId kMallory = someone(9);

RoomState roomOf(std::uint64_t epoch, std::vector<RoomMember> members, std::string title = "room") {
    RoomState state;
    state.epoch = epoch;
    state.title = std::move(title);
    state.members = std::move(members);
    return state;
}

using Action = content::GroupControl::Action;

} // namespace

class RoomStateTest : public QObject {
    Q_OBJECT

private slots:
    void creationNeedsAManagerSenderAndIncludesUs() {
        const RoomState created = roomOf(1, {{kAlice, "alice", true}, {kBob, "bob", false}});
        auto accepted = applyRoomControl(std::nullopt, kAlice, kBob,
                                         created.toControl(content::GroupControl::ACTION_CREATE));
        QVERIFY(accepted);
        QCOMPARE(accepted->members.size(), std::size_t{2});
        QVERIFY(accepted->isManager(kAlice));

        // bob claiming a room where he is not a manager, or a room without us.
        auto notManager = applyRoomControl(std::nullopt, kBob, kCarol,
                                           created.toControl(content::GroupControl::ACTION_CREATE));
        QVERIFY(!notManager);
        auto notUs = applyRoomControl(std::nullopt, kAlice, kCarol,
                                      created.toControl(content::GroupControl::ACTION_CREATE));
        QVERIFY(!notUs);
        QCOMPARE(notUs.error(), RoomError::NotAMember);
    }

    void onlyManagersChangeMembership() {
        const RoomState current = roomOf(3, {{kAlice, "alice", true}, {kBob, "bob", false}});
        const RoomState withMallory = roomOf(
            4, {{kAlice, "alice", true}, {kBob, "bob", false}, {kMallory, "mallory", false}});
        auto byBob =
            applyRoomControl(current, kBob, kAlice,
                             withMallory.toControl(content::GroupControl::ACTION_ADD_MEMBERS));
        QVERIFY(!byBob);
        QCOMPARE(byBob.error(), RoomError::NotAManager);
        auto byOutsider =
            applyRoomControl(current, kMallory, kAlice,
                             withMallory.toControl(content::GroupControl::ACTION_ADD_MEMBERS));
        QVERIFY(!byOutsider);
        QCOMPARE(byOutsider.error(), RoomError::NotAMember);
        auto byAlice =
            applyRoomControl(current, kAlice, kBob,
                             withMallory.toControl(content::GroupControl::ACTION_ADD_MEMBERS));
        QVERIFY(byAlice);
        QCOMPARE(byAlice->members.size(), std::size_t{3});

        // A member promoting himself is a membership change too.
        const RoomState promoted = roomOf(4, {{kAlice, "alice", true}, {kBob, "bob", true}});
        QVERIFY(!applyRoomControl(current, kBob, kAlice,
                                  promoted.toControl(content::GroupControl::ACTION_PROMOTE)));
    }

    void aMemberMayOnlyLeave() {
        const RoomState current =
            roomOf(5, {{kAlice, "alice", true}, {kBob, "bob", false}, {kCarol, "carol", false}});
        const RoomState withoutBob = roomOf(6, {{kAlice, "alice", true}, {kCarol, "carol", false}});
        QVERIFY(applyRoomControl(current, kBob, kAlice,
                                 withoutBob.toControl(content::GroupControl::ACTION_LEAVE)));
        // bob "leaving" carol out, or renaming on the way out, is refused.
        const RoomState withoutCarol = roomOf(6, {{kAlice, "alice", true}, {kBob, "bob", false}});
        QVERIFY(!applyRoomControl(current, kBob, kAlice,
                                  withoutCarol.toControl(content::GroupControl::ACTION_LEAVE)));
        const RoomState renamed =
            roomOf(6, {{kAlice, "alice", true}, {kCarol, "carol", false}}, "bob was here");
        QVERIFY(!applyRoomControl(current, kBob, kAlice,
                                  renamed.toControl(content::GroupControl::ACTION_LEAVE)));
    }

    void staleEpochsAreIgnored() {
        const RoomState current = roomOf(7, {{kAlice, "alice", true}, {kBob, "bob", false}});
        const RoomState older = roomOf(7, {{kAlice, "alice", true}});
        auto stale = applyRoomControl(
            current, kAlice, kAlice, older.toControl(content::GroupControl::ACTION_REMOVE_MEMBERS));
        QVERIFY(!stale);
        QCOMPARE(stale.error(), RoomError::Stale);
    }

    void malformedStatesAreRefused() {
        // No manager, a duplicate member, a short id, an empty room.
        QVERIFY(!RoomState::fromControl(
            roomOf(1, {{kAlice, "alice", false}}).toControl(content::GroupControl::ACTION_CREATE)));
        QVERIFY(
            !RoomState::fromControl(roomOf(1, {{kAlice, "alice", true}, {kAlice, "again", false}})
                                        .toControl(content::GroupControl::ACTION_CREATE)));
        content::GroupControl shortId =
            roomOf(1, {{kAlice, "alice", true}}).toControl(content::GroupControl::ACTION_CREATE);
        shortId.mutable_members(0)->set_root_id("short");
        QVERIFY(!RoomState::fromControl(shortId));
        QVERIFY(
            !RoomState::fromControl(roomOf(1, {}).toControl(content::GroupControl::ACTION_CREATE)));
        // Storage form round trip.
        const RoomState state = roomOf(9, {{kAlice, "alice", true}, {kBob, "bob", false}}, "t");
        auto parsed = RoomState::parse(state.serialize());
        QVERIFY(parsed);
        QCOMPARE(parsed->epoch, std::uint64_t{9});
        QCOMPARE(parsed->members.size(), std::size_t{2});
        QCOMPARE(parsed->title, std::string("t"));
    }
};

QTEST_GUILESS_MAIN(RoomStateTest)
#include "tst_room_state.moc"
