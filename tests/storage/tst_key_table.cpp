// SPDX-License-Identifier: Apache-2.0
// KeyTable: this device's identity row and its private prekey pool.

#include "StorageTestSupport.h"
#include "crypto/NodeIdentity.h"
#include "crypto/RootIdentity.h"
#include "storage/Store.h"

#include <QTemporaryDir>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

class TestKeyTable : public QObject {
    Q_OBJECT
private slots:
    void identityAndPrekeys() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        auto root = crypto::RootIdentity::generate();
        QVERIFY(root);
        auto node = crypto::NodeIdentity::enroll(*root, 1000);
        QVERIFY(node);
        crypto::EphemeralKeyPool pool;
        QVERIFY(pool.generate(*node, 3));
        QVERIFY(pool.generateLastResort(*node));
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(!store->keys().identity().value());
            IdentityRecord identity;
            identity.username = "alice";
            identity.rootId = root->id();
            identity.rootPublicKey = root->publicKey().bytes();
            identity.rootPrivateKey = root->key().exportPrivate().value();
            identity.remoteStorageKey = root->remoteStorageKey().clone();
            identity.nodeStorageRootKey = root->nodeStorageRootKey().clone();
            identity.nodeId = node->id();
            identity.nodePublicKey = node->key().publicKey().bytes();
            identity.nodePrivateKey = node->key().exportPrivate().value();
            identity.nodeCertificate = node->certificate();
            identity.createdAtMs = 1000;
            QVERIFY(store->keys().saveIdentity(identity));
            QVERIFY(store->keys().savePrekeyPool(pool));
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        auto identity = store->keys().identity().value();
        QVERIFY(identity);
        QCOMPARE(identity->username, std::string("alice"));
        QVERIFY(identity->rootId == root->id());
        QVERIFY(identity->nodeStorageRootKey == root->nodeStorageRootKey());
        auto nodeKey =
            crypto::KeyPair::fromPrivate(identity->nodePrivateKey.view(), identity->nodePublicKey);
        QVERIFY(nodeKey);
        QVERIFY(nodeKey->publicKey() == node->key().publicKey());

        auto loaded = store->keys().loadPrekeyPool();
        QVERIFY(loaded);
        QCOMPARE(loaded->size(), std::size_t{4});
        std::size_t lastResort = 0;
        for (const auto& [id, entry] : loaded->entries()) {
            QVERIFY(pool.find(id));
            QVERIFY(entry.key.publicKey() == pool.find(id)->key.publicKey());
            lastResort += entry.lastResort ? 1 : 0;
        }
        QCOMPARE(lastResort, std::size_t{1});
        const crypto::PrekeyId first = loaded->entries().begin()->first;
        QVERIFY(store->keys().deletePrekey(first));
        QCOMPARE(store->keys().deletePrekey(first).error(), StoreError::NotFound);
        QCOMPARE(store->keys().prekeys().value().size(), std::size_t{3});
    }
};

QTEST_GUILESS_MAIN(TestKeyTable)
#include "tst_key_table.moc"
