// SPDX-License-Identifier: Apache-2.0
#pragma once

// Room membership as the client holds it (docs/ARCHITECTURE.md, "Storage"): one row per room
// conversation with its epoch and serialized state, opaque here. Removed with its conversation.

#include "storage/Records.h"
#include "storage/StoreTypes.h"

#include <optional>

namespace cinder::storage {

class RoomStateTable {
public:
    explicit RoomStateTable(detail::Database& db) : m_db(db) {}

    // UnknownConversation when the room's conversation is not stored.
    [[nodiscard]] StoreResult<void> save(const RoomStateRecord& state);
    [[nodiscard]] StoreResult<std::optional<RoomStateRecord>>
    find(const crypto::ConversationId& conversation);

private:
    detail::Database& m_db;
};

} // namespace cinder::storage
