// SPDX-License-Identifier: Apache-2.0
#include "crypto/StackScrub.h"

#include "crypto/SecureBuffer.h"

#include <array>
#include <cstdint>

namespace cinder::crypto {

// Not inlined, so its frame lies below the caller's; OPENSSL_cleanse (secureWipe) is not
// optimised away as a dead store.
[[gnu::noinline]] void scrubStack() {
    std::array<std::uint8_t, kStackScrubBytes> area;
    secureWipe(area.data(), area.size());
}

} // namespace cinder::crypto
