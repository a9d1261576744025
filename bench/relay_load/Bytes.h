// SPDX-License-Identifier: Apache-2.0
#pragma once

// Protobuf bytes fields are std::string; the crypto library hands out byte views.

#include "crypto/Bytes.h"

#include <string>

namespace cinder::bench {

inline std::string str(crypto::ByteView bytes) {
    return crypto::toStdString(bytes);
}

} // namespace cinder::bench
