// SPDX-License-Identifier: Apache-2.0
#pragma once

// Timers (docs/PROTOCOL.md, ephemerality): which timers a conversation and new conversations
// start with, whether the user acknowledged that messages disappear, whether a message arrived
// already expired, and the expiry timer through which the store deletes expired and burned
// messages whether or not anything shows them.

#include "client/SessionError.h"

#include "crypto/EphemeralityRule.h"
#include "crypto/Identifiers.h"
#include "crypto/MessageMetadata.h"
#include "storage/ConversationTable.h"
#include "storage/ExpiryRun.h"
#include "storage/SettingsTable.h"

#include <QObject>

#include <vector>

namespace cinder::client {

struct SessionContext;

class Expiry : public QObject {
    Q_OBJECT
public:
    Expiry(storage::ExpiryRun& run, storage::SettingsTable& settings,
           storage::ConversationTable& conversations, const SessionContext& context);

    // Starts the store's expiry timer and relays what it removes: the messages, then each
    // conversation that lost one (conversationChanged).
    void start();

    // The timers new conversations start with (kept in the store; options' ttl until set).
    [[nodiscard]] crypto::Ephemerality defaultTimers();
    [[nodiscard]] SessionResult<void> setDefaultTimers(const crypto::Ephemerality& timers);
    [[nodiscard]] SessionResult<void> setConversationTimers(const crypto::ConversationId& id,
                                                            const crypto::Ephemerality& timers);
    // The user acknowledged, on this device, that messages disappear (docs/PROTOCOL.md §8.4):
    // nothing the user writes is sent before. Kept in the store's settings.
    [[nodiscard]] bool policyAcknowledged();
    [[nodiscard]] SessionResult<void> acknowledgePolicy();
    // PolicyNotAcknowledged until then (for CINDER_TRY on every send).
    [[nodiscard]] SessionResult<void> requirePolicy();

    // The timers a message is sent with in a conversation with these defaults.
    [[nodiscard]] crypto::Ephemerality timersToSend(crypto::Ephemerality defaults) const;

    // Timers count from the sender's clock, but never from a time in the future.
    [[nodiscard]] static std::int64_t sentAt(const crypto::MessageMetadata& meta,
                                             std::int64_t receivedAtMs);
    // The message expired before it arrived: it is not stored at all.
    [[nodiscard]] static bool expiredOnArrival(const crypto::MessageMetadata& meta,
                                               std::int64_t receivedAtMs);

Q_SIGNALS:
    void messagesRemoved(const std::vector<cinder::crypto::MessageId>& ids);
    void conversationChanged(const cinder::crypto::ConversationId& id);

private:
    storage::ExpiryRun& m_run;
    storage::SettingsTable& m_settings;
    storage::ConversationTable& m_conversations;
    const SessionContext& m_context;
};

} // namespace cinder::client
