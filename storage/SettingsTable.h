// SPDX-License-Identifier: Apache-2.0
#pragma once

// Settings of this account on this device (docs/ARCHITECTURE.md, "Storage"): opaque values by
// key, inside the encrypted database.

#include "crypto/Bytes.h"
#include "storage/StoreTypes.h"

#include <optional>
#include <string_view>

namespace cinder::storage {

class SettingsTable {
public:
    explicit SettingsTable(detail::Database& db) : m_db(db) {}

    [[nodiscard]] StoreResult<void> set(std::string_view key, crypto::ByteView value);
    [[nodiscard]] StoreResult<std::optional<crypto::Bytes>> get(std::string_view key);
    [[nodiscard]] StoreResult<void> remove(std::string_view key);

private:
    detail::Database& m_db;
};

} // namespace cinder::storage
