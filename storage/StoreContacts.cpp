// SPDX-License-Identifier: Apache-2.0
// Own identity, the private prekey pool and contacts (pinned root keys, verification, device
// lists). Private keys are plain columns here: the whole database is encrypted with Klds.

#include "storage/Store.h"

#include "storage/Database.h"
#include "storage/StorageLogging.h"

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

StoreResult<std::vector<ContactRecord>> collectContacts(Statement& statement) {
    return collectRows<ContactRecord>(statement, contactFromRow);
}

StoreResult<std::optional<ContactRecord>> firstContact(Statement& statement) {
    auto found = collectContacts(statement);
    if (!found) {
        return fail(found.error());
    }
    if (found->empty()) {
        return std::optional<ContactRecord>();
    }
    return std::optional<ContactRecord>(std::move(found->front()));
}

} // namespace

// --- Identity ---

StoreResult<void> Store::saveIdentity(const IdentityRecord& identity) {
    auto statement = m_db->prepare(
        "INSERT OR REPLACE INTO identity (id, username, root_id, root_public_key, "
        "root_private_key, remote_storage_key, node_storage_root_key, node_id, node_public_key, "
        "node_private_key, node_certificate, created_at_ms) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);");
    if (!statement) {
        return fail(statement.error());
    }
    return statement->bindText(1, identity.username)
        .bind(2, crypto::ByteView(identity.rootId))
        .bind(3, crypto::ByteView(identity.rootPublicKey))
        .bind(4, identity.rootPrivateKey.view())
        .bind(5, identity.remoteStorageKey.view())
        .bind(6, identity.nodeStorageRootKey.view())
        .bind(7, crypto::ByteView(identity.nodeId))
        .bind(8, crypto::ByteView(identity.nodePublicKey))
        .bind(9, identity.nodePrivateKey.view())
        .bind(10, crypto::ByteView(identity.nodeCertificate))
        .bind(11, identity.createdAtMs)
        .run();
}

StoreResult<std::optional<IdentityRecord>> Store::identity() {
    auto statement = m_db->prepare(
        "SELECT username, root_id, root_public_key, root_private_key, remote_storage_key, "
        "node_storage_root_key, node_id, node_public_key, node_private_key, node_certificate, "
        "created_at_ms FROM identity WHERE id = 1;");
    if (!statement) {
        return fail(statement.error());
    }
    auto row = statement->step();
    if (!row) {
        return fail(row.error());
    }
    if (!*row) {
        return std::optional<IdentityRecord>();
    }
    IdentityRecord identity;
    identity.username = statement->text(0);
    if (!detail::readFixed(*statement, 1, identity.rootId) ||
        !detail::readFixed(*statement, 6, identity.nodeId)) {
        return fail(StoreError::Corrupt);
    }
    identity.rootPublicKey = statement->blob(2);
    identity.rootPrivateKey = statement->secret(3);
    identity.remoteStorageKey = statement->secret(4);
    identity.nodeStorageRootKey = statement->secret(5);
    identity.nodePublicKey = statement->blob(7);
    identity.nodePrivateKey = statement->secret(8);
    identity.nodeCertificate = statement->blob(9);
    identity.createdAtMs = statement->integer(10);
    return std::optional<IdentityRecord>(std::move(identity));
}

// --- Prekeys ---

StoreResult<void> Store::savePrekeys(std::span<const PrekeyRecord> prekeys) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    auto statement =
        m_db->prepare("INSERT OR REPLACE INTO prekeys (prekey_id, private_key, "
                      "public_key, last_resort, created_at_ms) VALUES (?, ?, ?, ?, ?);");
    if (!statement) {
        return fail(statement.error());
    }
    for (const PrekeyRecord& prekey : prekeys) {
        statement->bind(1, crypto::ByteView(prekey.id))
            .bind(2, prekey.privateKey.view())
            .bind(3, crypto::ByteView(prekey.publicKey))
            .bind(4, std::int64_t{prekey.lastResort})
            .bind(5, prekey.createdAtMs);
        if (auto saved = statement->run(); !saved) {
            return fail(saved.error());
        }
        statement->reset();
    }
    return transaction->commit();
}

StoreResult<std::vector<PrekeyRecord>> Store::prekeys() {
    auto statement = m_db->prepare("SELECT prekey_id, private_key, public_key, last_resort, "
                                   "created_at_ms FROM prekeys ORDER BY prekey_id;");
    if (!statement) {
        return fail(statement.error());
    }
    std::vector<PrekeyRecord> out;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        PrekeyRecord prekey;
        if (!detail::readFixed(*statement, 0, prekey.id)) {
            return fail(StoreError::Corrupt);
        }
        prekey.privateKey = statement->secret(1);
        prekey.publicKey = statement->blob(2);
        prekey.lastResort = statement->integer(3) != 0;
        prekey.createdAtMs = statement->integer(4);
        out.push_back(std::move(prekey));
    }
    return out;
}

StoreResult<void> Store::deletePrekey(const crypto::PrekeyId& id) {
    auto statement = m_db->prepare("DELETE FROM prekeys WHERE prekey_id = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    if (auto removed = statement->bind(1, crypto::ByteView(id)).run(); !removed) {
        return fail(removed.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

StoreResult<void> Store::savePrekeyPool(const crypto::EphemeralKeyPool& pool) {
    std::vector<PrekeyRecord> records;
    records.reserve(pool.size());
    for (const auto& [id, entry] : pool.entries()) {
        auto scalar = entry.key.exportPrivate();
        if (!scalar) {
            return fail(StoreError::InvalidArgument);
        }
        PrekeyRecord record;
        record.id = id;
        record.privateKey = std::move(scalar).value();
        record.publicKey = entry.key.publicKey().bytes();
        record.lastResort = entry.lastResort;
        record.createdAtMs = now();
        records.push_back(std::move(record));
    }
    return savePrekeys(records);
}

StoreResult<crypto::EphemeralKeyPool> Store::loadPrekeyPool() {
    auto stored = prekeys();
    if (!stored) {
        return fail(stored.error());
    }
    crypto::EphemeralKeyPool pool;
    for (const PrekeyRecord& prekey : *stored) {
        auto key = crypto::KeyPair::fromPrivate(prekey.privateKey.view(), prekey.publicKey);
        if (!key) {
            return fail(StoreError::Corrupt);
        }
        pool.insert(prekey.id, std::move(key).value(), prekey.lastResort);
    }
    return pool;
}

// --- Contacts ---

StoreResult<void> Store::saveContact(const ContactRecord& c) {
    if (c.username.empty()) {
        return fail(StoreError::InvalidArgument);
    }
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    const std::int64_t version = static_cast<std::int64_t>(c.deviceListVersion);
    {
        auto update = m_db->prepare(
            "UPDATE contacts SET username = ?2, display_name = ?3, pinned_root_key = ?4, "
            "verified = ?5, identity_changed = ?6, pending_root_key = ?7, "
            "device_list_version = ?8, device_list = ?9 WHERE root_id = ?1;");
        if (!update) {
            return fail(update.error());
        }
        update->bind(1, crypto::ByteView(c.rootId))
            .bindText(2, c.username)
            .bindText(3, c.displayName)
            .bind(4, crypto::ByteView(c.pinnedRootKey))
            .bind(5, std::int64_t{c.verified})
            .bind(6, std::int64_t{c.identityChanged})
            .bind(7, c.pendingRootKey)
            .bind(8, version)
            .bind(9, crypto::ByteView(c.deviceList));
        if (auto updated = update->run(); !updated) {
            return fail(updated.error());
        }
    }
    if (m_db->changes() == 0) {
        auto insert = m_db->prepare(
            "INSERT INTO contacts (root_id, username, display_name, pinned_root_key, verified, "
            "identity_changed, pending_root_key, device_list_version, device_list, added_at_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?);");
        if (!insert) {
            return fail(insert.error());
        }
        insert->bind(1, crypto::ByteView(c.rootId))
            .bindText(2, c.username)
            .bindText(3, c.displayName)
            .bind(4, crypto::ByteView(c.pinnedRootKey))
            .bind(5, std::int64_t{c.verified})
            .bind(6, std::int64_t{c.identityChanged})
            .bind(7, c.pendingRootKey)
            .bind(8, version)
            .bind(9, crypto::ByteView(c.deviceList))
            .bind(10, c.addedAtMs);
        if (auto inserted = insert->run(); !inserted) {
            return fail(inserted.error());
        }
    }
    return transaction->commit();
}

StoreResult<std::optional<ContactRecord>> Store::contact(const crypto::RootId& rootId) {
    static const std::string sql = std::string(kContactSelect) + "WHERE root_id = ?;";
    auto statement = m_db->prepare(sql.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    statement->bind(1, crypto::ByteView(rootId));
    return firstContact(*statement);
}

StoreResult<std::optional<ContactRecord>> Store::contactByUsername(std::string_view username) {
    static const std::string sql = std::string(kContactSelect) + "WHERE username = ?;";
    auto statement = m_db->prepare(sql.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    statement->bindText(1, username);
    return firstContact(*statement);
}

StoreResult<std::vector<ContactRecord>> Store::contacts() {
    static const std::string sql = std::string(kContactSelect) + "ORDER BY username;";
    auto statement = m_db->prepare(sql.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    return collectContacts(*statement);
}

StoreResult<void> Store::removeContact(const crypto::RootId& rootId) {
    auto statement = m_db->prepare("DELETE FROM contacts WHERE root_id = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    if (auto removed = statement->bind(1, crypto::ByteView(rootId)).run(); !removed) {
        return fail(removed.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

StoreResult<void> Store::setContactVerified(const crypto::RootId& rootId, bool verified) {
    // Verification is of the pinned key; a contact with a pending change cannot be verified.
    auto statement = m_db->prepare("UPDATE contacts SET verified = ?2 WHERE root_id = ?1 AND (?2 = "
                                   "0 OR identity_changed = 0);");
    if (!statement) {
        return fail(statement.error());
    }
    statement->bind(1, crypto::ByteView(rootId)).bind(2, std::int64_t{verified});
    if (auto updated = statement->run(); !updated) {
        return fail(updated.error());
    }
    if (m_db->changes() == 0) {
        return fail(verified ? StoreError::InvalidArgument : StoreError::NotFound);
    }
    return {};
}

StoreResult<void> Store::flagIdentityChange(const crypto::RootId& rootId,
                                            crypto::ByteView newRootKey) {
    auto statement = m_db->prepare("UPDATE contacts SET identity_changed = 1, verified = 0, "
                                   "pending_root_key = ?2 WHERE root_id = ?1;");
    if (!statement) {
        return fail(statement.error());
    }
    if (auto updated = statement->bind(1, crypto::ByteView(rootId)).bind(2, newRootKey).run();
        !updated) {
        return fail(updated.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

StoreResult<void> Store::acceptIdentityChange(const crypto::RootId& rootId) {
    auto statement = m_db->prepare(
        "UPDATE contacts SET pinned_root_key = pending_root_key, pending_root_key = NULL, "
        "identity_changed = 0, verified = 0, device_list_version = 0, device_list = x'' "
        "WHERE root_id = ? AND identity_changed = 1 AND pending_root_key IS NOT NULL;");
    if (!statement) {
        return fail(statement.error());
    }
    if (auto updated = statement->bind(1, crypto::ByteView(rootId)).run(); !updated) {
        return fail(updated.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

StoreResult<void> Store::updateDeviceList(const crypto::RootId& rootId, std::uint64_t version,
                                          crypto::ByteView deviceList) {
    if (version > static_cast<std::uint64_t>(INT64_MAX)) {
        return fail(StoreError::InvalidArgument);
    }
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    std::uint64_t stored = 0;
    {
        auto select = m_db->prepare("SELECT device_list_version FROM contacts WHERE root_id = ?;");
        if (!select) {
            return fail(select.error());
        }
        auto row = select->bind(1, crypto::ByteView(rootId)).step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            return fail(StoreError::NotFound);
        }
        stored = static_cast<std::uint64_t>(select->integer(0));
    }
    if (version <= stored) {
        return fail(StoreError::StaleVersion);
    }
    auto update = m_db->prepare(
        "UPDATE contacts SET device_list_version = ?2, device_list = ?3 WHERE root_id = ?1;");
    if (!update) {
        return fail(update.error());
    }
    update->bind(1, crypto::ByteView(rootId))
        .bind(2, static_cast<std::int64_t>(version))
        .bind(3, deviceList);
    if (auto updated = update->run(); !updated) {
        return fail(updated.error());
    }
    return transaction->commit();
}

} // namespace cinder::storage
