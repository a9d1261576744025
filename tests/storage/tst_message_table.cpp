// SPDX-License-Identifier: Apache-2.0
// MessageTable: messages, batches, pages, read state, edits and deletes.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QTemporaryDir>

#include <array>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

class TestMessageTable : public QObject {
    Q_OBJECT
private slots:
    void messages() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord c = test::conversation(1);
        QVERIFY(store->conversations().save(c));
        auto first = test::message(1, c.id, 5000, "first");
        first.replyTo = idOf<crypto::MessageId>(99);
        first.contentType = crypto::ContentType::File;
        QVERIFY(store->messages().insert(first));
        QCOMPARE(store->messages().insert(first).error(), StoreError::Duplicate);
        QCOMPARE(
            store->messages().insert(test::message(2, idOf<crypto::ConversationId>(9), 1)).error(),
            StoreError::UnknownConversation);
        auto noTtl = test::message(3, c.id, 5000, "x", 0);
        QCOMPARE(store->messages().insert(noTtl).error(), StoreError::InvalidArgument);

        auto stored = store->messages().find(first.id).value();
        QVERIFY(stored);
        QVERIFY(stored->body == first.body);
        QVERIFY(stored->replyTo == first.replyTo);
        QCOMPARE(stored->contentType, crypto::ContentType::File);
        QCOMPARE(stored->expiresAtMs, std::int64_t{5000 + 3600 * 1000});
        QVERIFY(stored->senderNodeId == first.senderNodeId);
        QCOMPARE(stored->sequence, first.sequence);
        QCOMPARE(stored->readState, ReadState::Unread);

        QVERIFY(store->messages().applyEdit(first.id, crypto::asBytes("edited")));
        stored = store->messages().find(first.id).value();
        QVERIFY(stored->edited);
        QCOMPARE(crypto::toStdString(stored->body), std::string("edited"));
        QVERIFY(store->messages().markDeleted(first.id));
        stored = store->messages().find(first.id).value();
        QVERIFY(stored->deleted);
        QVERIFY(stored->body.empty());
        QCOMPARE(store->messages().applyEdit(first.id, crypto::asBytes("again")).error(),
                 StoreError::NotFound);
        QVERIFY(store->messages().remove(first.id));
        QVERIFY(!store->messages().find(first.id).value());
        QCOMPARE(store->messages().remove(first.id).error(), StoreError::NotFound);
        QCOMPARE(store->messages().markShown(first.id, 1).error(), StoreError::NotFound);
    }

    void batchesAndPages() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord c = test::conversation(1);
        const ConversationRecord other = test::conversation(2);
        QVERIFY(store->conversations().save(c));
        QVERIFY(store->conversations().save(other));
        std::vector<MessageRecord> batch;
        for (std::uint32_t i = 0; i < 120; ++i) {
            // Pairs share a sent time, so the row id breaks ties.
            batch.push_back(test::message(i, i % 10 == 0 ? other.id : c.id, 10000 + i / 2));
        }
        auto inserted = store->messages().insertBatch(batch);
        QVERIFY(inserted);
        QCOMPARE(*inserted, std::size_t{120});
        // Redelivery: duplicates are skipped, new ones kept.
        batch.resize(5);
        batch.push_back(test::message(500, c.id, 20000));
        QCOMPARE(store->messages().insertBatch(batch).value(), std::size_t{1});

        std::vector<MessageRecord> all;
        std::optional<MessageCursor> cursor;
        for (;;) {
            auto page = store->messages().page(c.id, cursor, 25);
            QVERIFY(page);
            if (page->empty()) {
                break;
            }
            QVERIFY(page->size() <= 25);
            cursor = page->back().cursor();
            all.insert(all.end(), page->begin(), page->end());
        }
        QCOMPARE(all.size(), std::size_t{109}); // 108 + 1, the other conversation excluded
        QCOMPARE(crypto::toStdString(all.front().body), std::string("hello"));
        QCOMPARE(all.front().sentAtMs, std::int64_t{20000});
        for (std::size_t i = 1; i < all.size(); ++i) {
            const bool older =
                all[i].sentAtMs < all[i - 1].sentAtMs ||
                (all[i].sentAtMs == all[i - 1].sentAtMs && all[i].rowId < all[i - 1].rowId);
            QVERIFY(older);
            QVERIFY(all[i].conversationId == c.id);
        }
        QCOMPARE(store->messages().page(c.id, std::nullopt, 0).error(),
                 StoreError::InvalidArgument);
        QCOMPARE(store->messages().page(idOf<crypto::ConversationId>(9)).error(),
                 StoreError::UnknownConversation);
        // A batch with an unknown conversation changes nothing.
        std::vector<MessageRecord> bad{test::message(900, c.id, 1),
                                       test::message(901, idOf<crypto::ConversationId>(9), 1)};
        QCOMPARE(store->messages().insertBatch(bad).error(), StoreError::UnknownConversation);
        QVERIFY(!store->messages().find(bad[0].id).value());
    }

    // rowsRead counts the message rows read back (for the test that a received message reaches
    // the view with no second read); writes count nothing.
    void rowsReadCountsReadsOnly() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord chat = test::conversation(1);
        QVERIFY(store->conversations().save(chat));
        QCOMPARE(store->messages().rowsRead(), std::uint64_t{0});
        const std::array<MessageRecord, 3> batch{test::message(1, chat.id, 1000),
                                                 test::message(2, chat.id, 1001),
                                                 test::message(3, chat.id, 1002)};
        QCOMPARE(store->messages().insertBatch(batch).value(), std::size_t{3});
        QVERIFY(store->messages().markShown(batch[0].id, 1500));
        QVERIFY(store->messages().setReadState(batch[1].id, ReadState::Read));
        QCOMPARE(store->messages().rowsRead(), std::uint64_t{0});
        QVERIFY(store->messages().find(batch[0].id).value());
        QCOMPARE(store->messages().rowsRead(), std::uint64_t{1});
        QVERIFY(!store->messages().find(idOf<crypto::MessageId>(99)).value());
        QCOMPARE(store->messages().rowsRead(), std::uint64_t{1});
        QCOMPARE(store->messages().page(chat.id).value().size(), std::size_t{3});
        QCOMPARE(store->messages().rowsRead(), std::uint64_t{4});
    }
};

QTEST_GUILESS_MAIN(TestMessageTable)
#include "tst_message_table.moc"
