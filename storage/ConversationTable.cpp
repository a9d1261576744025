// SPDX-License-Identifier: Apache-2.0
// Conversations (ConversationTable.h).

#include "storage/ConversationTable.h"

#include "storage/AttachmentTable.h"
#include "storage/Database.h"

namespace cinder::storage {

using crypto::fail;
using detail::Statement;

namespace {

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
    c.defaults.ttlSeconds = detail::toU32(row.integer(4));
    c.defaults.burnOnRead = row.integer(5) != 0;
    c.defaults.burnSeconds = detail::toU32(row.integer(6));
    c.unreadCount = detail::toU32(row.integer(7));
    c.lastActivityMs = row.integer(8);
    c.createdAtMs = row.integer(9);
    return c;
}

constexpr const char* kConversationColumns =
    "conversation_id, kind, title, peer_root_id, default_ttl_seconds, default_burn_on_read, "
    "default_burn_seconds, unread_count, last_activity_ms, created_at_ms ";

} // namespace

StoreResult<std::int64_t> ConversationTable::rowOf(const crypto::ConversationId& id) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("SELECT id FROM conversations WHERE conversation_id = ?;"));
    CINDER_TRY_ASSIGN(const bool found, statement.bind(1, crypto::ByteView(id)).step());
    if (!found) {
        return fail(StoreError::UnknownConversation);
    }
    return statement.integer(0);
}

StoreResult<void> ConversationTable::save(const ConversationRecord& c) {
    if (!crypto::validateEphemerality(c.defaults)) { // docs/PROTOCOL.md section 8.4
        return fail(StoreError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    std::optional<crypto::Bytes> peer;
    if (c.peerRootId) {
        peer = crypto::toBytes(*c.peerRootId);
    }
    {
        CINDER_TRY_ASSIGN(
            auto update,
            m_db.prepare("UPDATE conversations SET kind = ?2, title = ?3, peer_root_id = ?4, "
                         "default_ttl_seconds = ?5, default_burn_on_read = ?6, "
                         "default_burn_seconds = ?7 WHERE conversation_id = ?1;"));
        CINDER_TRY(update.bind(1, crypto::ByteView(c.id))
                       .bind(2, std::int64_t{static_cast<std::uint8_t>(c.kind)})
                       .bindText(3, c.title)
                       .bind(4, peer)
                       .bind(5, std::int64_t{c.defaults.ttlSeconds})
                       .bind(6, std::int64_t{c.defaults.burnOnRead})
                       .bind(7, std::int64_t{c.defaults.burnSeconds})
                       .run());
    }
    if (m_db.changes() == 0) {
        CINDER_TRY_ASSIGN(
            auto insert,
            m_db.prepare("INSERT INTO conversations (conversation_id, kind, title, peer_root_id, "
                         "default_ttl_seconds, default_burn_on_read, default_burn_seconds, "
                         "last_activity_ms, created_at_ms) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8);"));
        CINDER_TRY(insert.bind(1, crypto::ByteView(c.id))
                       .bind(2, std::int64_t{static_cast<std::uint8_t>(c.kind)})
                       .bindText(3, c.title)
                       .bind(4, peer)
                       .bind(5, std::int64_t{c.defaults.ttlSeconds})
                       .bind(6, std::int64_t{c.defaults.burnOnRead})
                       .bind(7, std::int64_t{c.defaults.burnSeconds})
                       .bind(8, c.createdAtMs)
                       .run());
    }
    return transaction.commit();
}

StoreResult<std::optional<ConversationRecord>>
ConversationTable::find(const crypto::ConversationId& id) {
    static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                   "FROM conversations WHERE conversation_id = ?;";
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(sql.c_str()));
    statement.bind(1, crypto::ByteView(id));
    return detail::firstRow<ConversationRecord>(statement, conversationFromRow);
}

StoreResult<std::vector<ConversationRecord>> ConversationTable::all() {
    static const std::string sql = std::string("SELECT ") + kConversationColumns +
                                   "FROM conversations ORDER BY last_activity_ms DESC, id DESC;";
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(sql.c_str()));
    return detail::collectRows<ConversationRecord>(statement, conversationFromRow);
}

StoreResult<void> ConversationTable::remove(const crypto::ConversationId& id) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    auto conversation = rowOf(id);
    if (!conversation) {
        return fail(conversation.error() == StoreError::UnknownConversation ? StoreError::NotFound
                                                                            : conversation.error());
    }
    CINDER_TRY_ASSIGN(const auto files, m_attachments.filesOfConversation(*conversation));
    CINDER_TRY_ASSIGN(auto remove, m_db.prepare("DELETE FROM conversations WHERE id = ?;"));
    CINDER_TRY(remove.bind(1, *conversation).run());
    CINDER_TRY(transaction.commit());
    return m_attachments.removeFiles(files);
}

} // namespace cinder::storage
