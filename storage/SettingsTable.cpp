// SPDX-License-Identifier: Apache-2.0
// Settings (SettingsTable.h).

#include "storage/SettingsTable.h"

#include "storage/Database.h"

namespace cinder::storage {

StoreResult<void> SettingsTable::set(std::string_view key, crypto::ByteView value) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?);"));
    return statement.bindText(1, key).bind(2, value).run();
}

StoreResult<std::optional<crypto::Bytes>> SettingsTable::get(std::string_view key) {
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare("SELECT value FROM settings WHERE key = ?;"));
    CINDER_TRY_ASSIGN(const bool found, statement.bindText(1, key).step());
    if (!found) {
        return std::optional<crypto::Bytes>();
    }
    return std::optional<crypto::Bytes>(statement.blob(0));
}

StoreResult<void> SettingsTable::remove(std::string_view key) {
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare("DELETE FROM settings WHERE key = ?;"));
    return statement.bindText(1, key).run();
}

} // namespace cinder::storage
