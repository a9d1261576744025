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
std::optional<ReplayError> why(const ReplayGuard& guard, const NodeId& sender, const MessageId& id,
                               std::uint64_t sequence) {
    ReplayError error{};
    return guard.check(sender, id, sequence, &error) ? std::nullopt : std::optional(error);
}
} // namespace

class TestReplayGuard : public QObject {
    Q_OBJECT
private slots:
    void duplicatesRefused() {
        ReplayGuard guard;
        QVERIFY(guard.check(node(1), messageId(1), 1));
        guard.record(node(1), messageId(1), 1, 1000);
        QCOMPARE(why(guard, node(1), messageId(1), 2),
                 std::optional(ReplayError::DuplicateMessageId));
        QCOMPARE(why(guard, node(1), messageId(2), 1), std::optional(ReplayError::ReusedSequence));
        QVERIFY(guard.check(node(1), messageId(2), 2));
    }

    void idsAreKeyedPerSender() {
        // Mallory cannot pre-empt Alice's message by sending its id first.
        ReplayGuard guard;
        guard.record(node(7), messageId(42), 1, 1000);
        QVERIFY(guard.check(node(1), messageId(42), 1));
    }

    void reorderingWithinTheWindowAccepted() {
        ReplayGuard guard;
        guard.record(node(1), messageId(1), 100, 1000);
        QVERIFY(guard.check(node(1), messageId(2), 99));
        guard.record(node(1), messageId(2), 99, 1000);
        QCOMPARE(why(guard, node(1), messageId(3), 99), std::optional(ReplayError::ReusedSequence));
    }

    void farBehindTheWindowRefused() {
        ReplayGuard guard;
        const std::uint64_t highest = 5000;
        guard.record(node(1), messageId(1), highest, 1000);
        QCOMPARE(why(guard, node(1), messageId(2), highest - ReplayGuard::kSequenceWindow),
                 std::optional(ReplayError::StaleSequence));
        QVERIFY(guard.check(node(1), messageId(2), highest - ReplayGuard::kSequenceWindow + 1));
    }

    void windowStaysBounded() {
        ReplayGuard guard;
        for (std::uint64_t s = 1; s <= 5000; ++s) {
            guard.record(node(1), messageId(static_cast<std::uint8_t>(s)), s, 1000);
        }
        QVERIFY(guard.senders().at(node(1)).recent.size() <= ReplayGuard::kSequenceWindow);
    }

    void pruningKeepsTheSequenceRule() {
        ReplayGuard guard;
        guard.record(node(1), messageId(1), 1, 1000);
        guard.record(node(1), messageId(2), 2, 5000);
        guard.pruneBefore(2000);
        QCOMPARE(guard.seenMessages().size(), std::size_t{1});
        // The pruned id is still refused through its sequence number.
        QCOMPARE(why(guard, node(1), messageId(1), 1), std::optional(ReplayError::ReusedSequence));
    }

    void stateRoundTripsForPersistence() {
        ReplayGuard guard;
        guard.record(node(1), messageId(1), 3, 1000);
        ReplayGuard restored;
        restored.restore(guard.senders(), guard.seenMessages());
        QCOMPARE(why(restored, node(1), messageId(1), 4),
                 std::optional(ReplayError::DuplicateMessageId));
        QCOMPARE(why(restored, node(1), messageId(9), 3),
                 std::optional(ReplayError::ReusedSequence));
    }
};

QTEST_APPLESS_MAIN(TestReplayGuard)
#include "tst_replay_guard.moc"
