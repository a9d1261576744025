// SPDX-License-Identifier: Apache-2.0
#pragma once

// Conversations (docs/ARCHITECTURE.md, "Storage"): kind, title, peer and the default timers new
// messages get; the unread count and last activity are kept by triggers on messages. Removing a
// conversation removes its messages, attachments and room state with it (ON DELETE CASCADE), and
// the attachment files after the commit.

#include "storage/Records.h"
#include "storage/StoreTypes.h"

#include <optional>
#include <vector>

namespace cinder::storage {

class AttachmentTable;

class ConversationTable {
public:
    ConversationTable(detail::Database& db, AttachmentTable& attachments)
        : m_db(db), m_attachments(attachments) {}

    // Inserts, or updates kind, title, peer and default timers of an existing one.
    [[nodiscard]] StoreResult<void> save(const ConversationRecord& conversation);
    [[nodiscard]] StoreResult<std::optional<ConversationRecord>>
    find(const crypto::ConversationId& id);
    // Most recent activity first, with unread counts.
    [[nodiscard]] StoreResult<std::vector<ConversationRecord>> all();
    // Deletes the conversation with its messages, attachment files and room state.
    [[nodiscard]] StoreResult<void> remove(const crypto::ConversationId& id);

    // The integer row of a conversation, for the owners whose rows refer to it;
    // UnknownConversation when absent.
    [[nodiscard]] StoreResult<std::int64_t> rowOf(const crypto::ConversationId& id);

private:
    detail::Database& m_db;
    AttachmentTable& m_attachments;
};

} // namespace cinder::storage
