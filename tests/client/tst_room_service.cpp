// SPDX-License-Identifier: Apache-2.0
// RoomService (client/RoomService.h) with a local store and no server: a room made here, and
// received group-control messages applied only from a manager of the state held here.
// Rooms between real devices are covered by tst_session_rooms.

#include "RoleFixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace cinder;
using namespace cinder::test;

namespace {

// What the decoder hands over for a group-control message from `sender` to `room`.
crypto::DecodedMessage controlFrom(const crypto::RootId& sender,
                                   const crypto::ConversationId& room) {
    crypto::DecodedMessage decoded;
    decoded.metadata.messageId[0] = 1;
    decoded.metadata.sequence = 1;
    decoded.metadata.sentAtMs = 1;
    decoded.metadata.contentType = crypto::ContentType::GroupControl;
    decoded.metadata.ephemerality = {60, false, 0};
    decoded.metadata.conversationId = room;
    decoded.metadata.senderRootId = sender;
    return decoded;
}

} // namespace

class RoomServiceTest : public QObject {
    Q_OBJECT
private slots:
    void aRoomMadeHereIsManagedHere() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path(), "solo");
        QVERIFY(device);
        auto id = device->rooms().createRoom("plans", {});
        QVERIFY(id);
        auto room = device->rooms().room(*id);
        QVERIFY(room);
        QCOMPARE(room->epoch, std::uint64_t{1});
        QVERIFY(room->isManager(device->context().rootId));
        // The create message waits in the outbox for the server.
        QCOMPARE(*device->outbox().size(), std::size_t{1});

        QVERIFY(device->rooms().renameRoom(*id, "new plans"));
        QCOMPARE(device->rooms().room(*id)->title, std::string("new plans"));
        QCOMPARE(device->rooms().room(*id)->epoch, std::uint64_t{2});
        QCOMPARE(*device->outbox().size(), std::size_t{2});
    }

    void controlsApplyOnlyFromAManager() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path(), "member");
        QVERIFY(device);
        const crypto::RootId self = device->context().rootId;
        const crypto::RootId manager = someone(0x11);
        const crypto::RootId stranger = someone(0x22);
        QSignalSpy changed(&device->rooms(), &client::RoomService::conversationChanged);
        QSignalSpy dropped(&device->rooms(), &client::RoomService::deliveryDropped);

        client::RoomState state;
        state.epoch = 1;
        state.title = "club";
        state.members = {{manager, "manager", true}, {self, "member", false}};
        state.idNonce = crypto::randomId<client::RoomIdNonce>(crypto::systemRandom());
        const crypto::ConversationId room = client::roomConversationId(*state.idNonce);
        const auto create = state.toControl(content::GroupControl::ACTION_CREATE);
        device->rooms().applyControl(controlFrom(manager, room), create);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(device->rooms().room(room)->epoch, std::uint64_t{1});

        // A stranger adds themselves: refused and reported, the state held stays.
        client::RoomState forged = state;
        forged.epoch = 2;
        forged.members.push_back({stranger, "stranger", true});
        device->rooms().applyControl(controlFrom(stranger, room),
                                     forged.toControl(content::GroupControl::ACTION_ADD_MEMBERS));
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(device->rooms().room(room)->epoch, std::uint64_t{1});
        QVERIFY(!device->rooms().room(room)->isMember(stranger));

        // The manager's own replay of the first state is stale: ignored without a word.
        device->rooms().applyControl(controlFrom(manager, room), create);
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(changed.count(), 1);

        // A member who is not a manager may not change the room either.
        auto notAManager = device->rooms().renameRoom(room, "mine");
        QVERIFY(!notAManager);
        QCOMPARE(notAManager.error(), client::SessionError::NotAManager);
    }

    // Issue 14: a control never creates or changes a 1:1 conversation (docs/PROTOCOL.md,
    // "Conversation ids"), and room calls refuse a 1:1 conversation's id.
    void controlsNeverMakeOrChangeADirectConversation() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path(), "member");
        QVERIFY(device);
        const crypto::RootId self = device->context().rootId;
        const crypto::RootId manager = someone(0x11);
        const crypto::RootId contact = someone(0x33);
        QSignalSpy changed(&device->rooms(), &client::RoomService::conversationChanged);
        QSignalSpy dropped(&device->rooms(), &client::RoomService::deliveryDropped);
        const auto reason = [](client::RoomError error) {
            return QString::fromLatin1(client::describe(error).data());
        };

        client::RoomState state;
        state.epoch = 1;
        state.title = "club";
        state.members = {{manager, "manager", true}, {self, "member", false}};
        state.idNonce = crypto::randomId<client::RoomIdNonce>(crypto::systemRandom());

        // A room new here under a 1:1 id (another pair's, one not held here): its id is not
        // derived from the nonce it carries, nor from none.
        const crypto::ConversationId direct = client::directConversationId(self, contact);
        device->rooms().applyControl(controlFrom(manager, direct),
                                     state.toControl(content::GroupControl::ACTION_CREATE));
        client::RoomState withoutNonce = state;
        withoutNonce.idNonce.reset();
        device->rooms().applyControl(controlFrom(manager, direct),
                                     withoutNonce.toControl(content::GroupControl::ACTION_CREATE));
        QCOMPARE(dropped.count(), 2);
        QCOMPARE(dropped.at(0).first().toString(), reason(client::RoomError::NotARoomId));
        QCOMPARE(dropped.at(1).first().toString(), reason(client::RoomError::NotARoomId));
        QVERIFY(!device->store().conversations().find(direct).value());

        // A 1:1 conversation held here: refused by its kind, whatever the control says.
        storage::ConversationRecord record;
        record.id = direct;
        record.kind = storage::ConversationKind::Direct;
        record.title = "contact";
        record.peerRootId = contact;
        record.defaults = device->expiry().defaultTimers();
        QVERIFY(device->store().conversations().save(record));
        device->rooms().applyControl(controlFrom(manager, direct),
                                     state.toControl(content::GroupControl::ACTION_CREATE));
        QCOMPARE(dropped.count(), 3);
        QCOMPARE(dropped.at(2).first().toString(), reason(client::RoomError::NotARoom));
        QCOMPARE(device->store().conversations().find(direct).value()->kind,
                 storage::ConversationKind::Direct);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(device->rooms().room(direct).error(), client::SessionError::WrongConversationKind);
        QCOMPARE(device->rooms().renameRoom(direct, "mine").error(),
                 client::SessionError::WrongConversationKind);
        QCOMPARE(device->rooms().leaveRoom(direct).error(),
                 client::SessionError::WrongConversationKind);

        // The room under its own id is accepted, and its id's derivation stays with it.
        const crypto::ConversationId room = client::roomConversationId(*state.idNonce);
        device->rooms().applyControl(controlFrom(manager, room),
                                     state.toControl(content::GroupControl::ACTION_CREATE));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(device->rooms().room(room)->idNonce, state.idNonce);
    }
};

QTEST_GUILESS_MAIN(RoomServiceTest)
#include "tst_room_service.moc"
