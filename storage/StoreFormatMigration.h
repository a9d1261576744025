// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to libcinderstorage: opening the store file, and moving a file that Cinder wrote with
// SQLCipher 3 (Debian 12's 3.4, HMAC-SHA1 pages) to the SQLCipher 4 format in place.
//
// The move is a copy, a check, then a swap, so that a crash at any moment leaves exactly one
// readable store at the store's path:
//   1. the old file's write-ahead log is folded into it and the file left in rollback-journal
//      mode (a log must never sit beside a file it was not written for);
//   2. every table, row, index and trigger is copied into "<path>.migrating" in one transaction;
//   3. the copy passes SQLite's integrity check and holds as many rows per table as the old file;
//   4. the copy is renamed over the old file (an atomic replace) and the folder is synced.
// A "<path>.migrating" left by a crash before step 4 is deleted and the move starts again from
// the old file, which is untouched until the rename.

#include "storage/Database.h"

#include <functional>

namespace cinder::storage::detail {

enum class MigrationStep {
    OldLogFolded, // step 1 done
    CopyStarted,  // step 2 under way: schema and the first table written, not committed
    CopyWritten,  // step 2 committed
    CopyVerified, // step 3 done
    Swapped,      // step 4 done
};

// Called after each step; tests end the process there to show a crash loses nothing.
using MigrationHook = std::function<void(MigrationStep)>;

// The suffix of the copy under construction, and of the lock every open takes.
inline constexpr const char* kMigratingSuffix = ".migrating";
inline constexpr const char* kLockSuffix = ".lock";

// Opens (creating if needed) the SQLCipher 4 store at path; a file in the old format is migrated
// first. A key that opens the file in neither format is WrongKey. Holds "<path>.lock" while it
// runs, so that one process at a time opens or migrates the file (Busy after a long wait).
[[nodiscard]] StoreResult<std::unique_ptr<Database>>
openCurrentFormat(const QString& path, const crypto::SecureBuffer& key,
                  const MigrationHook& hook = {});

} // namespace cinder::storage::detail
