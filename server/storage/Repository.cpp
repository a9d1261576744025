// SPDX-License-Identifier: Apache-2.0
#include "server/storage/Repository.h"

namespace cinder::server {

std::string_view describe(StoreError error) {
    switch (error) {
    case StoreError::NotFound:
        return "not found";
    case StoreError::Conflict:
        return "conflict";
    case StoreError::Invalid:
        return "invalid";
    case StoreError::Unavailable:
        return "database unavailable";
    }
    return "unknown storage error";
}

} // namespace cinder::server
