// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to libcinderstorage: flushing a file, or the folder that names it, to the disk before
// a rename makes it the one in use (attachments, the store's format migration).

#include <QString>

namespace cinder::storage::detail {

// fsync on the file or folder at path; false when it could not be opened or synced. Where the
// system has no such call for it (folders on Windows), true: the caller asks for write-through
// where it renames instead.
[[nodiscard]] bool syncFile(const QString& path);
[[nodiscard]] bool syncFolder(const QString& folder);

} // namespace cinder::storage::detail
