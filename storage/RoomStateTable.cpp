// SPDX-License-Identifier: Apache-2.0
// Room state (RoomStateTable.h). A row refers to its conversation by the conversation's row id.

#include "storage/RoomStateTable.h"

#include "storage/Database.h"

namespace cinder::storage {

using crypto::fail;

StoreResult<void> RoomStateTable::save(const RoomStateRecord& state) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("INSERT OR REPLACE INTO room_state (conversation, epoch, state) "
                                   "SELECT id, ?2, ?3 FROM conversations "
                                   "WHERE conversation_id = ?1;"));
    CINDER_TRY(statement.bind(1, crypto::ByteView(state.conversationId))
                   .bind(2, static_cast<std::int64_t>(state.epoch))
                   .bind(3, crypto::ByteView(state.state))
                   .run());
    return m_db.expectChanges(StoreError::UnknownConversation);
}

StoreResult<std::optional<RoomStateRecord>>
RoomStateTable::find(const crypto::ConversationId& conversation) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("SELECT r.epoch, r.state FROM room_state r JOIN conversations c "
                                   "ON c.id = r.conversation WHERE c.conversation_id = ?;"));
    statement.bind(1, crypto::ByteView(conversation));
    return detail::firstRow<RoomStateRecord>(
        statement, [&conversation](const detail::Statement& row) -> StoreResult<RoomStateRecord> {
            RoomStateRecord record;
            record.conversationId = conversation;
            record.epoch = static_cast<std::uint64_t>(row.integer(0));
            record.state = row.blob(1);
            return record;
        });
}

} // namespace cinder::storage
