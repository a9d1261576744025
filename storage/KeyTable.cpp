// SPDX-License-Identifier: Apache-2.0
// This device's identity row and its private prekey pool (KeyTable.h).

#include "storage/KeyTable.h"

#include "storage/Database.h"

namespace cinder::storage {

using crypto::fail;

StoreResult<void> KeyTable::saveIdentity(const IdentityRecord& identity) {
    CINDER_TRY_ASSIGN(
        auto statement,
        m_db.prepare("INSERT OR REPLACE INTO identity (id, username, root_id, root_public_key, "
                     "root_private_key, remote_storage_key, node_storage_root_key, node_id, "
                     "node_public_key, node_private_key, node_certificate, created_at_ms) "
                     "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);"));
    return statement.bindText(1, identity.username)
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

StoreResult<std::optional<IdentityRecord>> KeyTable::identity() {
    CINDER_TRY_ASSIGN(
        auto statement,
        m_db.prepare("SELECT username, root_id, root_public_key, root_private_key, "
                     "remote_storage_key, node_storage_root_key, node_id, node_public_key, "
                     "node_private_key, node_certificate, created_at_ms FROM identity "
                     "WHERE id = 1;"));
    CINDER_TRY_ASSIGN(const bool found, statement.step());
    if (!found) {
        return std::optional<IdentityRecord>();
    }
    IdentityRecord identity;
    identity.username = statement.text(0);
    if (!detail::readFixed(statement, 1, identity.rootId) ||
        !detail::readFixed(statement, 6, identity.nodeId)) {
        return fail(StoreError::Corrupt);
    }
    identity.rootPublicKey = statement.blob(2);
    identity.rootPrivateKey = statement.secret(3);
    identity.remoteStorageKey = statement.secret(4);
    identity.nodeStorageRootKey = statement.secret(5);
    identity.nodePublicKey = statement.blob(7);
    identity.nodePrivateKey = statement.secret(8);
    identity.nodeCertificate = statement.blob(9);
    identity.createdAtMs = statement.integer(10);
    return std::optional<IdentityRecord>(std::move(identity));
}

StoreResult<void> KeyTable::savePrekeys(std::span<const PrekeyRecord> prekeys) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("INSERT OR REPLACE INTO prekeys (prekey_id, private_key, "
                                   "public_key, last_resort, created_at_ms) "
                                   "VALUES (?, ?, ?, ?, ?);"));
    for (const PrekeyRecord& prekey : prekeys) {
        statement.bind(1, crypto::ByteView(prekey.id))
            .bind(2, prekey.privateKey.view())
            .bind(3, crypto::ByteView(prekey.publicKey))
            .bind(4, std::int64_t{prekey.lastResort})
            .bind(5, prekey.createdAtMs);
        CINDER_TRY(statement.run());
        statement.reset();
    }
    return transaction.commit();
}

StoreResult<std::vector<PrekeyRecord>> KeyTable::prekeys() {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("SELECT prekey_id, private_key, public_key, last_resort, "
                                   "created_at_ms FROM prekeys ORDER BY prekey_id;"));
    return detail::collectRows<PrekeyRecord>(
        statement, [](const detail::Statement& row) -> StoreResult<PrekeyRecord> {
            PrekeyRecord prekey;
            if (!detail::readFixed(row, 0, prekey.id)) {
                return fail(StoreError::Corrupt);
            }
            prekey.privateKey = row.secret(1);
            prekey.publicKey = row.blob(2);
            prekey.lastResort = row.integer(3) != 0;
            prekey.createdAtMs = row.integer(4);
            return prekey;
        });
}

StoreResult<void> KeyTable::deletePrekey(const crypto::PrekeyId& id) {
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare("DELETE FROM prekeys WHERE prekey_id = ?;"));
    CINDER_TRY(statement.bind(1, crypto::ByteView(id)).run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<void> KeyTable::savePrekeyPool(const crypto::EphemeralKeyPool& pool) {
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
        record.createdAtMs = m_clock();
        records.push_back(std::move(record));
    }
    return savePrekeys(records);
}

StoreResult<crypto::EphemeralKeyPool> KeyTable::loadPrekeyPool() {
    CINDER_TRY_ASSIGN(const auto stored, prekeys());
    crypto::EphemeralKeyPool pool;
    for (const PrekeyRecord& prekey : stored) {
        auto key = crypto::KeyPair::fromPrivate(prekey.privateKey.view(), prekey.publicKey);
        if (!key) {
            return fail(StoreError::Corrupt);
        }
        pool.insert(prekey.id, std::move(key).value(), prekey.lastResort);
    }
    return pool;
}

} // namespace cinder::storage
