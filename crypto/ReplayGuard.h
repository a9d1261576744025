// SPDX-License-Identifier: Apache-2.0
#pragma once

// Refuses a message seen before: a message id already accepted, or a sequence number not
// greater than the last one accepted from the same sender node. Keyed on the message id (not
// on signature bytes, which an attacker could re-randomise). The client store persists the
// state through entries()/restore(); old ids are pruned after the retention window, which is
// safe because the sequence rule still refuses them.

#include "crypto/Identifiers.h"

#include <cstdint>
#include <map>
#include <string_view>

namespace cinder::crypto {

enum class ReplayError {
    DuplicateMessageId,
    StaleSequence,
};

[[nodiscard]] std::string_view describe(ReplayError error);

class ReplayGuard {
public:
    [[nodiscard]] bool check(const NodeId& sender, const MessageId& messageId,
                             std::uint64_t sequence, ReplayError* why = nullptr) const;
    void record(const NodeId& sender, const MessageId& messageId, std::uint64_t sequence,
                std::int64_t sentAtMs);
    // Forgets message ids sent before cutoffMs; per-node sequence floors are kept.
    void pruneBefore(std::int64_t cutoffMs);

    [[nodiscard]] const std::map<NodeId, std::uint64_t>& highestSequences() const {
        return m_highest;
    }
    [[nodiscard]] const std::map<MessageId, std::int64_t>& seenMessages() const { return m_seen; }
    void restore(std::map<NodeId, std::uint64_t> highest, std::map<MessageId, std::int64_t> seen);

private:
    std::map<NodeId, std::uint64_t> m_highest;
    std::map<MessageId, std::int64_t> m_seen; // id -> sent time, for pruning
};

} // namespace cinder::crypto
