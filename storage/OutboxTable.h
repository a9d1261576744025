// SPDX-License-Identifier: Apache-2.0
#pragma once

// The outbox (docs/ARCHITECTURE.md, "Storage"): packets written while offline, oldest first,
// with how often sending them was tried. An item expires with its message.

#include "storage/Records.h"
#include "storage/StoreTypes.h"

#include <vector>

namespace cinder::storage {

class OutboxTable {
public:
    explicit OutboxTable(detail::Database& db) : m_db(db) {}

    [[nodiscard]] StoreResult<std::int64_t> enqueue(const OutboxItem& item);
    // Oldest first.
    [[nodiscard]] StoreResult<std::vector<OutboxItem>> peek(int limit = 100);
    [[nodiscard]] StoreResult<void> remove(std::int64_t id);
    [[nodiscard]] StoreResult<void> recordAttempt(std::int64_t id);
    // For the store's expiry run: drops every item expired at nowMs.
    [[nodiscard]] StoreResult<void> deleteExpired(std::int64_t nowMs);

private:
    detail::Database& m_db;
};

} // namespace cinder::storage
