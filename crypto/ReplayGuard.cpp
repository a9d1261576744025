// SPDX-License-Identifier: Apache-2.0
// docs/PROTOCOL.md §8.5: receivers reject replays (seen message id or non-increasing sequence
// per sender node within the retention window). Cinder refines "non-increasing" to a sliding
// window (as SRTP and IPsec do) so reordering within the window is not mistaken for a replay.
#include "crypto/ReplayGuard.h"

namespace cinder::crypto {

std::string_view describe(ReplayError error) {
    switch (error) {
    case ReplayError::DuplicateMessageId:
        return "message was already received";
    case ReplayError::ReusedSequence:
        return "sequence number was already used by this device";
    case ReplayError::StaleSequence:
        return "message is far older than the newest one received from the same device";
    }
    return "unknown error";
}

bool ReplayGuard::check(const NodeId& sender, const MessageId& messageId, std::uint64_t sequence,
                        ReplayError* why) const {
    auto refuse = [why](ReplayError error) {
        if (why != nullptr) {
            *why = error;
        }
        return false;
    };
    if (m_seen.contains(MessageKey{sender, messageId})) {
        return refuse(ReplayError::DuplicateMessageId);
    }
    const auto it = m_senders.find(sender);
    if (it == m_senders.end()) {
        return true;
    }
    const SenderState& state = it->second;
    if (state.highest >= kSequenceWindow && sequence <= state.highest - kSequenceWindow) {
        return refuse(ReplayError::StaleSequence);
    }
    if (state.recent.contains(sequence)) {
        return refuse(ReplayError::ReusedSequence);
    }
    return true;
}

void ReplayGuard::record(const NodeId& sender, const MessageId& messageId, std::uint64_t sequence,
                         std::int64_t sentAtMs) {
    m_seen.insert_or_assign(MessageKey{sender, messageId}, sentAtMs);
    SenderState& state = m_senders[sender];
    state.recent.insert(sequence);
    if (sequence > state.highest) {
        state.highest = sequence;
    }
    if (state.highest >= kSequenceWindow) {
        const std::uint64_t floor = state.highest - kSequenceWindow;
        state.recent.erase(state.recent.begin(), state.recent.upper_bound(floor));
    }
}

void ReplayGuard::pruneBefore(std::int64_t cutoffMs) {
    std::erase_if(m_seen, [cutoffMs](const auto& entry) { return entry.second < cutoffMs; });
}

void ReplayGuard::restore(std::map<NodeId, SenderState> senders,
                          std::map<MessageKey, std::int64_t> seen) {
    m_senders = std::move(senders);
    m_seen = std::move(seen);
}

} // namespace cinder::crypto
