// SPDX-License-Identifier: Apache-2.0
// Timers enforced by the store: ttl from sending, burn-on-read from first showing and never past
// the expiry; rows and attachment files deleted by deleteExpired, on open and by the timer.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <memory>
#include <sstream>

using namespace cinder;
using namespace cinder::storage;

namespace {

struct Fixture {
    QTemporaryDir dir;
    crypto::SecureBuffer key = test::freshKey();
    std::shared_ptr<std::atomic<std::int64_t>> clock =
        std::make_shared<std::atomic<std::int64_t>>(1'000'000);
    std::unique_ptr<Store> store;
    ConversationRecord conversation = test::conversation(1);

    bool open() {
        store.reset();
        auto opened = Store::open(dir.path(), key, [c = clock] { return c->load(); });
        if (!opened) {
            return false;
        }
        store = std::move(opened).value();
        return true;
    }

    int filesOnDisk() const {
        return static_cast<int>(
            test::filesUnder(QDir(dir.path()).filePath(QStringLiteral("attachments"))).size());
    }

    bool addWithFile(const MessageRecord& m) {
        if (!store->messages().insert(m)) {
            return false;
        }
        std::istringstream content("attachment of a message");
        return static_cast<bool>(
            store->attachments().importFile(m.id, "a.txt", "text/plain", content));
    }
};

} // namespace

class TestStoreExpiry : public QObject {
    Q_OBJECT
private slots:
    void ttlDeletesRowsAndFiles() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.store->conversations().save(f.conversation));
        const auto shortLived = test::message(1, f.conversation.id, 1'000'000, "short", 10);
        const auto longLived = test::message(2, f.conversation.id, 1'000'000, "long", 1000);
        QVERIFY(f.addWithFile(shortLived));
        QVERIFY(f.addWithFile(longLived));
        QCOMPARE(f.filesOnDisk(), 2);

        QSignalSpy removed(&f.store->expiry(), &ExpiryRun::messagesRemoved);
        QVERIFY(f.store->expiry().deleteExpired(1'009'999).value().empty());
        QCOMPARE(removed.count(), 0);
        auto gone = f.store->expiry().deleteExpired(1'010'000);
        QVERIFY(gone);
        QCOMPARE(gone->size(), std::size_t{1});
        QVERIFY(gone->front() == shortLived.id);
        QCOMPARE(removed.count(), 1);
        QVERIFY(!f.store->messages().find(shortLived.id).value());
        QVERIFY(f.store->messages().find(longLived.id).value());
        QCOMPARE(f.filesOnDisk(), 1);
        QCOMPARE(f.store->conversations().find(f.conversation.id).value()->unreadCount, 1u);
    }

    // The run names each conversation that lost a message, once, and no other: the session
    // announces those conversations only (docs/ARCHITECTURE.md, "Events").
    void expiryNamesItsConversationsOnce() {
        Fixture f;
        QVERIFY(f.open());
        const ConversationRecord other = test::conversation(2);
        const ConversationRecord untouched = test::conversation(3);
        for (const ConversationRecord& c : {f.conversation, other, untouched}) {
            QVERIFY(f.store->conversations().save(c));
        }
        QVERIFY(
            f.store->messages().insert(test::message(1, f.conversation.id, 1'000'000, "a", 10)));
        QVERIFY(
            f.store->messages().insert(test::message(2, f.conversation.id, 1'000'000, "b", 10)));
        QVERIFY(f.store->messages().insert(test::message(3, other.id, 1'000'000, "c", 10)));
        QVERIFY(f.store->messages().insert(test::message(4, untouched.id, 1'000'000, "d", 1000)));

        std::vector<crypto::ConversationId> named;
        int runs = 0;
        QObject::connect(&f.store->expiry(), &ExpiryRun::messagesRemoved,
                         [&](const std::vector<crypto::MessageId>& ids,
                             const std::vector<crypto::ConversationId>& conversations) {
                             ++runs;
                             QCOMPARE(ids.size(), std::size_t{3});
                             named = conversations;
                         });
        QCOMPARE(f.store->expiry().deleteExpired(1'010'000).value().size(), std::size_t{3});
        QCOMPARE(runs, 1);
        std::sort(named.begin(), named.end());
        std::vector<crypto::ConversationId> expected{f.conversation.id, other.id};
        std::sort(expected.begin(), expected.end());
        QVERIFY(named == expected);
        QVERIFY(f.store->messages().find(test::message(4, untouched.id, 0).id).value());
    }

    void expiredOnReopen() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.store->conversations().save(f.conversation));
        const auto m = test::message(1, f.conversation.id, 1'000'000, "bye", 60);
        QVERIFY(f.addWithFile(m));
        f.store.reset();
        f.clock->store(1'000'000 + 60'000);
        QVERIFY(f.open());
        QVERIFY(!f.store->messages().find(m.id).value());
        QCOMPARE(f.filesOnDisk(), 0);
    }

    void burnStartsWhenShown() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.store->conversations().save(f.conversation));
        auto m = test::message(1, f.conversation.id, 1'000'000, "burn me", 3600);
        m.ephemerality = {3600, true, 30};
        QVERIFY(f.addWithFile(m));
        // Not shown: only the ttl applies.
        QVERIFY(f.store->expiry().deleteExpired(1'000'000 + 3'599'999).value().empty());
        auto deadline = f.store->messages().markShown(m.id, 2'000'000);
        QVERIFY(deadline);
        QCOMPARE(deadline->value(), std::int64_t{2'030'000});
        // Showing again does not restart or extend the burn.
        QCOMPARE(f.store->messages().markShown(m.id, 2'020'000).value().value(),
                 std::int64_t{2'030'000});
        auto stored = f.store->messages().find(m.id).value();
        QCOMPARE(stored->burnDeadlineMs.value(), std::int64_t{2'030'000});
        QCOMPARE(stored->shownAtMs.value(), std::int64_t{2'000'000});
        QCOMPARE(stored->readState, ReadState::Read);
        QVERIFY(f.store->expiry().deleteExpired(2'029'999).value().empty());
        QCOMPARE(f.store->expiry().deleteExpired(2'030'000).value().size(), std::size_t{1});
        QVERIFY(!f.store->messages().find(m.id).value());
        QCOMPARE(f.filesOnDisk(), 0);
    }

    void burnNeverExtendsPastExpiry() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.store->conversations().save(f.conversation));
        auto m = test::message(1, f.conversation.id, 1'000'000, "late", 20);
        m.ephemerality = {20, true, 15};
        QVERIFY(f.store->messages().insert(m));
        // Shown 10 s after sending: 15 s of burn would end 5 s after the expiry.
        auto deadline = f.store->messages().markShown(m.id, 1'010'000);
        QCOMPARE(deadline.value().value(), std::int64_t{1'020'000});
        QCOMPARE(f.store->messages().find(m.id).value()->expiresAtMs, std::int64_t{1'020'000});
        // Shown after the expiry (before a sweep ran): the deadline is the expiry itself.
        auto late = test::message(2, f.conversation.id, 1'000'000, "later", 20);
        late.ephemerality = {20, true, 15};
        QVERIFY(f.store->messages().insert(late));
        QCOMPARE(f.store->messages().markShown(late.id, 1'500'000).value().value(),
                 std::int64_t{1'020'000});
        QCOMPARE(f.store->expiry().deleteExpired(1'020'000).value().size(), std::size_t{2});
    }

    void burnDeletedOnReopen() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.store->conversations().save(f.conversation));
        auto m = test::message(1, f.conversation.id, 1'000'000, "burn", 3600);
        m.ephemerality = {3600, true, 5};
        QVERIFY(f.addWithFile(m));
        QVERIFY(f.store->messages().markShown(m.id, 1'000'100));
        f.store.reset();
        f.clock->store(1'005'100);
        QVERIFY(f.open());
        QVERIFY(!f.store->messages().find(m.id).value());
        QCOMPARE(f.filesOnDisk(), 0);
    }

    void timerDeletes() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.store->conversations().save(f.conversation));
        const auto m = test::message(1, f.conversation.id, 1'000'000, "tick", 1);
        QVERIFY(f.addWithFile(m));
        QSignalSpy removed(&f.store->expiry(), &ExpiryRun::messagesRemoved);
        f.store->expiry().startTimer(std::chrono::milliseconds(10));
        QVERIFY(f.store->expiry().timerActive());
        QTest::qWait(50);
        QVERIFY(f.store->messages().find(m.id).value()); // the clock has not moved
        f.clock->store(1'001'000);
        QTRY_VERIFY(!f.store->messages().find(m.id).value());
        QCOMPARE(removed.count(), 1);
        QCOMPARE(f.filesOnDisk(), 0);
        f.store->expiry().stopTimer();
        QVERIFY(!f.store->expiry().timerActive());
    }

    void expiredOutboxDropped() {
        Fixture f;
        QVERIFY(f.open());
        OutboxItem item;
        item.payload = crypto::Bytes(10, 1);
        item.createdAtMs = 1'000'000;
        item.expiresAtMs = 1'000'500;
        QVERIFY(f.store->outbox().enqueue(item));
        item.expiresAtMs = 9'000'000;
        QVERIFY(f.store->outbox().enqueue(item));
        QVERIFY(f.store->expiry().deleteExpired(1'000'500));
        auto left = f.store->outbox().peek().value();
        QCOMPARE(left.size(), std::size_t{1});
        QCOMPARE(left[0].expiresAtMs, std::int64_t{9'000'000});
    }

    void orphanFilesSweptOnOpen() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.store->conversations().save(f.conversation));
        const auto m = test::message(1, f.conversation.id, 1'000'000, "kept", 3600);
        QVERIFY(f.addWithFile(m));
        f.store.reset();
        const QString stray =
            QDir(f.dir.path())
                .filePath(QStringLiteral("attachments/0123456789abcdef0123456789abcdef"));
        QFile file(stray);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("left over by a crash");
        file.close();
        QFile part(stray + QStringLiteral(".part"));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.close();
        QCOMPARE(f.filesOnDisk(), 3);
        QVERIFY(f.open());
        QCOMPARE(f.filesOnDisk(), 1);
        std::ostringstream out;
        QVERIFY(f.store->attachments().read(f.store->attachments().ofMessage(m.id).value().at(0).id,
                                            out));
        QCOMPARE(out.str(), std::string("attachment of a message"));
    }
};

QTEST_GUILESS_MAIN(TestStoreExpiry)
#include "tst_store_expiry.moc"
