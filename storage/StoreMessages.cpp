// SPDX-License-Identifier: Apache-2.0
// Conversations and messages. The newest-first page query walks the index
// messages_page (conversation, sent_at_ms, id) backwards, so loading a page costs the same
// whether the conversation holds a hundred messages or a million.

#include "storage/Store.h"

#include "storage/Database.h"
#include "storage/StorageLogging.h"

#include <algorithm>
#include <map>

namespace cinder::storage {

using crypto::fail;
using detail::Database;
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

std::uint32_t toU32(std::int64_t value) {
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(value, 0, UINT32_MAX));
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
    m.contentType = static_cast<crypto::ContentType>(toU32(row.integer(8)));
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
    m.ephemerality.ttlSeconds = toU32(row.integer(14));
    m.expiresAtMs = row.integer(15);
    m.ephemerality.burnOnRead = row.integer(16) != 0;
    m.ephemerality.burnSeconds = toU32(row.integer(17));
    m.shownAtMs = row.optionalInteger(18);
    m.burnDeadlineMs = row.optionalInteger(19);
    switch (row.integer(20)) {
    case 0:
        m.readState = ReadState::Unread;
        break;
    case 2:
        m.readState = ReadState::Seen;
        break;
    case 3:
        m.readState = ReadState::Queued;
        break;
    case 4:
        m.readState = ReadState::Failed;
        break;
    default:
        m.readState = ReadState::Read;
        break;
    }
    return m;
}

StoreResult<std::vector<MessageRecord>> collectMessages(Statement& statement) {
    return collectRows<MessageRecord>(statement, messageFromRow);
}

StoreResult<ConversationRecord> conversationFromRow(const Statement& row) {
    ConversationRecord c;
    if (!detail::readFixed(row, 0, c.id)) {
        return fail(StoreError::Corrupt);
    }
    c.kind = row.integer(1) == 2 ? ConversationKind::Room : ConversationKind::Direct;
    c.title = row.text(2);
    if (!row.isNull(3)) {
        crypto::RootId peer{};
        if (!detail::readFixed(row, 3, peer)) {
            return fail(StoreError::Corrupt);
        }
        c.peerRootId = peer;
    }
    c.defaults.ttlSeconds = toU32(row.integer(4));
    c.defaults.burnOnRead = row.integer(5) != 0;
    c.defaults.burnSeconds = toU32(row.integer(6));
    c.unreadCount = toU32(row.integer(7));
    c.lastActivityMs = row.integer(8);
    c.createdAtMs = row.integer(9);
    return c;
}

constexpr const char* kConversationColumns =
    "conversation_id, kind, title, peer_root_id, default_ttl_seconds, default_burn_on_read, "
    "default_burn_seconds, unread_count, last_activity_ms, created_at_ms ";

} // namespace

// --- Conversations ---

StoreResult<std::int64_t> Store::conversationRow(const crypto::ConversationId& id) {
    auto statement = m_db->prepare("SELECT id FROM conversations WHERE conversation_id = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    auto row = statement->bind(1, crypto::ByteView(id)).step();
    if (!row) {
        return fail(row.error());
    }
    if (!*row) {
        return fail(StoreError::UnknownConversation);
    }
    return statement->integer(0);
}

StoreResult<void> Store::saveConversation(const ConversationRecord& c) {
    if (!crypto::validateEphemerality(c.defaults)) { // docs/PROTOCOL.md section 8.4
        return fail(StoreError::InvalidArgument);
    }
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    std::optional<crypto::Bytes> peer;
    if (c.peerRootId) {
        peer = crypto::toBytes(*c.peerRootId);
    }
    {
        auto update = m_db->prepare(
            "UPDATE conversations SET kind = ?2, title = ?3, peer_root_id = ?4, "
            "default_ttl_seconds = ?5, default_burn_on_read = ?6, default_burn_seconds = ?7 "
            "WHERE conversation_id = ?1;");
        if (!update) {
            return fail(update.error());
        }
        update->bind(1, crypto::ByteView(c.id))
            .bind(2, std::int64_t{static_cast<std::uint8_t>(c.kind)})
            .bindText(3, c.title)
            .bind(4, peer)
            .bind(5, std::int64_t{c.defaults.ttlSeconds})
            .bind(6, std::int64_t{c.defaults.burnOnRead})
            .bind(7, std::int64_t{c.defaults.burnSeconds});
        if (auto updated = update->run(); !updated) {
            return fail(updated.error());
        }
    }
    if (m_db->changes() == 0) {
        auto insert = m_db->prepare(
            "INSERT INTO conversations (conversation_id, kind, title, peer_root_id, "
            "default_ttl_seconds, default_burn_on_read, default_burn_seconds, last_activity_ms, "
            "created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8);");
        if (!insert) {
            return fail(insert.error());
        }
        insert->bind(1, crypto::ByteView(c.id))
            .bind(2, std::int64_t{static_cast<std::uint8_t>(c.kind)})
            .bindText(3, c.title)
            .bind(4, peer)
            .bind(5, std::int64_t{c.defaults.ttlSeconds})
            .bind(6, std::int64_t{c.defaults.burnOnRead})
            .bind(7, std::int64_t{c.defaults.burnSeconds})
            .bind(8, c.createdAtMs);
        if (auto inserted = insert->run(); !inserted) {
            return fail(inserted.error());
        }
    }
    return transaction->commit();
}

StoreResult<std::optional<ConversationRecord>>
Store::conversation(const crypto::ConversationId& id) {
    static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                   "FROM conversations WHERE conversation_id = ?;";
    auto statement = m_db->prepare(sql.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    auto row = statement->bind(1, crypto::ByteView(id)).step();
    if (!row) {
        return fail(row.error());
    }
    if (!*row) {
        return std::optional<ConversationRecord>();
    }
    auto record = conversationFromRow(*statement);
    if (!record) {
        return fail(record.error());
    }
    return std::optional<ConversationRecord>(std::move(record).value());
}

StoreResult<std::vector<ConversationRecord>> Store::conversations() {
    static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                   "FROM conversations ORDER BY last_activity_ms DESC, id DESC;";
    auto statement = m_db->prepare(sql.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    std::vector<ConversationRecord> out;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        auto record = conversationFromRow(*statement);
        if (!record) {
            return fail(record.error());
        }
        out.push_back(std::move(record).value());
    }
    return out;
}

StoreResult<void> Store::removeConversation(const crypto::ConversationId& id) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    auto conversation = conversationRow(id);
    if (!conversation) {
        return fail(conversation.error() == StoreError::UnknownConversation ? StoreError::NotFound
                                                                            : conversation.error());
    }
    std::vector<std::string> files;
    {
        auto statement = m_db->prepare(
            "SELECT a.local_name FROM attachments a JOIN messages m ON m.id = a.message "
            "WHERE m.conversation = ? AND a.local_name IS NOT NULL;");
        if (!statement) {
            return fail(statement.error());
        }
        statement->bind(1, *conversation);
        for (;;) {
            auto row = statement->step();
            if (!row) {
                return fail(row.error());
            }
            if (!*row) {
                break;
            }
            files.push_back(statement->text(0));
        }
    }
    auto remove = m_db->prepare("DELETE FROM conversations WHERE id = ?;");
    if (!remove) {
        return fail(remove.error());
    }
    if (auto removed = remove->bind(1, *conversation).run(); !removed) {
        return fail(removed.error());
    }
    if (auto committed = transaction->commit(); !committed) {
        return fail(committed.error());
    }
    return removeFiles(files);
}

// --- Messages ---

StoreResult<std::int64_t> Store::messageRow(const crypto::MessageId& id) {
    auto statement = m_db->prepare("SELECT id FROM messages WHERE message_id = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    auto row = statement->bind(1, crypto::ByteView(id)).step();
    if (!row) {
        return fail(row.error());
    }
    if (!*row) {
        return fail(StoreError::NotFound);
    }
    return statement->integer(0);
}

StoreResult<std::size_t> Store::insertInTransaction(std::span<const MessageRecord> batch,
                                                    bool skipDuplicates) {
    auto insert = m_db->prepare(
        skipDuplicates
            ? "INSERT OR IGNORE INTO messages (message_id, conversation, sender_root_id, "
              "sender_node_id, sequence, sent_at_ms, received_at_ms, content_type, body, "
              "reply_to, outgoing, edited, deleted, ttl_seconds, expires_at_ms, burn_on_read, "
              "burn_seconds, read_state) VALUES "
              "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18);"
            : "INSERT INTO messages (message_id, conversation, sender_root_id, "
              "sender_node_id, sequence, sent_at_ms, received_at_ms, content_type, body, "
              "reply_to, outgoing, edited, deleted, ttl_seconds, expires_at_ms, burn_on_read, "
              "burn_seconds, read_state) VALUES "
              "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18);");
    if (!insert) {
        return fail(insert.error());
    }
    std::map<crypto::ConversationId, std::int64_t> conversationRows;
    std::size_t inserted = 0;
    for (const MessageRecord& m : batch) {
        if (!crypto::validateEphemerality(m.ephemerality) || m.sentAtMs <= 0) {
            return fail(StoreError::InvalidArgument);
        }
        auto known = conversationRows.find(m.conversationId);
        if (known == conversationRows.end()) {
            auto row = conversationRow(m.conversationId);
            if (!row) {
                return fail(row.error());
            }
            known = conversationRows.emplace(m.conversationId, *row).first;
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
        insert->bind(1, crypto::ByteView(m.id))
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
            .bind(18, std::int64_t{static_cast<std::uint8_t>(state)});
        auto done = insert->run();
        if (!done) {
            return fail(done.error());
        }
        inserted += static_cast<std::size_t>(m_db->changes());
        insert->reset();
    }
    return inserted;
}

StoreResult<void> Store::insertMessage(const MessageRecord& message) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    auto inserted = insertInTransaction(std::span(&message, 1), false);
    if (!inserted) {
        return fail(inserted.error());
    }
    return transaction->commit();
}

StoreResult<std::size_t> Store::insertMessages(std::span<const MessageRecord> batch) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    auto inserted = insertInTransaction(batch, true);
    if (!inserted) {
        return fail(inserted.error());
    }
    if (auto committed = transaction->commit(); !committed) {
        return fail(committed.error());
    }
    return *inserted;
}

StoreResult<std::optional<MessageRecord>> Store::message(const crypto::MessageId& id) {
    static const std::string sql = messageQuery("WHERE m.message_id = ?;");
    auto statement = m_db->prepare(sql.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    statement->bind(1, crypto::ByteView(id));
    auto found = collectMessages(*statement);
    if (!found) {
        return fail(found.error());
    }
    m_messageRowsRead += found->size();
    if (found->empty()) {
        return std::optional<MessageRecord>();
    }
    return std::optional<MessageRecord>(std::move(found->front()));
}

StoreResult<std::vector<MessageRecord>>
Store::messagesPage(const crypto::ConversationId& conversation, std::optional<MessageCursor> before,
                    int limit) {
    if (limit <= 0 || limit > kMaxPageSize) {
        return fail(StoreError::InvalidArgument);
    }
    auto row = conversationRow(conversation);
    if (!row) {
        return fail(row.error());
    }
    static const std::string first =
        messageQuery("WHERE m.conversation = ?1 ORDER BY m.sent_at_ms DESC, m.id DESC LIMIT ?2;");
    static const std::string next =
        messageQuery("WHERE m.conversation = ?1 AND (m.sent_at_ms, m.id) < (?3, ?4) "
                     "ORDER BY m.sent_at_ms DESC, m.id DESC LIMIT ?2;");
    auto statement = m_db->prepare(before ? next.c_str() : first.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    statement->bind(1, *row).bind(2, std::int64_t{limit});
    if (before) {
        statement->bind(3, before->sentAtMs).bind(4, before->rowId);
    }
    auto page = collectMessages(*statement);
    if (page) {
        m_messageRowsRead += page->size();
    }
    return page;
}

StoreResult<std::optional<std::int64_t>> Store::markShown(const crypto::MessageId& id,
                                                          std::int64_t nowMs) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    std::int64_t row = 0;
    bool burnOnRead = false;
    std::int64_t burnSeconds = 0;
    std::int64_t expiresAt = 0;
    std::optional<std::int64_t> shownAt;
    std::optional<std::int64_t> deadline;
    {
        auto select = m_db->prepare(
            "SELECT id, burn_on_read, burn_seconds, expires_at_ms, shown_at_ms, burn_deadline_ms "
            "FROM messages WHERE message_id = ?;");
        if (!select) {
            return fail(select.error());
        }
        auto found = select->bind(1, crypto::ByteView(id)).step();
        if (!found) {
            return fail(found.error());
        }
        if (!*found) {
            return fail(StoreError::NotFound);
        }
        row = select->integer(0);
        burnOnRead = select->integer(1) != 0;
        burnSeconds = select->integer(2);
        expiresAt = select->integer(3);
        shownAt = select->optionalInteger(4);
        deadline = select->optionalInteger(5);
    }
    if (!shownAt) {
        shownAt = nowMs;
        if (burnOnRead) {
            // Burning starts at the first showing and never extends past the expiry.
            deadline = std::min(nowMs + burnSeconds * kMsPerSecond, expiresAt);
        }
    }
    auto update = m_db->prepare("UPDATE messages SET shown_at_ms = ?2, burn_deadline_ms = ?3, "
                                "read_state = max(read_state, 1) WHERE id = ?1;");
    if (!update) {
        return fail(update.error());
    }
    if (auto updated = update->bind(1, row).bind(2, shownAt).bind(3, deadline).run(); !updated) {
        return fail(updated.error());
    }
    if (auto committed = transaction->commit(); !committed) {
        return fail(committed.error());
    }
    return deadline;
}

StoreResult<void> Store::setReadState(const crypto::MessageId& id, ReadState state) {
    auto update = m_db->prepare("UPDATE messages SET read_state = ?2 WHERE message_id = ?1;");
    if (!update) {
        return fail(update.error());
    }
    update->bind(1, crypto::ByteView(id)).bind(2, std::int64_t{static_cast<std::uint8_t>(state)});
    if (auto updated = update->run(); !updated) {
        return fail(updated.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

StoreResult<bool> Store::settleQueued(const crypto::MessageId& id, ReadState state) {
    auto update = m_db->prepare(
        "UPDATE messages SET read_state = ?2 WHERE message_id = ?1 AND read_state = ?3;");
    if (!update) {
        return fail(update.error());
    }
    update->bind(1, crypto::ByteView(id))
        .bind(2, std::int64_t{static_cast<std::uint8_t>(state)})
        .bind(3, std::int64_t{static_cast<std::uint8_t>(ReadState::Queued)});
    if (auto updated = update->run(); !updated) {
        return fail(updated.error());
    }
    return m_db->changes() > 0;
}

StoreResult<void> Store::applyEdit(const crypto::MessageId& id, crypto::ByteView body) {
    auto update = m_db->prepare(
        "UPDATE messages SET body = ?2, edited = 1 WHERE message_id = ?1 AND deleted = 0;");
    if (!update) {
        return fail(update.error());
    }
    if (auto updated = update->bind(1, crypto::ByteView(id)).bind(2, body).run(); !updated) {
        return fail(updated.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

StoreResult<void>
Store::changeMessageAndDropFiles(const crypto::MessageId& id,
                                 const std::function<StoreResult<void>(std::int64_t)>& change) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    auto row = messageRow(id);
    if (!row) {
        return fail(row.error());
    }
    auto files = attachmentFilesOfMessage(*row);
    if (!files) {
        return fail(files.error());
    }
    if (auto changed = change(*row); !changed) {
        return fail(changed.error());
    }
    if (auto committed = transaction->commit(); !committed) {
        return fail(committed.error());
    }
    return removeFiles(*files);
}

StoreResult<void> Store::markDeleted(const crypto::MessageId& id) {
    return changeMessageAndDropFiles(id, [this](std::int64_t row) -> StoreResult<void> {
        auto update =
            m_db->prepare("UPDATE messages SET body = x'', deleted = 1, edited = 0 WHERE id = ?;");
        if (!update) {
            return fail(update.error());
        }
        if (auto updated = update->bind(1, row).run(); !updated) {
            return fail(updated.error());
        }
        auto remove = m_db->prepare("DELETE FROM attachments WHERE message = ?;");
        if (!remove) {
            return fail(remove.error());
        }
        return remove->bind(1, row).run();
    });
}

StoreResult<void> Store::deleteMessage(const crypto::MessageId& id) {
    return changeMessageAndDropFiles(id, [this](std::int64_t row) -> StoreResult<void> {
        auto remove = m_db->prepare("DELETE FROM messages WHERE id = ?;");
        if (!remove) {
            return fail(remove.error());
        }
        return remove->bind(1, row).run();
    });
}

} // namespace cinder::storage
