// SPDX-License-Identifier: Apache-2.0
// UsedPrekeyTable: a one-time prekey handed out a second time is noticed, also after a restart;
// rows are forgotten past the delivery bound.

#include "StorageTestSupport.h"
#include "crypto/Constants.h"
#include "storage/Store.h"

#include <QTemporaryDir>

using namespace cinder;
using namespace cinder::storage;
using test::openStore;

namespace {
crypto::NodeId node(std::uint8_t fill) {
    crypto::NodeId id{};
    id.fill(fill);
    return id;
}
crypto::PrekeyId prekey(std::uint8_t fill) {
    crypto::PrekeyId id{};
    id.fill(fill);
    return id;
}
} // namespace

class TestUsedPrekeyTable : public QObject {
    Q_OBJECT
private slots:
    void aSecondHandingOutIsNoticedAcrossRestarts() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QCOMPARE(store->usedPrekeys().recordFirstUse(node(1), prekey(1)).value(), true);
            QCOMPARE(store->usedPrekeys().recordFirstUse(node(1), prekey(1)).value(), false);
            // The same prekey id under another device is another key.
            QCOMPARE(store->usedPrekeys().recordFirstUse(node(2), prekey(1)).value(), true);
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        QCOMPARE(store->usedPrekeys().recordFirstUse(node(1), prekey(1)).value(), false);
        QCOMPARE(store->usedPrekeys().count().value(), 2);
    }

    void forgottenPastTheDeliveryBound() {
        QTemporaryDir dir;
        std::int64_t now = 1'000'000'000'000;
        auto store = Store::open(dir.path(), test::freshKey(), [&now] { return now; });
        QVERIFY(store);
        QVERIFY((*store)->usedPrekeys().recordFirstUse(node(1), prekey(1)).value());
        now += crypto::kMaxDeliveryAgeMs / 2;
        QVERIFY((*store)->usedPrekeys().recordFirstUse(node(1), prekey(2)).value());
        QCOMPARE((*store)->usedPrekeys().prune().value(), 0);
        now += crypto::kMaxDeliveryAgeMs / 2 + 1;
        QCOMPARE((*store)->usedPrekeys().prune().value(), 1);
        QCOMPARE((*store)->usedPrekeys().count().value(), 1);
        QCOMPARE((*store)->usedPrekeys().recordFirstUse(node(1), prekey(2)).value(), false);
    }
};

QTEST_GUILESS_MAIN(TestUsedPrekeyTable)
#include "tst_used_prekey_table.moc"
