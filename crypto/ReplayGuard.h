// SPDX-License-Identifier: Apache-2.0
#pragma once

// Refuses a message seen before (docs/PROTOCOL.md section 8.5). Per sender node it keeps the
// message ids it accepted and a window of recent sequence numbers: a message id already accepted
// from that node, a sequence number already used, or one more than kSequenceWindow below the
// highest accepted is refused. Delivery out of order within the window is accepted, so a relay
// that reorders (or a second server instance) cannot make a client drop genuine messages. Ids
// are keyed on (sender node, message id), so one sender cannot pre-empt another's message id,
// and never on signature bytes, which a sender could re-randomise.
//
// A message sent more than kMaxDeliveryAgeMs ago, or dated more than kMaxClockSkewMs ahead of
// this device's clock, is refused too: no server keeps a packet that long, so its id is pruned
// safely once it is that old, and no id can escape pruning by a date in the future.
//
// The client store persists the state incrementally: what record() added since the last
// markSaved() is all it writes (storage/ReplayTable.h).

#include "crypto/Constants.h"
#include "crypto/Identifiers.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace cinder::crypto {

enum class ReplayError {
    DuplicateMessageId, // this sender's message id was accepted before
    ReusedSequence,     // this sender's sequence number was accepted before
    StaleSequence,      // more than kSequenceWindow below the highest accepted
    TooOld,             // sent more than kMaxDeliveryAgeMs ago
    FromTheFuture,      // dated more than kMaxClockSkewMs ahead of this device's clock
};

[[nodiscard]] std::string_view describe(ReplayError error);

class ReplayGuard {
public:
    static constexpr std::uint64_t kSequenceWindow = 1024;
    using Clock = std::function<std::int64_t()>; // ms since the epoch

    struct SenderState {
        std::uint64_t highest = 0;
        std::set<std::uint64_t> recent; // accepted sequences within the window
    };
    using MessageKey = std::pair<NodeId, MessageId>;
    struct Accepted {
        MessageKey key;
        std::int64_t sentAtMs = 0;
    };

    // clock: this device's time; the system clock when empty.
    explicit ReplayGuard(Clock clock = {});

    [[nodiscard]] bool check(const NodeId& sender, const MessageId& messageId,
                             std::uint64_t sequence, std::int64_t sentAtMs,
                             ReplayError* why = nullptr) const;
    void record(const NodeId& sender, const MessageId& messageId, std::uint64_t sequence,
                std::int64_t sentAtMs);
    // Forgets message ids sent before cutoffMs; sequence windows are kept.
    void pruneBefore(std::int64_t cutoffMs);
    // Forgets the ids check() refuses as TooOld anyway. The cutoff moves in whole days, so the
    // pass over every id runs at most once a day.
    void pruneExpired();
    // Ids sent before this were forgotten (0 when none were).
    [[nodiscard]] std::int64_t prunedBefore() const { return m_prunedBefore; }

    [[nodiscard]] const std::map<NodeId, SenderState>& senders() const { return m_senders; }
    [[nodiscard]] const std::map<MessageKey, std::int64_t>& seenMessages() const { return m_seen; }
    void restore(std::map<NodeId, SenderState> senders, std::map<MessageKey, std::int64_t> seen);

    // What record() added since the last markSaved(): the ids, and the senders whose window
    // changed. The store writes these and nothing else.
    [[nodiscard]] const std::vector<Accepted>& unsaved() const { return m_unsaved; }
    [[nodiscard]] const std::set<NodeId>& unsavedSenders() const { return m_unsavedSenders; }
    [[nodiscard]] bool hasUnsaved() const { return !m_unsaved.empty(); }
    void markSaved();

    [[nodiscard]] std::int64_t now() const { return m_clock(); }

private:
    Clock m_clock;
    std::map<NodeId, SenderState> m_senders;
    std::map<MessageKey, std::int64_t> m_seen; // -> sent time, for pruning
    std::int64_t m_prunedBefore = 0;
    std::vector<Accepted> m_unsaved;
    std::set<NodeId> m_unsavedSenders;
};

} // namespace cinder::crypto
