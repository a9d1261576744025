// SPDX-License-Identifier: Apache-2.0
// Messages (MessageTable.h).

#include "storage/MessageTable.h"

#include "storage/AttachmentTable.h"
#include "storage/ConversationTable.h"
#include "storage/Database.h"

#include "crypto/EphemeralityRule.h"

#include <algorithm>
#include <map>

namespace cinder::storage {

using crypto::fail;
using detail::Statement;

namespace {

constexpr std::int64_t kMsPerSecond = 1000;

const char* const kMessageSelect =
    "SELECT m.id, m.message_id, c.conversation_id, m.sender_root_id, m.sender_node_id, "
    "m.sequence, m.sent_at_ms, m.received_at_ms, m.content_type, m.body, m.reply_to, "
    "m.outgoing, m.edited, m.deleted, m.ttl_seconds, m.expires_at_ms, m.burn_on_read, "
    "m.burn_seconds, m.shown_at_ms, m.burn_deadline_ms, m.read_state "
    "FROM messages m JOIN conversations c ON c.id = m.conversation ";

std::string messageQuery(const char* tail) {
    return std::string(kMessageSelect) + tail;
}

ReadState readStateOf(std::int64_t stored) {
    switch (stored) {
    case 0:
        return ReadState::Unread;
    case 2:
        return ReadState::Seen;
    case 3:
        return ReadState::Queued;
    case 4:
        return ReadState::Failed;
    default:
        return ReadState::Read;
    }
}

StoreResult<MessageRecord> messageFromRow(const Statement& row) {
    MessageRecord m;
    m.rowId = row.integer(0);
    if (!detail::readFixed(row, 1, m.id) || !detail::readFixed(row, 2, m.conversationId) ||
        !detail::readFixed(row, 3, m.senderRootId) || !detail::readFixed(row, 4, m.senderNodeId)) {
        return fail(StoreError::Corrupt);
    }
    m.sequence = static_cast<std::uint64_t>(row.integer(5));
    m.sentAtMs = row.integer(6);
    m.receivedAtMs = row.integer(7);
    m.contentType = static_cast<crypto::ContentType>(detail::toU32(row.integer(8)));
    m.body = row.blob(9);
    if (!row.isNull(10)) {
        crypto::MessageId replyTo{};
        if (!detail::readFixed(row, 10, replyTo)) {
            return fail(StoreError::Corrupt);
        }
        m.replyTo = replyTo;
    }
    m.outgoing = row.integer(11) != 0;
    m.edited = row.integer(12) != 0;
    m.deleted = row.integer(13) != 0;
    m.ephemerality.ttlSeconds = detail::toU32(row.integer(14));
    m.expiresAtMs = row.integer(15);
    m.ephemerality.burnOnRead = row.integer(16) != 0;
    m.ephemerality.burnSeconds = detail::toU32(row.integer(17));
    m.shownAtMs = row.optionalInteger(18);
    m.burnDeadlineMs = row.optionalInteger(19);
    m.readState = readStateOf(row.integer(20));
    return m;
}

} // namespace

StoreResult<std::vector<MessageRecord>> MessageTable::collect(Statement& statement) {
    return detail::collectRows<MessageRecord>(
        statement, [this](const Statement& row) -> StoreResult<MessageRecord> {
            ++m_rowsRead;
            return messageFromRow(row);
        });
}

StoreResult<std::int64_t> MessageTable::rowOf(const crypto::MessageId& id) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("SELECT id FROM messages WHERE message_id = ?;"));
    CINDER_TRY_ASSIGN(const bool found, statement.bind(1, crypto::ByteView(id)).step());
    if (!found) {
        return fail(StoreError::NotFound);
    }
    return statement.integer(0);
}

StoreResult<std::size_t> MessageTable::insertInTransaction(std::span<const MessageRecord> batch,
                                                           bool skipDuplicates) {
    CINDER_TRY_ASSIGN(
        auto insert,
        m_db.prepare(
            skipDuplicates
                ? "INSERT OR IGNORE INTO messages (message_id, conversation, sender_root_id, "
                  "sender_node_id, sequence, sent_at_ms, received_at_ms, content_type, body, "
                  "reply_to, outgoing, edited, deleted, ttl_seconds, expires_at_ms, burn_on_read, "
                  "burn_seconds, read_state) VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                  "?18);"
                : "INSERT INTO messages (message_id, conversation, sender_root_id, "
                  "sender_node_id, sequence, sent_at_ms, received_at_ms, content_type, body, "
                  "reply_to, outgoing, edited, deleted, ttl_seconds, expires_at_ms, burn_on_read, "
                  "burn_seconds, read_state) VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                  "?18);"));
    std::map<crypto::ConversationId, std::int64_t> conversationRows;
    std::size_t inserted = 0;
    for (const MessageRecord& m : batch) {
        if (!crypto::validateEphemerality(m.ephemerality) || m.sentAtMs <= 0) {
            return fail(StoreError::InvalidArgument);
        }
        auto known = conversationRows.find(m.conversationId);
        if (known == conversationRows.end()) {
            CINDER_TRY_ASSIGN(const std::int64_t row, m_conversations.rowOf(m.conversationId));
            known = conversationRows.emplace(m.conversationId, row).first;
        }
        std::optional<crypto::Bytes> replyTo;
        if (m.replyTo) {
            replyTo = crypto::toBytes(*m.replyTo);
        }
        const std::int64_t expiresAt =
            m.sentAtMs + static_cast<std::int64_t>(m.ephemerality.ttlSeconds) * kMsPerSecond;
        // A message written here is never unread.
        const ReadState state =
            m.outgoing && m.readState == ReadState::Unread ? ReadState::Read : m.readState;
        CINDER_TRY(insert.bind(1, crypto::ByteView(m.id))
                       .bind(2, known->second)
                       .bind(3, crypto::ByteView(m.senderRootId))
                       .bind(4, crypto::ByteView(m.senderNodeId))
                       .bind(5, static_cast<std::int64_t>(m.sequence))
                       .bind(6, m.sentAtMs)
                       .bind(7, m.receivedAtMs)
                       .bind(8, std::int64_t{static_cast<std::uint32_t>(m.contentType)})
                       .bind(9, crypto::ByteView(m.body))
                       .bind(10, replyTo)
                       .bind(11, std::int64_t{m.outgoing})
                       .bind(12, std::int64_t{m.edited})
                       .bind(13, std::int64_t{m.deleted})
                       .bind(14, std::int64_t{m.ephemerality.ttlSeconds})
                       .bind(15, expiresAt)
                       .bind(16, std::int64_t{m.ephemerality.burnOnRead})
                       .bind(17, std::int64_t{m.ephemerality.burnSeconds})
                       .bind(18, std::int64_t{static_cast<std::uint8_t>(state)})
                       .run());
        inserted += static_cast<std::size_t>(m_db.changes());
        insert.reset();
    }
    return inserted;
}

StoreResult<void> MessageTable::insert(const MessageRecord& message) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    CINDER_TRY(insertInTransaction(std::span(&message, 1), false));
    return transaction.commit();
}

StoreResult<std::size_t> MessageTable::insertBatch(std::span<const MessageRecord> batch) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    CINDER_TRY_ASSIGN(const std::size_t inserted, insertInTransaction(batch, true));
    CINDER_TRY(transaction.commit());
    return inserted;
}

StoreResult<std::optional<MessageRecord>> MessageTable::find(const crypto::MessageId& id) {
    static const std::string sql = messageQuery("WHERE m.message_id = ?;");
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(sql.c_str()));
    statement.bind(1, crypto::ByteView(id));
    CINDER_TRY_ASSIGN(auto found, collect(statement));
    if (found.empty()) {
        return std::optional<MessageRecord>();
    }
    return std::optional<MessageRecord>(std::move(found.front()));
}

StoreResult<std::vector<MessageRecord>>
MessageTable::page(const crypto::ConversationId& conversation, std::optional<MessageCursor> before,
                   int limit) {
    if (limit <= 0 || limit > kMaxPageSize) {
        return fail(StoreError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(const std::int64_t row, m_conversations.rowOf(conversation));
    static const std::string first =
        messageQuery("WHERE m.conversation = ?1 ORDER BY m.sent_at_ms DESC, m.id DESC LIMIT ?2;");
    static const std::string next =
        messageQuery("WHERE m.conversation = ?1 AND (m.sent_at_ms, m.id) < (?3, ?4) "
                     "ORDER BY m.sent_at_ms DESC, m.id DESC LIMIT ?2;");
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(before ? next.c_str() : first.c_str()));
    statement.bind(1, row).bind(2, std::int64_t{limit});
    if (before) {
        statement.bind(3, before->sentAtMs).bind(4, before->rowId);
    }
    return collect(statement);
}

StoreResult<std::optional<std::int64_t>> MessageTable::markShown(const crypto::MessageId& id,
                                                                 std::int64_t nowMs) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    std::int64_t row = 0;
    bool burnOnRead = false;
    std::int64_t burnSeconds = 0;
    std::int64_t expiresAt = 0;
    std::optional<std::int64_t> shownAt;
    std::optional<std::int64_t> deadline;
    {
        CINDER_TRY_ASSIGN(auto select,
                          m_db.prepare("SELECT id, burn_on_read, burn_seconds, expires_at_ms, "
                                       "shown_at_ms, burn_deadline_ms FROM messages "
                                       "WHERE message_id = ?;"));
        CINDER_TRY_ASSIGN(const bool found, select.bind(1, crypto::ByteView(id)).step());
        if (!found) {
            return fail(StoreError::NotFound);
        }
        row = select.integer(0);
        burnOnRead = select.integer(1) != 0;
        burnSeconds = select.integer(2);
        expiresAt = select.integer(3);
        shownAt = select.optionalInteger(4);
        deadline = select.optionalInteger(5);
    }
    if (!shownAt) {
        shownAt = nowMs;
        if (burnOnRead) {
            // Burning starts at the first showing and never extends past the expiry.
            deadline = std::min(nowMs + burnSeconds * kMsPerSecond, expiresAt);
        }
    }
    CINDER_TRY_ASSIGN(auto update,
                      m_db.prepare("UPDATE messages SET shown_at_ms = ?2, burn_deadline_ms = ?3, "
                                   "read_state = max(read_state, 1) WHERE id = ?1;"));
    CINDER_TRY(update.bind(1, row).bind(2, shownAt).bind(3, deadline).run());
    CINDER_TRY(transaction.commit());
    return deadline;
}

StoreResult<void> MessageTable::setReadState(const crypto::MessageId& id, ReadState state) {
    CINDER_TRY_ASSIGN(auto update,
                      m_db.prepare("UPDATE messages SET read_state = ?2 WHERE message_id = ?1;"));
    CINDER_TRY(update.bind(1, crypto::ByteView(id))
                   .bind(2, std::int64_t{static_cast<std::uint8_t>(state)})
                   .run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<bool> MessageTable::settleQueued(const crypto::MessageId& id, ReadState state) {
    CINDER_TRY_ASSIGN(auto update, m_db.prepare("UPDATE messages SET read_state = ?2 WHERE "
                                                "message_id = ?1 AND read_state = ?3;"));
    CINDER_TRY(update.bind(1, crypto::ByteView(id))
                   .bind(2, std::int64_t{static_cast<std::uint8_t>(state)})
                   .bind(3, std::int64_t{static_cast<std::uint8_t>(ReadState::Queued)})
                   .run());
    return m_db.changes() > 0;
}

StoreResult<void> MessageTable::applyEdit(const crypto::MessageId& id, crypto::ByteView body) {
    CINDER_TRY_ASSIGN(auto update, m_db.prepare("UPDATE messages SET body = ?2, edited = 1 WHERE "
                                                "message_id = ?1 AND deleted = 0;"));
    CINDER_TRY(update.bind(1, crypto::ByteView(id)).bind(2, body).run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<void>
MessageTable::changeAndDropFiles(const crypto::MessageId& id,
                                 const std::function<StoreResult<void>(std::int64_t)>& change) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    CINDER_TRY_ASSIGN(const std::int64_t row, rowOf(id));
    CINDER_TRY_ASSIGN(const auto files, m_attachments.filesOfMessage(row));
    CINDER_TRY(change(row));
    CINDER_TRY(transaction.commit());
    return m_attachments.removeFiles(files);
}

StoreResult<void> MessageTable::markDeleted(const crypto::MessageId& id) {
    return changeAndDropFiles(id, [this](std::int64_t row) -> StoreResult<void> {
        CINDER_TRY_ASSIGN(auto update, m_db.prepare("UPDATE messages SET body = x'', deleted = 1, "
                                                    "edited = 0 WHERE id = ?;"));
        CINDER_TRY(update.bind(1, row).run());
        // Attachment rows go with the message's content (ON DELETE CASCADE does not fire here).
        CINDER_TRY_ASSIGN(auto remove, m_db.prepare("DELETE FROM attachments WHERE message = ?;"));
        return remove.bind(1, row).run();
    });
}

StoreResult<void> MessageTable::remove(const crypto::MessageId& id) {
    return changeAndDropFiles(id, [this](std::int64_t row) -> StoreResult<void> {
        CINDER_TRY_ASSIGN(auto remove, m_db.prepare("DELETE FROM messages WHERE id = ?;"));
        return remove.bind(1, row).run();
    });
}

StoreResult<MessageTable::Expired> MessageTable::deleteExpired(std::int64_t nowMs) {
    Expired expired;
    std::vector<std::int64_t> rows;
    {
        CINDER_TRY_ASSIGN(
            auto select,
            m_db.prepare("SELECT m.id, m.message_id, c.conversation_id FROM messages m "
                         "JOIN conversations c ON c.id = m.conversation "
                         "WHERE m.expires_at_ms <= ?1 OR m.burn_deadline_ms <= ?1;"));
        select.bind(1, nowMs);
        for (;;) {
            CINDER_TRY_ASSIGN(const bool found, select.step());
            if (!found) {
                break;
            }
            rows.push_back(select.integer(0));
            crypto::MessageId id{};
            crypto::ConversationId conversation{};
            if (!detail::readFixed(select, 1, id) || !detail::readFixed(select, 2, conversation)) {
                return fail(StoreError::Corrupt);
            }
            expired.ids.push_back(id);
            if (std::find(expired.conversations.begin(), expired.conversations.end(),
                          conversation) == expired.conversations.end()) {
                expired.conversations.push_back(conversation);
            }
        }
    }
    for (std::int64_t row : rows) {
        CINDER_TRY_ASSIGN(auto names, m_attachments.filesOfMessage(row));
        expired.files.insert(expired.files.end(), names.begin(), names.end());
    }
    CINDER_TRY_ASSIGN(auto remove, m_db.prepare("DELETE FROM messages WHERE expires_at_ms <= ?1 OR "
                                                "burn_deadline_ms <= ?1;"));
    CINDER_TRY(remove.bind(1, nowMs).run());
    return expired;
}

} // namespace cinder::storage
