// SPDX-License-Identifier: Apache-2.0
// ReplayTable: the replay state (docs/PROTOCOL.md section 8.5) and the handled deliveries.

#include "StorageTestSupport.h"
#include "storage/Database.h"
#include "storage/Store.h"

#include <QTemporaryDir>

#include <cstring>
#include <memory>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
// A time well past the epoch, so that now - kMaxDeliveryAgeMs is a real date.
constexpr std::int64_t kNowMs = 1'800'000'000'000;

crypto::NodeId node(std::uint8_t n) {
    return idOf<crypto::NodeId>(n);
}

crypto::MessageId messageId(std::uint32_t n) {
    crypto::MessageId id{};
    std::memcpy(id.data(), &n, sizeof(n));
    return id;
}

// A store and a guard on one clock that the test moves.
struct Clocked {
    std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(kNowMs);
    Store::Clock clock() const {
        return [now = now] { return *now; };
    }
};

} // namespace

class TestReplayTable : public QObject {
    Q_OBJECT
private slots:
    void replayGuardPersists() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        crypto::ReplayGuard guard([] { return std::int64_t{2000}; }); // the store's clock
        guard.record(idOf<crypto::NodeId>(1), idOf<crypto::MessageId>(1), 1, 1000);
        guard.record(idOf<crypto::NodeId>(1), idOf<crypto::MessageId>(2), 5, 1001);
        guard.record(idOf<crypto::NodeId>(2), idOf<crypto::MessageId>(1), 3000, 1002);
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(store->replay().save(guard));
            QVERIFY(store->replay().save(guard)); // replaces, no duplicates
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        auto loaded = store->replay().load();
        QVERIFY(loaded);
        QCOMPARE(loaded->senders().size(), std::size_t{2});
        QCOMPARE(loaded->seenMessages().size(), std::size_t{3});
        QCOMPARE(loaded->senders().at(idOf<crypto::NodeId>(1)).highest, std::uint64_t{5});
        QVERIFY(loaded->senders().at(idOf<crypto::NodeId>(1)).recent ==
                guard.senders().at(idOf<crypto::NodeId>(1)).recent);
        QVERIFY(!loaded->check(idOf<crypto::NodeId>(1), idOf<crypto::MessageId>(2), 6, 1500));
        QVERIFY(!loaded->check(idOf<crypto::NodeId>(2), idOf<crypto::MessageId>(9), 3000, 1500));
        QVERIFY(loaded->check(idOf<crypto::NodeId>(2), idOf<crypto::MessageId>(9), 3001, 1500));
    }

    void aSaveWritesTheRowsOfItsBatchOnly() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        Clocked time;
        auto opened = Store::open(dir.path(), key, time.clock());
        QVERIFY(opened);
        auto& store = **opened;
        crypto::ReplayGuard guard = store.replay().load().value();
        for (std::uint32_t i = 1; i <= 1000; ++i) {
            guard.record(node(static_cast<std::uint8_t>(i % 10)), messageId(i), i, kNowMs);
        }
        QVERIFY(store.replay().save(guard));
        QCOMPARE(store.replay().seenCount().value(), std::int64_t{1000});
        QVERIFY(!guard.hasUnsaved());

        // A second connection counts every row written to the replay tables from now on.
        auto observer = detail::Database::open(store.databasePath(), key);
        QVERIFY(observer);
        QVERIFY(
            (*observer)->exec("CREATE TABLE replay_writes (tbl TEXT NOT NULL);"
                              "CREATE TRIGGER seen_written AFTER INSERT ON replay_seen BEGIN "
                              "INSERT INTO replay_writes VALUES ('seen'); END;"
                              "CREATE TRIGGER senders_written AFTER INSERT ON replay_senders BEGIN "
                              "INSERT INTO replay_writes VALUES ('senders'); END;"));
        const auto writes = [&](const char* table) {
            auto count = (*observer)->prepare("SELECT count(*) FROM replay_writes WHERE tbl = ?;");
            if (!count || !count->bindText(1, table).step().value()) {
                return std::int64_t{-1};
            }
            return count->integer(0);
        };

        // The next batch: two messages from two senders. Its save writes their two id rows and
        // those two senders' windows, not the thousand ids and ten senders before them.
        guard.record(node(1), messageId(5001), 5001, kNowMs);
        guard.record(node(2), messageId(5002), 5002, kNowMs);
        QCOMPARE(guard.unsaved().size(), std::size_t{2});
        QVERIFY(store.replay().save(guard));
        QCOMPARE(writes("seen"), std::int64_t{2});
        QCOMPARE(writes("senders"), std::int64_t{2});
        QCOMPARE(store.replay().seenCount().value(), std::int64_t{1002});
        QVERIFY(!guard.hasUnsaved());
        // A save with nothing new writes nothing.
        QVERIFY(store.replay().save(guard));
        QCOMPARE(writes("seen"), std::int64_t{2});
        QCOMPARE(writes("senders"), std::int64_t{2});
    }

    void idsPastTheDeliveryBoundArePrunedAndTheirReplaysStillRefused() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        Clocked time;
        {
            auto store = Store::open(dir.path(), key, time.clock()).value();
            crypto::ReplayGuard guard = store->replay().load().value();
            guard.record(node(1), messageId(1), 1, kNowMs);               // will be too old
            guard.record(node(2), messageId(2), 1, kNowMs + 10 * kDayMs); // still young
            QVERIFY(store->replay().save(guard));

            // A year and more later, in the same session: the next save forgets the old id.
            *time.now = kNowMs + crypto::kMaxDeliveryAgeMs + 2 * kDayMs;
            guard.record(node(3), messageId(3), 1, *time.now);
            QVERIFY(store->replay().save(guard));
            QCOMPARE(store->replay().seenCount().value(), std::int64_t{2});
            QVERIFY(!guard.seenMessages().contains({node(1), messageId(1)}));
            crypto::ReplayError why{};
            QVERIFY(!guard.check(node(1), messageId(1), 1, kNowMs, &why));
            QCOMPARE(why, crypto::ReplayError::TooOld);
        }
        // And after a restart.
        auto store = Store::open(dir.path(), key, time.clock()).value();
        auto loaded = store->replay().load().value();
        QCOMPARE(loaded.seenMessages().size(), std::size_t{2});
        crypto::ReplayError why{};
        QVERIFY(!loaded.check(node(1), messageId(1), 1, kNowMs, &why));
        QCOMPARE(why, crypto::ReplayError::TooOld);
        QVERIFY(!loaded.check(node(2), messageId(2), 7, kNowMs + 10 * kDayMs, &why));
        QCOMPARE(why, crypto::ReplayError::DuplicateMessageId);
    }

    void prunedAtOpenToo() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        Clocked time;
        {
            auto store = Store::open(dir.path(), key, time.clock()).value();
            crypto::ReplayGuard guard = store->replay().load().value();
            guard.record(node(1), messageId(1), 1, kNowMs);
            QVERIFY(store->replay().save(guard));
        }
        *time.now = kNowMs + crypto::kMaxDeliveryAgeMs + 2 * kDayMs;
        auto store = Store::open(dir.path(), key, time.clock()).value();
        auto loaded = store->replay().load().value();
        QVERIFY(loaded.seenMessages().empty());
        QCOMPARE(store->replay().seenCount().value(), std::int64_t{0});
        QVERIFY(!loaded.check(node(1), messageId(1), 2, kNowMs));
    }

    void replaysRefusedAfterARestart() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        Clocked time;
        {
            auto store = Store::open(dir.path(), key, time.clock()).value();
            crypto::ReplayGuard guard = store->replay().load().value();
            guard.record(node(1), messageId(1), 7, kNowMs);
            QVERIFY(store->replay().save(guard));
            guard.record(node(1), messageId(2), 8, kNowMs); // a later batch
            QVERIFY(store->replay().save(guard));
        }
        auto store = Store::open(dir.path(), key, time.clock()).value();
        auto loaded = store->replay().load().value();
        crypto::ReplayError why{};
        QVERIFY(!loaded.check(node(1), messageId(1), 9, kNowMs, &why));
        QCOMPARE(why, crypto::ReplayError::DuplicateMessageId);
        QVERIFY(!loaded.check(node(1), messageId(2), 10, kNowMs, &why));
        QCOMPARE(why, crypto::ReplayError::DuplicateMessageId);
        QVERIFY(!loaded.check(node(1), messageId(3), 8, kNowMs, &why));
        QCOMPARE(why, crypto::ReplayError::ReusedSequence);
        QVERIFY(loaded.check(node(1), messageId(3), 9, kNowMs));
    }

    void handledDeliveriesAreForgottenAfterConfirmation() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        const crypto::Sha256Digest first = crypto::sha256(crypto::asBytes("first packet"));
        const crypto::Sha256Digest second = crypto::sha256(crypto::asBytes("second packet"));
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(!store->replay().deliveryHandled(first).value());
            QVERIFY(store->replay().recordHandledDelivery(first, 1000));
            QVERIFY(store->replay().recordHandledDelivery(first, 1500)); // changes nothing
            QVERIFY(store->replay().recordHandledDelivery(second, 1000));
        }
        // Across a restart: the acknowledgement may not have reached the server.
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        QVERIFY(store->replay().deliveryHandled(first).value());
        const std::array<crypto::Sha256Digest, 1> confirmed{first};
        QVERIFY(store->replay().settleHandledDeliveries(confirmed, 3000, 0, 0));
        QVERIFY(store->replay().deliveryHandled(first).value()); // copies may still be on their way
        QVERIFY(store->replay().settleHandledDeliveries({}, 5000, 4000, 0));
        QVERIFY(!store->replay().deliveryHandled(first).value());
        QVERIFY(store->replay().deliveryHandled(second).value()); // never confirmed
        QVERIFY(store->replay().settleHandledDeliveries({}, 5000, 4000, 1001));
        QVERIFY(!store->replay().deliveryHandled(second).value());
    }
};

QTEST_GUILESS_MAIN(TestReplayTable)
#include "tst_replay_table.moc"
