// SPDX-License-Identifier: Apache-2.0
// DESIGN.md section 3: "Receivers reject replays (seen message id or non-increasing sequence
// per sender node within the retention window)."
#include "crypto/ReplayGuard.h"

namespace cinder::crypto {

std::string_view describe(ReplayError error) {
    switch (error) {
    case ReplayError::DuplicateMessageId:
        return "message was already received";
    case ReplayError::StaleSequence:
        return "message is older than one already received from the same device";
    }
    return "unknown error";
}

bool ReplayGuard::check(const NodeId& sender, const MessageId& messageId, std::uint64_t sequence,
                        ReplayError* why) const {
    if (m_seen.contains(messageId)) {
        if (why != nullptr) {
            *why = ReplayError::DuplicateMessageId;
        }
        return false;
    }
    const auto it = m_highest.find(sender);
    if (it != m_highest.end() && sequence <= it->second) {
        if (why != nullptr) {
            *why = ReplayError::StaleSequence;
        }
        return false;
    }
    return true;
}

void ReplayGuard::record(const NodeId& sender, const MessageId& messageId, std::uint64_t sequence,
                         std::int64_t sentAtMs) {
    m_seen.insert_or_assign(messageId, sentAtMs);
    auto& highest = m_highest[sender];
    if (sequence > highest) {
        highest = sequence;
    }
}

void ReplayGuard::pruneBefore(std::int64_t cutoffMs) {
    std::erase_if(m_seen, [cutoffMs](const auto& entry) { return entry.second < cutoffMs; });
}

void ReplayGuard::restore(std::map<NodeId, std::uint64_t> highest,
                          std::map<MessageId, std::int64_t> seen) {
    m_highest = std::move(highest);
    m_seen = std::move(seen);
}

} // namespace cinder::crypto
