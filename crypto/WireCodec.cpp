// SPDX-License-Identifier: Apache-2.0
#include "crypto/WireCodec.h"

namespace cinder::crypto {

std::string_view describe(WireError error) {
    switch (error) {
    case WireError::Empty:
        return "no data";
    case WireError::Oversized:
        return "object is larger than allowed";
    case WireError::Malformed:
        return "object is malformed";
    case WireError::NonCanonical:
        return "object is not canonically encoded";
    }
    return "unknown error";
}

} // namespace cinder::crypto
