// SPDX-License-Identifier: Apache-2.0
#pragma once

// Refuses a message seen before. Per sender node it keeps the message ids it accepted and a
// window of recent sequence numbers: a message id already accepted from that node, a sequence
// number already used, or one more than kSequenceWindow below the highest accepted is
// refused. Delivery out of order within the window is accepted, so a relay that reorders
// (or a second server instance) cannot make a client drop genuine messages. Ids are keyed on
// (sender node, message id), so one sender cannot pre-empt another's message id, and never on
// signature bytes, which a sender could re-randomise. The client store persists the state;
// old ids are pruned after the retention window, which is safe because the sequence window
// still refuses them.

#include "crypto/Identifiers.h"

#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace cinder::crypto {

enum class ReplayError {
    DuplicateMessageId, // this sender's message id was accepted before
    ReusedSequence,     // this sender's sequence number was accepted before
    StaleSequence,      // more than kSequenceWindow below the highest accepted
};

[[nodiscard]] std::string_view describe(ReplayError error);

class ReplayGuard {
public:
    static constexpr std::uint64_t kSequenceWindow = 1024;

    struct SenderState {
        std::uint64_t highest = 0;
        std::set<std::uint64_t> recent; // accepted sequences within the window
    };
    using MessageKey = std::pair<NodeId, MessageId>;

    [[nodiscard]] bool check(const NodeId& sender, const MessageId& messageId,
                             std::uint64_t sequence, ReplayError* why = nullptr) const;
    void record(const NodeId& sender, const MessageId& messageId, std::uint64_t sequence,
                std::int64_t sentAtMs);
    // Forgets message ids sent before cutoffMs; sequence windows are kept.
    void pruneBefore(std::int64_t cutoffMs);

    [[nodiscard]] const std::map<NodeId, SenderState>& senders() const { return m_senders; }
    [[nodiscard]] const std::map<MessageKey, std::int64_t>& seenMessages() const { return m_seen; }
    void restore(std::map<NodeId, SenderState> senders, std::map<MessageKey, std::int64_t> seen);

private:
    std::map<NodeId, SenderState> m_senders;
    std::map<MessageKey, std::int64_t> m_seen; // -> sent time, for pruning
};

} // namespace cinder::crypto
