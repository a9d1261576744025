// SPDX-License-Identifier: Apache-2.0
#pragma once

// Contacts and their devices (docs/ARCHITECTURE.md, "Storage"): the pinned root key, the
// verification state, a pending identity change and the newest signed device list seen.

#include "storage/Records.h"
#include "storage/StoreTypes.h"

#include <optional>
#include <string_view>
#include <vector>

namespace cinder::storage {

class ContactTable {
public:
    explicit ContactTable(detail::Database& db) : m_db(db) {}

    // Inserts, or updates the contact with the same root id.
    [[nodiscard]] StoreResult<void> save(const ContactRecord& contact);
    [[nodiscard]] StoreResult<std::optional<ContactRecord>> find(const crypto::RootId& rootId);
    [[nodiscard]] StoreResult<std::optional<ContactRecord>>
    findByUsername(std::string_view username);
    [[nodiscard]] StoreResult<std::vector<ContactRecord>> all(); // by username
    [[nodiscard]] StoreResult<void> remove(const crypto::RootId& rootId);
    [[nodiscard]] StoreResult<void> setVerified(const crypto::RootId& rootId, bool verified);
    // A different PKr was seen: flag the contact, keep the pinned key, clear verification.
    [[nodiscard]] StoreResult<void> flagIdentityChange(const crypto::RootId& rootId,
                                                       crypto::ByteView newRootKey);
    // The user accepted the change: pin the pending key, clear the flag (unverified).
    [[nodiscard]] StoreResult<void> acceptIdentityChange(const crypto::RootId& rootId);
    // Stores a signed device list; StaleVersion unless version is above the stored one.
    [[nodiscard]] StoreResult<void> updateDeviceList(const crypto::RootId& rootId,
                                                     std::uint64_t version,
                                                     crypto::ByteView deviceList);

private:
    detail::Database& m_db;
};

} // namespace cinder::storage
