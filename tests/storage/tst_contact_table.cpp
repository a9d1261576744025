// SPDX-License-Identifier: Apache-2.0
// ContactTable: pinned keys, verification, identity changes, device lists.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QTemporaryDir>

using namespace cinder;
using namespace cinder::storage;
using test::contact;
using test::idOf;
using test::openStore;

class TestContactTable : public QObject {
    Q_OBJECT
private slots:
    void contacts() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        QVERIFY(store->contacts().save(contact(1, "bob")));
        QVERIFY(store->contacts().save(contact(2, "alice")));
        QCOMPARE(store->contacts().save(contact(3, "bob")).error(), StoreError::Duplicate);
        auto all = store->contacts().all().value();
        QCOMPARE(all.size(), std::size_t{2});
        QCOMPARE(all[0].username, std::string("alice"));
        auto bob = store->contacts().findByUsername("bob").value();
        QVERIFY(bob);
        QVERIFY(bob->rootId == idOf<crypto::RootId>(1));
        QCOMPARE(bob->displayName, std::string("Display bob"));

        ContactRecord renamed = *bob;
        renamed.displayName = "Robert";
        QVERIFY(store->contacts().save(renamed));
        QCOMPARE(store->contacts().find(renamed.rootId).value()->displayName,
                 std::string("Robert"));

        QVERIFY(store->contacts().setVerified(bob->rootId, true));
        QVERIFY(store->contacts().find(bob->rootId).value()->verified);

        // Identity change: flagged, unverified, the old key stays pinned until accepted.
        const crypto::Bytes newKey(133, 0x77);
        QVERIFY(store->contacts().flagIdentityChange(bob->rootId, newKey));
        auto changed = store->contacts().find(bob->rootId).value();
        QVERIFY(changed->identityChanged);
        QVERIFY(!changed->verified);
        QVERIFY(changed->pinnedRootKey == crypto::Bytes(133, 1));
        QCOMPARE(store->contacts().setVerified(bob->rootId, true).error(),
                 StoreError::InvalidArgument);
        QVERIFY(store->contacts().acceptIdentityChange(bob->rootId));
        auto accepted = store->contacts().find(bob->rootId).value();
        QVERIFY(!accepted->identityChanged);
        QVERIFY(accepted->pinnedRootKey == newKey);
        QVERIFY(!accepted->pendingRootKey);
        QCOMPARE(store->contacts().acceptIdentityChange(bob->rootId).error(), StoreError::NotFound);

        // Device lists only move forward.
        QVERIFY(store->contacts().updateDeviceList(bob->rootId, 2, crypto::asBytes("list v2")));
        QCOMPARE(
            store->contacts().updateDeviceList(bob->rootId, 2, crypto::asBytes("again")).error(),
            StoreError::StaleVersion);
        QCOMPARE(store->contacts().updateDeviceList(bob->rootId, 1, crypto::asBytes("old")).error(),
                 StoreError::StaleVersion);
        QCOMPARE(store->contacts().find(bob->rootId).value()->deviceListVersion, std::uint64_t{2});
        QCOMPARE(store->contacts().updateDeviceList(idOf<crypto::RootId>(9), 5, {}).error(),
                 StoreError::NotFound);

        QVERIFY(store->contacts().remove(bob->rootId));
        QCOMPARE(store->contacts().remove(bob->rootId).error(), StoreError::NotFound);
        QVERIFY(!store->contacts().find(bob->rootId).value());
    }
};

QTEST_GUILESS_MAIN(TestContactTable)
#include "tst_contact_table.moc"
