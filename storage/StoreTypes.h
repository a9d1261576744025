// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the store's table owners share: the result type, the clock and the file names.

#include "crypto/Result.h"
#include "storage/StorageError.h"

#include <cstdint>
#include <functional>
#include <string_view>

namespace cinder::storage {

namespace detail {
class Database;
class Statement;
} // namespace detail

template <typename T>
using StoreResult = crypto::Result<T, StoreError>;

using Clock = std::function<std::int64_t()>; // ms since the epoch

inline constexpr std::string_view kDatabaseFileName = "store.db";
inline constexpr std::string_view kAttachmentsFolderName = "attachments";
inline constexpr int kMaxPageSize = 500;

} // namespace cinder::storage
