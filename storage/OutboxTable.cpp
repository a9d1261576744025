// SPDX-License-Identifier: Apache-2.0
// The outbox (OutboxTable.h).

#include "storage/OutboxTable.h"

#include "storage/Database.h"

namespace cinder::storage {

using crypto::fail;
using detail::Statement;

StoreResult<std::int64_t> OutboxTable::enqueue(const OutboxItem& item) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("INSERT INTO outbox (message_id, kind, payload, created_at_ms, "
                                   "expires_at_ms, attempts) VALUES (?, ?, ?, ?, ?, 0);"));
    std::optional<crypto::Bytes> messageId;
    if (item.messageId) {
        messageId = crypto::toBytes(*item.messageId);
    }
    CINDER_TRY(statement.bind(1, messageId)
                   .bind(2, std::int64_t{item.kind})
                   .bind(3, crypto::ByteView(item.payload))
                   .bind(4, item.createdAtMs)
                   .bind(5, item.expiresAtMs)
                   .run());
    return m_db.lastInsertRowId();
}

StoreResult<std::vector<OutboxItem>> OutboxTable::peek(int limit) {
    if (limit <= 0) {
        return fail(StoreError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("SELECT id, message_id, kind, payload, created_at_ms, "
                                   "expires_at_ms, attempts FROM outbox ORDER BY id LIMIT ?;"));
    statement.bind(1, std::int64_t{limit});
    return detail::collectRows<OutboxItem>(
        statement, [](const Statement& row) -> StoreResult<OutboxItem> {
            OutboxItem item;
            item.id = row.integer(0);
            if (!row.isNull(1)) {
                crypto::MessageId id{};
                if (!detail::readFixed(row, 1, id)) {
                    return fail(StoreError::Corrupt);
                }
                item.messageId = id;
            }
            item.kind = static_cast<std::uint32_t>(row.integer(2));
            item.payload = row.blob(3);
            item.createdAtMs = row.integer(4);
            item.expiresAtMs = row.integer(5);
            item.attempts = static_cast<std::uint32_t>(row.integer(6));
            return item;
        });
}

StoreResult<void> OutboxTable::remove(std::int64_t id) {
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare("DELETE FROM outbox WHERE id = ?;"));
    CINDER_TRY(statement.bind(1, id).run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<void> OutboxTable::recordAttempt(std::int64_t id) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?;"));
    CINDER_TRY(statement.bind(1, id).run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<void> OutboxTable::deleteExpired(std::int64_t nowMs) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("DELETE FROM outbox WHERE expires_at_ms <= ?1;"));
    return statement.bind(1, nowMs).run();
}

} // namespace cinder::storage
