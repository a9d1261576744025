// SPDX-License-Identifier: Apache-2.0
// RoomStateTable: room state, removed with its conversation.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QTemporaryDir>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

class TestRoomStateTable : public QObject {
    Q_OBJECT
private slots:
    void roomState() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        ConversationRecord room = test::conversation(4);
        room.kind = ConversationKind::Room;
        QVERIFY(store->conversations().save(room));
        QVERIFY(!store->rooms().find(room.id).value());
        QVERIFY(store->rooms().save({room.id, 3, crypto::toBytes("members v3")}));
        QVERIFY(store->rooms().save({room.id, 4, crypto::toBytes("members v4")}));
        auto state = store->rooms().find(room.id).value();
        QVERIFY(state);
        QCOMPARE(state->epoch, std::uint64_t{4});
        QCOMPARE(crypto::toStdString(state->state), std::string("members v4"));
        QCOMPARE(store->rooms().save({idOf<crypto::ConversationId>(9), 1, {}}).error(),
                 StoreError::UnknownConversation);
        QVERIFY(store->conversations().remove(room.id));
        QVERIFY(!store->rooms().find(room.id).value());
    }
};

QTEST_GUILESS_MAIN(TestRoomStateTable)
#include "tst_room_state_table.moc"
