// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal: numbered schema migrations. schema_version holds one row per applied migration;
// each runs in its own transaction, so a crash leaves the store at a whole version.

#include "storage/Database.h"

namespace cinder::storage::detail {

// The highest version this build knows.
[[nodiscard]] int latestSchemaVersion();

// Applies every migration above the stored version; refuses a store newer than this build.
// Returns the resulting version. Running it again changes nothing.
[[nodiscard]] StoreResult<int> migrate(Database& db, std::int64_t nowMs);

} // namespace cinder::storage::detail
