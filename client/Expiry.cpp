// SPDX-License-Identifier: Apache-2.0
// Timers: conversation and default timers, messages that arrive expired, the expiry timer.
#include "client/Expiry.h"

#include "client/SessionContext.h"
#include "client/SessionInternal.h"

#include <chrono>

namespace cinder::client {

using crypto::fail;
using detail::orFail;

namespace {
const std::string_view kDefaultTimersSetting = "default-timers";
const std::string_view kPolicySetting = "ephemerality-policy-acknowledged";
} // namespace

Expiry::Expiry(storage::ExpiryRun& run, storage::SettingsTable& settings,
               storage::ConversationTable& conversations, const SessionContext& context)
    : m_run(run), m_settings(settings), m_conversations(conversations), m_context(context) {}

void Expiry::start() {
    // What a conversation shows may change with its messages gone (its newest message, its
    // unread count): each conversation that lost one is announced, and no other.
    connect(&m_run, &storage::ExpiryRun::messagesRemoved, this,
            [this](const std::vector<crypto::MessageId>& ids,
                   const std::vector<crypto::ConversationId>& conversations) {
                Q_EMIT messagesRemoved(ids);
                for (const crypto::ConversationId& conversation : conversations) {
                    Q_EMIT conversationChanged(conversation);
                }
            });
    m_run.startTimer(std::chrono::seconds(1));
}

bool Expiry::policyAcknowledged() {
    if (m_context.signedOut) {
        return false;
    }
    auto acknowledged = m_settings.get(kPolicySetting);
    return acknowledged && *acknowledged;
}

SessionResult<void> Expiry::acknowledgePolicy() {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    const std::uint8_t yes = 1;
    CINDER_TRY(m_settings.set(kPolicySetting, crypto::ByteView(&yes, 1)));
    return {};
}

SessionResult<void> Expiry::requirePolicy() {
    if (!policyAcknowledged()) {
        return fail(SessionError::PolicyNotAcknowledged);
    }
    return {};
}

crypto::Ephemerality Expiry::defaultTimers() {
    crypto::Ephemerality timers{m_context.options.defaultTtlSeconds, false, 0};
    if (m_context.signedOut) {
        return timers;
    }
    if (auto stored = m_settings.get(kDefaultTimersSetting);
        stored && *stored && (*stored)->size() == 9) {
        const crypto::Bytes& b = **stored;
        const auto u32 = [&](std::size_t at) {
            return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
                   (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
        };
        const crypto::Ephemerality saved{u32(0), b[4] != 0, u32(5)};
        if (crypto::validateEphemerality(saved)) {
            timers = saved;
        }
    }
    return timers;
}

SessionResult<void> Expiry::setDefaultTimers(const crypto::Ephemerality& timers) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(crypto::validateEphemerality(timers)); // docs/PROTOCOL.md section 8.4
    crypto::Bytes b(9);
    const auto put = [&](std::size_t at, std::uint32_t v) {
        b[at] = static_cast<std::uint8_t>(v >> 24);
        b[at + 1] = static_cast<std::uint8_t>(v >> 16);
        b[at + 2] = static_cast<std::uint8_t>(v >> 8);
        b[at + 3] = static_cast<std::uint8_t>(v);
    };
    put(0, timers.ttlSeconds);
    b[4] = timers.burnOnRead ? 1 : 0;
    put(5, timers.burnSeconds);
    CINDER_TRY(m_settings.set(kDefaultTimersSetting, b));
    return {};
}

SessionResult<void> Expiry::setConversationTimers(const crypto::ConversationId& id,
                                                  const crypto::Ephemerality& timers) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(crypto::validateEphemerality(timers)); // docs/PROTOCOL.md section 8.4
    CINDER_TRY_ASSIGN(auto conversation, m_conversations.find(id));
    CINDER_TRY_ASSIGN(auto updated,
                      orFail(std::move(conversation), SessionError::UnknownConversation));
    updated.defaults = timers;
    CINDER_TRY(m_conversations.save(updated));
    Q_EMIT conversationChanged(id);
    return {};
}

crypto::Ephemerality Expiry::timersToSend(crypto::Ephemerality defaults) const {
    if (defaults.ttlSeconds == 0) {
        defaults.ttlSeconds = m_context.options.defaultTtlSeconds;
    }
    return defaults;
}

std::int64_t Expiry::sentAt(const crypto::MessageMetadata& meta, std::int64_t receivedAtMs) {
    return std::min(meta.sentAtMs, receivedAtMs);
}

bool Expiry::expiredOnArrival(const crypto::MessageMetadata& meta, std::int64_t receivedAtMs) {
    return sentAt(meta, receivedAtMs) + std::int64_t{meta.ephemerality.ttlSeconds} * 1000 <=
           receivedAtMs;
}

} // namespace cinder::client
