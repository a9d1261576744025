// SPDX-License-Identifier: Apache-2.0
#pragma once

// This device's own keys (docs/ARCHITECTURE.md, "Storage"): the identity row (username, root
// and node keys, the node certificate) and the private prekey pool. Private keys are plain
// columns: the whole database is encrypted with Klds.

#include "crypto/EphemeralKeyPool.h"
#include "storage/Records.h"
#include "storage/StoreTypes.h"

#include <optional>
#include <span>
#include <vector>

namespace cinder::storage {

class KeyTable {
public:
    KeyTable(detail::Database& db, const Clock& clock) : m_db(db), m_clock(clock) {}

    [[nodiscard]] StoreResult<void> saveIdentity(const IdentityRecord& identity);
    [[nodiscard]] StoreResult<std::optional<IdentityRecord>> identity();

    [[nodiscard]] StoreResult<void> savePrekeys(std::span<const PrekeyRecord> prekeys);
    [[nodiscard]] StoreResult<std::vector<PrekeyRecord>> prekeys();
    [[nodiscard]] StoreResult<void> deletePrekey(const crypto::PrekeyId& id);
    // Every entry of the pool, with its private scalar (replaces rows of the same id).
    [[nodiscard]] StoreResult<void> savePrekeyPool(const crypto::EphemeralKeyPool& pool);
    // The pool as stored; Corrupt when a stored pair does not belong together.
    [[nodiscard]] StoreResult<crypto::EphemeralKeyPool> loadPrekeyPool();

private:
    detail::Database& m_db;
    const Clock& m_clock;
};

} // namespace cinder::storage
