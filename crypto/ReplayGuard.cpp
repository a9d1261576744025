// SPDX-License-Identifier: Apache-2.0
// docs/PROTOCOL.md §8.5: receivers reject replays (seen message id or non-increasing sequence
// per sender node within the retention window). Cinder refines "non-increasing" to a sliding
// window (as SRTP and IPsec do) so reordering within the window is not mistaken for a replay,
// and bounds the window in time: a packet older than kMaxDeliveryAgeMs (or dated more than
// kMaxClockSkewMs ahead) is refused, so a seen id may be forgotten once it is that old.
#include "crypto/ReplayGuard.h"

#include "crypto/MessageMetadata.h"

#include <algorithm>
#include <chrono>

namespace cinder::crypto {

// Every unexpired message is younger than the delivery bound, so refusing older ones loses none.
static_assert(kMaxDeliveryAgeMs >= std::int64_t{kMaxTtlSeconds} * 1000);

namespace {
constexpr std::int64_t kMsPerDay = 24LL * 3600 * 1000;

std::int64_t systemNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

std::string_view describe(ReplayError error) {
    switch (error) {
    case ReplayError::DuplicateMessageId:
        return "message was already received";
    case ReplayError::ReusedSequence:
        return "sequence number was already used by this device";
    case ReplayError::StaleSequence:
        return "message is far older than the newest one received from the same device";
    case ReplayError::TooOld:
        return "message was sent longer ago than any server keeps it";
    case ReplayError::FromTheFuture:
        return "message is dated in the future";
    }
    return "unknown error";
}

ReplayGuard::ReplayGuard(Clock clock) : m_clock(clock ? std::move(clock) : Clock(systemNowMs)) {}

bool ReplayGuard::check(const NodeId& sender, const MessageId& messageId, std::uint64_t sequence,
                        std::int64_t sentAtMs, ReplayError* why) const {
    auto refuse = [why](ReplayError error) {
        if (why != nullptr) {
            *why = error;
        }
        return false;
    };
    const std::int64_t now = m_clock();
    if (sentAtMs < now - kMaxDeliveryAgeMs) {
        return refuse(ReplayError::TooOld);
    }
    if (sentAtMs > now + kMaxClockSkewMs) {
        return refuse(ReplayError::FromTheFuture);
    }
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
    m_unsaved.push_back({MessageKey{sender, messageId}, sentAtMs});
    m_unsavedSenders.insert(sender);
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
    std::erase_if(m_unsaved,
                  [cutoffMs](const Accepted& entry) { return entry.sentAtMs < cutoffMs; });
    m_prunedBefore = std::max(m_prunedBefore, cutoffMs);
}

void ReplayGuard::pruneExpired() {
    const std::int64_t bound = m_clock() - kMaxDeliveryAgeMs;
    const std::int64_t cutoff = bound - ((bound % kMsPerDay) + kMsPerDay) % kMsPerDay;
    if (cutoff > m_prunedBefore) {
        pruneBefore(cutoff);
    }
}

void ReplayGuard::restore(std::map<NodeId, SenderState> senders,
                          std::map<MessageKey, std::int64_t> seen) {
    m_senders = std::move(senders);
    m_seen = std::move(seen);
    m_unsaved.clear();
    m_unsavedSenders.clear();
}

void ReplayGuard::markSaved() {
    m_unsaved.clear();
    m_unsavedSenders.clear();
}

} // namespace cinder::crypto
