// SPDX-License-Identifier: Apache-2.0
// Contacts: pinned root keys, verification, identity changes and device lists (ContactTable.h).

#include "storage/ContactTable.h"

#include "storage/Database.h"

#include <cstdint>

namespace cinder::storage {

using crypto::fail;
using detail::Statement;

namespace {

constexpr const char* kContactSelect =
    "SELECT root_id, username, display_name, pinned_root_key, verified, identity_changed, "
    "pending_root_key, device_list_version, device_list, added_at_ms FROM contacts ";

StoreResult<ContactRecord> contactFromRow(const Statement& row) {
    ContactRecord c;
    if (!detail::readFixed(row, 0, c.rootId)) {
        return fail(StoreError::Corrupt);
    }
    c.username = row.text(1);
    c.displayName = row.text(2);
    c.pinnedRootKey = row.blob(3);
    c.verified = row.integer(4) != 0;
    c.identityChanged = row.integer(5) != 0;
    c.pendingRootKey = row.optionalBlob(6);
    c.deviceListVersion = static_cast<std::uint64_t>(row.integer(7));
    c.deviceList = row.blob(8);
    c.addedAtMs = row.integer(9);
    return c;
}

} // namespace

StoreResult<void> ContactTable::save(const ContactRecord& c) {
    if (c.username.empty()) {
        return fail(StoreError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    const std::int64_t version = static_cast<std::int64_t>(c.deviceListVersion);
    {
        CINDER_TRY_ASSIGN(
            auto update,
            m_db.prepare("UPDATE contacts SET username = ?2, display_name = ?3, "
                         "pinned_root_key = ?4, verified = ?5, identity_changed = ?6, "
                         "pending_root_key = ?7, device_list_version = ?8, device_list = ?9 "
                         "WHERE root_id = ?1;"));
        CINDER_TRY(update.bind(1, crypto::ByteView(c.rootId))
                       .bindText(2, c.username)
                       .bindText(3, c.displayName)
                       .bind(4, crypto::ByteView(c.pinnedRootKey))
                       .bind(5, std::int64_t{c.verified})
                       .bind(6, std::int64_t{c.identityChanged})
                       .bind(7, c.pendingRootKey)
                       .bind(8, version)
                       .bind(9, crypto::ByteView(c.deviceList))
                       .run());
    }
    if (m_db.changes() == 0) {
        CINDER_TRY_ASSIGN(
            auto insert,
            m_db.prepare("INSERT INTO contacts (root_id, username, display_name, "
                         "pinned_root_key, verified, identity_changed, pending_root_key, "
                         "device_list_version, device_list, added_at_ms) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?);"));
        CINDER_TRY(insert.bind(1, crypto::ByteView(c.rootId))
                       .bindText(2, c.username)
                       .bindText(3, c.displayName)
                       .bind(4, crypto::ByteView(c.pinnedRootKey))
                       .bind(5, std::int64_t{c.verified})
                       .bind(6, std::int64_t{c.identityChanged})
                       .bind(7, c.pendingRootKey)
                       .bind(8, version)
                       .bind(9, crypto::ByteView(c.deviceList))
                       .bind(10, c.addedAtMs)
                       .run());
    }
    return transaction.commit();
}

StoreResult<std::optional<ContactRecord>> ContactTable::find(const crypto::RootId& rootId) {
    static const std::string sql = std::string(kContactSelect) + "WHERE root_id = ?;";
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(sql.c_str()));
    statement.bind(1, crypto::ByteView(rootId));
    return detail::firstRow<ContactRecord>(statement, contactFromRow);
}

StoreResult<std::optional<ContactRecord>> ContactTable::findByUsername(std::string_view username) {
    static const std::string sql = std::string(kContactSelect) + "WHERE username = ?;";
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(sql.c_str()));
    statement.bindText(1, username);
    return detail::firstRow<ContactRecord>(statement, contactFromRow);
}

StoreResult<std::vector<ContactRecord>> ContactTable::all() {
    static const std::string sql = std::string(kContactSelect) + "ORDER BY username;";
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(sql.c_str()));
    return detail::collectRows<ContactRecord>(statement, contactFromRow);
}

StoreResult<void> ContactTable::remove(const crypto::RootId& rootId) {
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare("DELETE FROM contacts WHERE root_id = ?;"));
    CINDER_TRY(statement.bind(1, crypto::ByteView(rootId)).run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<void> ContactTable::setVerified(const crypto::RootId& rootId, bool verified) {
    // Verification is of the pinned key; a contact with a pending change cannot be verified.
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("UPDATE contacts SET verified = ?2 WHERE root_id = ?1 AND "
                                   "(?2 = 0 OR identity_changed = 0);"));
    CINDER_TRY(statement.bind(1, crypto::ByteView(rootId)).bind(2, std::int64_t{verified}).run());
    return m_db.expectChanges(verified ? StoreError::InvalidArgument : StoreError::NotFound);
}

StoreResult<void> ContactTable::flagIdentityChange(const crypto::RootId& rootId,
                                                   crypto::ByteView newRootKey) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("UPDATE contacts SET identity_changed = 1, verified = 0, "
                                   "pending_root_key = ?2 WHERE root_id = ?1;"));
    CINDER_TRY(statement.bind(1, crypto::ByteView(rootId)).bind(2, newRootKey).run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<void> ContactTable::acceptIdentityChange(const crypto::RootId& rootId) {
    CINDER_TRY_ASSIGN(
        auto statement,
        m_db.prepare("UPDATE contacts SET pinned_root_key = pending_root_key, "
                     "pending_root_key = NULL, identity_changed = 0, verified = 0, "
                     "device_list_version = 0, device_list = x'' WHERE root_id = ? AND "
                     "identity_changed = 1 AND pending_root_key IS NOT NULL;"));
    CINDER_TRY(statement.bind(1, crypto::ByteView(rootId)).run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<void> ContactTable::updateDeviceList(const crypto::RootId& rootId,
                                                 std::uint64_t version,
                                                 crypto::ByteView deviceList) {
    if (version > static_cast<std::uint64_t>(INT64_MAX)) {
        return fail(StoreError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    std::uint64_t stored = 0;
    {
        CINDER_TRY_ASSIGN(
            auto select,
            m_db.prepare("SELECT device_list_version FROM contacts WHERE root_id = ?;"));
        CINDER_TRY_ASSIGN(const bool found, select.bind(1, crypto::ByteView(rootId)).step());
        if (!found) {
            return fail(StoreError::NotFound);
        }
        stored = static_cast<std::uint64_t>(select.integer(0));
    }
    if (version <= stored) {
        return fail(StoreError::StaleVersion);
    }
    CINDER_TRY_ASSIGN(auto update, m_db.prepare("UPDATE contacts SET device_list_version = ?2, "
                                                "device_list = ?3 WHERE root_id = ?1;"));
    CINDER_TRY(update.bind(1, crypto::ByteView(rootId))
                   .bind(2, static_cast<std::int64_t>(version))
                   .bind(3, deviceList)
                   .run());
    return transaction.commit();
}

} // namespace cinder::storage
