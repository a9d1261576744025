// SPDX-License-Identifier: Apache-2.0
// ConversationTable: conversations, unread counts, removal with everything in them.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QTemporaryDir>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

class TestConversationTable : public QObject {
    Q_OBJECT
private slots:
    void conversationsAndUnreadCounts() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        ConversationRecord one = test::conversation(1);
        ConversationRecord two = test::conversation(2);
        two.kind = ConversationKind::Room;
        QVERIFY(store->conversations().save(one));
        QVERIFY(store->conversations().save(two));
        ConversationRecord invalid = test::conversation(3, 0);
        QCOMPARE(store->conversations().save(invalid).error(), StoreError::InvalidArgument);

        QVERIFY(store->messages().insert(test::message(1, one.id, 5000)));
        QVERIFY(store->messages().insert(test::message(2, one.id, 6000)));
        auto own = test::message(3, two.id, 7000);
        own.outgoing = true;
        QVERIFY(store->messages().insert(own));

        auto list = store->conversations().all().value();
        QCOMPARE(list.size(), std::size_t{2});
        QVERIFY(list[0].id == two.id); // most recent activity first
        QCOMPARE(list[0].kind, ConversationKind::Room);
        QCOMPARE(list[0].unreadCount, 0u);
        QCOMPARE(list[0].lastActivityMs, std::int64_t{7000});
        QCOMPARE(list[1].unreadCount, 2u);

        QVERIFY(store->messages().markShown(test::message(1, one.id, 0).id, 8000));
        QCOMPARE(store->conversations().find(one.id).value()->unreadCount, 1u);
        QVERIFY(store->messages().setReadState(test::message(1, one.id, 0).id, ReadState::Unread));
        QCOMPARE(store->conversations().find(one.id).value()->unreadCount, 2u);
        QVERIFY(store->messages().remove(test::message(2, one.id, 0).id));
        QCOMPARE(store->conversations().find(one.id).value()->unreadCount, 1u);

        // An outgoing message waits in the outbox as Queued (never unread); leaving it, it
        // becomes sent (or failed), but a Seen that came first is kept.
        auto queued = test::message(4, two.id, 7100);
        queued.outgoing = true;
        queued.readState = ReadState::Queued;
        QVERIFY(store->messages().insert(queued));
        QCOMPARE(store->messages().find(queued.id).value()->readState, ReadState::Queued);
        QCOMPARE(store->conversations().find(two.id).value()->unreadCount, 0u);
        QCOMPARE(store->messages().settleQueued(queued.id, ReadState::Read).value(), true);
        QCOMPARE(store->messages().find(queued.id).value()->readState, ReadState::Read);
        QCOMPARE(store->messages().settleQueued(queued.id, ReadState::Failed).value(), false);
        QVERIFY(store->messages().setReadState(queued.id, ReadState::Seen));
        QCOMPARE(store->messages().settleQueued(queued.id, ReadState::Read).value(), false);
        QCOMPARE(store->messages().find(queued.id).value()->readState, ReadState::Seen);

        // Updating keeps the counters and changes the defaults.
        one.title = "renamed";
        one.defaults = {60, true, 10};
        QVERIFY(store->conversations().save(one));
        auto updated = store->conversations().find(one.id).value();
        QCOMPARE(updated->title, std::string("renamed"));
        QVERIFY(updated->defaults.burnOnRead);
        QCOMPARE(updated->defaults.burnSeconds, 10u);
        QCOMPARE(updated->unreadCount, 1u);

        QVERIFY(store->conversations().remove(one.id));
        QVERIFY(!store->conversations().find(one.id).value());
        QVERIFY(!store->messages().find(test::message(1, one.id, 0).id).value());
        QCOMPARE(store->conversations().remove(one.id).error(), StoreError::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestConversationTable)
#include "tst_conversation_table.moc"
