// SPDX-License-Identifier: Apache-2.0
// The replay rules of docs/PROTOCOL.md section 8.5.

#include "crypto/ReplayGuard.h"

#include <QTest>

using namespace cinder::crypto;

namespace {
MessageId messageId(std::uint8_t n) {
    MessageId id{};
    id[0] = n;
    id[1] = static_cast<std::uint8_t>(n >> 8);
    return id;
}
NodeId node(std::uint8_t n) {
    NodeId id{};
    id[0] = n;
    return id;
}
// This device's clock in these tests, and the sent time of the packets checked.
constexpr std::int64_t kNowMs = 1'800'000'000'000;
ReplayGuard::Clock pinnedAt(std::int64_t nowMs) {
    return [nowMs] { return nowMs; };
}
std::optional<ReplayError> why(const ReplayGuard& guard, const NodeId& sender, const MessageId& id,
                               std::uint64_t sequence, std::int64_t sentAtMs = kNowMs) {
    ReplayError error{};
    return guard.check(sender, id, sequence, sentAtMs, &error) ? std::nullopt
                                                               : std::optional(error);
}
} // namespace

class TestReplayGuard : public QObject {
    Q_OBJECT
private slots:
    void duplicatesRefused() {
        ReplayGuard guard(pinnedAt(kNowMs));
        QVERIFY(guard.check(node(1), messageId(1), 1, kNowMs));
        guard.record(node(1), messageId(1), 1, 1000);
        QCOMPARE(why(guard, node(1), messageId(1), 2),
                 std::optional(ReplayError::DuplicateMessageId));
        QCOMPARE(why(guard, node(1), messageId(2), 1), std::optional(ReplayError::ReusedSequence));
        QVERIFY(guard.check(node(1), messageId(2), 2, kNowMs));
    }

    void idsAreKeyedPerSender() {
        // Mallory cannot pre-empt Alice's message by sending its id first.
        ReplayGuard guard(pinnedAt(kNowMs));
        guard.record(node(7), messageId(42), 1, 1000);
        QVERIFY(guard.check(node(1), messageId(42), 1, kNowMs));
    }

    void reorderingWithinTheWindowAccepted() {
        ReplayGuard guard(pinnedAt(kNowMs));
        guard.record(node(1), messageId(1), 100, 1000);
        QVERIFY(guard.check(node(1), messageId(2), 99, kNowMs));
        guard.record(node(1), messageId(2), 99, 1000);
        QCOMPARE(why(guard, node(1), messageId(3), 99), std::optional(ReplayError::ReusedSequence));
    }

    void farBehindTheWindowRefused() {
        ReplayGuard guard(pinnedAt(kNowMs));
        const std::uint64_t highest = 5000;
        guard.record(node(1), messageId(1), highest, 1000);
        QCOMPARE(why(guard, node(1), messageId(2), highest - ReplayGuard::kSequenceWindow),
                 std::optional(ReplayError::StaleSequence));
        QVERIFY(
            guard.check(node(1), messageId(2), highest - ReplayGuard::kSequenceWindow + 1, kNowMs));
    }

    void windowStaysBounded() {
        ReplayGuard guard(pinnedAt(kNowMs));
        for (std::uint64_t s = 1; s <= 5000; ++s) {
            guard.record(node(1), messageId(static_cast<std::uint8_t>(s)), s, 1000);
        }
        QVERIFY(guard.senders().at(node(1)).recent.size() <= ReplayGuard::kSequenceWindow);
    }

    void pruningKeepsTheSequenceRule() {
        ReplayGuard guard(pinnedAt(kNowMs));
        guard.record(node(1), messageId(1), 1, 1000);
        guard.record(node(1), messageId(2), 2, 5000);
        guard.pruneBefore(2000);
        QCOMPARE(guard.seenMessages().size(), std::size_t{1});
        // The pruned id is still refused through its sequence number.
        QCOMPARE(why(guard, node(1), messageId(1), 1), std::optional(ReplayError::ReusedSequence));
    }

    void deliveryBoundsRefused() {
        ReplayGuard guard(pinnedAt(kNowMs));
        const std::int64_t oldest = kNowMs - kMaxDeliveryAgeMs;
        QVERIFY(guard.check(node(1), messageId(1), 1, oldest));
        QCOMPARE(why(guard, node(1), messageId(1), 1, oldest - 1),
                 std::optional(ReplayError::TooOld));
        QVERIFY(guard.check(node(1), messageId(1), 1, kNowMs + kMaxClockSkewMs));
        QCOMPARE(why(guard, node(1), messageId(1), 1, kNowMs + kMaxClockSkewMs + 1),
                 std::optional(ReplayError::FromTheFuture));
    }

    void expiredIdsPrunedAndTheirReplaysStillRefused() {
        std::int64_t now = kNowMs;
        ReplayGuard guard([&now] { return now; });
        guard.record(node(1), messageId(1), 1, kNowMs);
        guard.record(node(2), messageId(2), 1, kNowMs + 3 * 24 * 3600 * 1000LL);
        now = kNowMs + kMaxDeliveryAgeMs + 2 * 24 * 3600 * 1000LL;
        guard.pruneExpired();
        QCOMPARE(guard.seenMessages().size(), std::size_t{1});
        QVERIFY(!guard.seenMessages().contains({node(1), messageId(1)}));
        QVERIFY(guard.prunedBefore() > kNowMs);
        // Another device's sequence window does not cover it: its age does.
        QCOMPARE(why(guard, node(3), messageId(1), 1, kNowMs), std::optional(ReplayError::TooOld));
    }

    void unsavedHoldsOnlyWhatWasRecordedSinceTheLastSave() {
        ReplayGuard guard(pinnedAt(kNowMs));
        guard.record(node(1), messageId(1), 1, kNowMs);
        guard.record(node(2), messageId(2), 1, kNowMs);
        QCOMPARE(guard.unsaved().size(), std::size_t{2});
        QCOMPARE(guard.unsavedSenders().size(), std::size_t{2});
        guard.markSaved();
        QVERIFY(!guard.hasUnsaved());
        guard.record(node(1), messageId(3), 2, kNowMs);
        QCOMPARE(guard.unsaved().size(), std::size_t{1});
        QVERIFY(guard.unsaved().front().key == (ReplayGuard::MessageKey{node(1), messageId(3)}));
        QCOMPARE(guard.unsavedSenders(), std::set<NodeId>{node(1)});
    }

    void stateRoundTripsForPersistence() {
        ReplayGuard guard(pinnedAt(kNowMs));
        guard.record(node(1), messageId(1), 3, 1000);
        ReplayGuard restored(pinnedAt(kNowMs));
        restored.restore(guard.senders(), guard.seenMessages());
        QCOMPARE(why(restored, node(1), messageId(1), 4),
                 std::optional(ReplayError::DuplicateMessageId));
        QCOMPARE(why(restored, node(1), messageId(9), 3),
                 std::optional(ReplayError::ReusedSequence));
    }
};

QTEST_APPLESS_MAIN(TestReplayGuard)
#include "tst_replay_guard.moc"
