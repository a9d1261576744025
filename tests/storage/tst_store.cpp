// SPDX-License-Identifier: Apache-2.0
// Store: opening with the right and the wrong key, migrations, and the operations that
// span table owners.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QTemporaryDir>

#include <array>
#include <span>
#include <string>
#include <vector>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

class TestStore : public QObject {
    Q_OBJECT
private slots:
    void wrongKeyIsTyped() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(store->settings().set("theme", crypto::asBytes("dark")));
        }
        const QStringList before = test::filesUnder(dir.path());
        auto wrong = Store::open(dir.path(), test::freshKey());
        QVERIFY(!wrong);
        QCOMPARE(wrong.error(), StoreError::WrongKey);
        QCOMPARE(Store::open(dir.path(), crypto::SecureBuffer(31)).error(), StoreError::KeyLength);
        // Still opens with the right key, data intact.
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        auto theme = store->settings().get("theme");
        QVERIFY(theme && *theme);
        QCOMPARE(test::toQByteArray(**theme), QByteArray("dark"));
        Q_UNUSED(before);
    }

    void notADatabaseIsTyped() {
        QTemporaryDir dir;
        QFile file(QDir(dir.path()).filePath("store.db"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'z'));
        file.close();
        QCOMPARE(Store::open(dir.path(), test::freshKey()).error(), StoreError::WrongKey);
    }

    void migrationsAreIdempotent() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QCOMPARE(store->schemaVersion(), 4);
            QVERIFY(store->conversations().save(test::conversation(1)));
            auto again = store->migrate();
            QVERIFY(again);
            QCOMPARE(*again, 4);
            QCOMPARE(store->migrate().value(), 4);
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), 4);
        QCOMPARE(store->conversations().all().value().size(), std::size_t{1});
    }

    void aReceivedDeliveryIsCommittedWhole() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        const ConversationRecord chat = test::conversation(1);
        const crypto::Sha256Digest packet = crypto::sha256(crypto::asBytes("packet"));
        crypto::ReplayGuard guard([] { return std::int64_t{2000}; });
        const MessageRecord received = test::message(1, chat.id, 1500);
        guard.record(received.senderNodeId, received.id, received.sequence, received.sentAtMs);
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(store->conversations().save(chat));
            QCOMPARE(
                store->deliveryCommit().commit(std::span(&received, 1), packet, &guard).value(),
                std::size_t{1});
            QVERIFY(!guard.hasUnsaved());
            // The same delivery again: the message is there already, nothing is inserted.
            QCOMPARE(store->deliveryCommit().commit(std::span(&received, 1), packet).value(),
                     std::size_t{0});
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        QVERIFY(store->messages().find(received.id).value());
        QVERIFY(store->replay().deliveryHandled(packet).value());
        QCOMPARE(store->replay().load().value().seenMessages().size(), std::size_t{1});
    }

    void aBatchOfDeliveriesIsCommittedAtOnce() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        const ConversationRecord chat = test::conversation(1);
        crypto::ReplayGuard guard([] { return std::int64_t{2000}; });
        std::vector<ReceivedMessage> batch;
        for (int i = 1; i <= 3; ++i) {
            ReceivedMessage one{test::message(i, chat.id, 1500),
                                crypto::sha256(crypto::asBytes("packet " + std::to_string(i)))};
            guard.record(one.record.senderNodeId, one.record.id, one.record.sequence,
                         one.record.sentAtMs);
            batch.push_back(std::move(one));
        }
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(store->conversations().save(chat));
            QVERIFY(store->messages().insert(batch[1].record)); // stored before: skipped
            const auto inserted = store->deliveryCommit().commitAll(batch, &guard);
            QVERIFY(inserted);
            QCOMPARE(*inserted, (std::vector<bool>{true, false, true}));
            QVERIFY(!guard.hasUnsaved());
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        for (const ReceivedMessage& one : batch) {
            QVERIFY(store->messages().find(one.record.id).value());
            QVERIFY(store->replay().deliveryHandled(one.packetHash).value());
        }
        QCOMPARE(store->replay().load().value().seenMessages().size(), std::size_t{3});
    }

    void aFailedBatchCommitsNothing() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord chat = test::conversation(1);
        QVERIFY(store->conversations().save(chat));
        crypto::ReplayGuard guard([] { return std::int64_t{2000}; });
        const std::array<ReceivedMessage, 2> batch{
            ReceivedMessage{test::message(1, chat.id, 1500), crypto::sha256(crypto::asBytes("a"))},
            ReceivedMessage{test::message(2, idOf<crypto::ConversationId>(9), 1500),
                            crypto::sha256(crypto::asBytes("b"))}};
        guard.record(batch[0].record.senderNodeId, batch[0].record.id, batch[0].record.sequence,
                     batch[0].record.sentAtMs);
        QCOMPARE(store->deliveryCommit().commitAll(batch, &guard).error(),
                 StoreError::UnknownConversation);
        QVERIFY(!store->messages().find(batch[0].record.id).value());
        QVERIFY(!store->replay().deliveryHandled(batch[0].packetHash).value());
        QCOMPARE(store->replay().seenCount().value(), std::int64_t{0});
        QVERIFY(guard.hasUnsaved());
    }

    void aFailedReceiveCommitsNothing() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord chat = test::conversation(1);
        QVERIFY(store->conversations().save(chat));
        const crypto::Sha256Digest packet = crypto::sha256(crypto::asBytes("packet"));
        crypto::ReplayGuard guard([] { return std::int64_t{2000}; });
        // The second message names a conversation the store does not hold: the whole delivery
        // fails, the first message and the handled record with it.
        const std::array<MessageRecord, 2> batch{
            test::message(1, chat.id, 1500),
            test::message(2, idOf<crypto::ConversationId>(9), 1500)};
        guard.record(batch[0].senderNodeId, batch[0].id, batch[0].sequence, batch[0].sentAtMs);
        QCOMPARE(store->deliveryCommit().commit(batch, packet, &guard).error(),
                 StoreError::UnknownConversation);
        QVERIFY(!store->messages().find(batch[0].id).value());
        QVERIFY(!store->replay().deliveryHandled(packet).value());
        QCOMPARE(store->replay().seenCount().value(), std::int64_t{0});
        QVERIFY(guard.hasUnsaved()); // still to be written
        // The store is usable afterwards (no transaction left open).
        QVERIFY(store->messages().insert(batch[0]));
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
