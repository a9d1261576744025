// SPDX-License-Identifier: Apache-2.0
// OutboxTable: packets waiting for the connection.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QTemporaryDir>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

class TestOutboxTable : public QObject {
    Q_OBJECT
private slots:
    void outbox() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        OutboxItem item;
        item.kind = 3;
        item.payload = crypto::Bytes(300, 0x33);
        item.createdAtMs = 1000;
        item.expiresAtMs = 99'000;
        item.messageId = idOf<crypto::MessageId>(5);
        auto first = store->outbox().enqueue(item);
        item.messageId.reset();
        auto second = store->outbox().enqueue(item);
        QVERIFY(first && second);
        QVERIFY(*second > *first);
        QVERIFY(store->outbox().recordAttempt(*first));
        auto queued = store->outbox().peek().value();
        QCOMPARE(queued.size(), std::size_t{2});
        QCOMPARE(queued[0].id, *first);
        QCOMPARE(queued[0].attempts, 1u);
        QVERIFY(queued[0].messageId == idOf<crypto::MessageId>(5));
        QVERIFY(!queued[1].messageId);
        QVERIFY(queued[1].payload == item.payload);
        QCOMPARE(store->outbox().peek(1).value().size(), std::size_t{1});
        QVERIFY(store->outbox().remove(*first));
        QCOMPARE(store->outbox().remove(*first).error(), StoreError::NotFound);
        QCOMPARE(store->outbox().peek().value().size(), std::size_t{1});
    }
};

QTEST_GUILESS_MAIN(TestOutboxTable)
#include "tst_outbox_table.moc"
