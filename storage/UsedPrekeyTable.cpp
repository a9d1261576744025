// SPDX-License-Identifier: Apache-2.0
// Other devices' one-time prekeys already handed to this device (UsedPrekeyTable.h).

#include "storage/UsedPrekeyTable.h"

#include "crypto/Constants.h"
#include "storage/Database.h"

namespace cinder::storage {

StoreResult<bool> UsedPrekeyTable::recordFirstUse(const crypto::NodeId& node,
                                                  const crypto::PrekeyId& prekey) {
    CINDER_TRY_ASSIGN(auto insert,
                      m_db.prepare("INSERT OR IGNORE INTO used_prekeys (node_id, prekey_id, "
                                   "used_at_ms) VALUES (?, ?, ?);"));
    CINDER_TRY(insert.bind(1, crypto::ByteView(node))
                   .bind(2, crypto::ByteView(prekey))
                   .bind(3, m_clock())
                   .run());
    return m_db.changes() == 1;
}

StoreResult<std::int64_t> UsedPrekeyTable::prune() {
    CINDER_TRY_ASSIGN(auto remove, m_db.prepare("DELETE FROM used_prekeys WHERE used_at_ms < ?;"));
    CINDER_TRY(remove.bind(1, m_clock() - crypto::kMaxDeliveryAgeMs).run());
    return static_cast<std::int64_t>(m_db.changes());
}

StoreResult<std::int64_t> UsedPrekeyTable::count() {
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare("SELECT COUNT(*) FROM used_prekeys;"));
    CINDER_TRY(statement.step());
    return statement.integer(0);
}

} // namespace cinder::storage
