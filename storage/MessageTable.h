// SPDX-License-Identifier: Apache-2.0
#pragma once

// Messages (docs/ARCHITECTURE.md, "Storage"): the decrypted content with its sender, timers and
// read state. The newest-first page query walks the index messages_page (conversation,
// sent_at_ms, id) backwards, so loading a page costs the same whether the conversation holds a
// hundred messages or a million.
//
// Timers (Wickr's model): a message expires at sentAt + ttl; a burn-on-read message also gets a
// burn deadline when it is first shown, min(shown + burn, expiry), never later than its expiry.

#include "storage/Records.h"
#include "storage/StoreTypes.h"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cinder::storage {

class AttachmentTable;
class ConversationTable;

class MessageTable {
public:
    MessageTable(detail::Database& db, ConversationTable& conversations,
                 AttachmentTable& attachments)
        : m_db(db), m_conversations(conversations), m_attachments(attachments) {}

    // Duplicate when the message id is stored; UnknownConversation when its conversation is not.
    [[nodiscard]] StoreResult<void> insert(const MessageRecord& message);
    // One transaction for the batch; messages already stored are skipped (at-least-once
    // delivery). Returns how many were inserted. Fails as a whole on any other error.
    [[nodiscard]] StoreResult<std::size_t> insertBatch(std::span<const MessageRecord> batch);
    [[nodiscard]] StoreResult<std::optional<MessageRecord>> find(const crypto::MessageId& id);
    // Newest first; with before, only messages older than that cursor (the next page).
    [[nodiscard]] StoreResult<std::vector<MessageRecord>>
    page(const crypto::ConversationId& conversation,
         std::optional<MessageCursor> before = std::nullopt, int limit = 50);
    // The message was shown: marks it read and, for burn-on-read, starts its burn timer once.
    // Returns the burn deadline (unchanged when shown before; nothing without burn-on-read).
    [[nodiscard]] StoreResult<std::optional<std::int64_t>> markShown(const crypto::MessageId& id,
                                                                     std::int64_t nowMs);
    [[nodiscard]] StoreResult<void> setReadState(const crypto::MessageId& id, ReadState state);
    // A message leaves this device's outbox (sent, or given up): Queued becomes `state`. Any
    // other state stays (a read receipt may have come before a retried send returned); false
    // when nothing changed.
    [[nodiscard]] StoreResult<bool> settleQueued(const crypto::MessageId& id, ReadState state);
    // An edit from the sender: replaces the body and sets the edited flag.
    [[nodiscard]] StoreResult<void> applyEdit(const crypto::MessageId& id, crypto::ByteView body);
    // A delete from the sender: keeps a tombstone (deleted flag, empty body), drops attachments.
    [[nodiscard]] StoreResult<void> markDeleted(const crypto::MessageId& id);
    // Removes the message, its attachments (rows and files) everywhere on this device.
    [[nodiscard]] StoreResult<void> remove(const crypto::MessageId& id);

    // Message rows read so far (find and page). For tests only: it shows that a received
    // message reaches the view without being read back from the database.
    [[nodiscard]] std::uint64_t rowsRead() const { return m_rowsRead; }

    // For the store's expiry run (ExpiryRun::deleteExpired), inside its transaction: deletes every
    // message expired or burned at nowMs; returns their ids, the conversations they were in
    // (each once) and their attachments' files.
    struct Expired {
        std::vector<crypto::MessageId> ids;
        std::vector<crypto::ConversationId> conversations;
        std::vector<std::string> files;
    };
    [[nodiscard]] StoreResult<Expired> deleteExpired(std::int64_t nowMs);
    // Inserts without a transaction of its own (the caller holds one); skipDuplicates as
    // insertBatch does.
    [[nodiscard]] StoreResult<std::size_t> insertInTransaction(std::span<const MessageRecord> batch,
                                                               bool skipDuplicates);

private:
    StoreResult<std::int64_t> rowOf(const crypto::MessageId& id);
    StoreResult<std::vector<MessageRecord>> collect(detail::Statement& statement);
    // In one transaction: finds the message's row and attachment files, applies change(row),
    // commits, then removes the files (they are unreachable once the rows are gone).
    StoreResult<void>
    changeAndDropFiles(const crypto::MessageId& id,
                       const std::function<StoreResult<void>(std::int64_t)>& change);

    detail::Database& m_db;
    ConversationTable& m_conversations;
    AttachmentTable& m_attachments;
    std::uint64_t m_rowsRead = 0;
};

} // namespace cinder::storage
