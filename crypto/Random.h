// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where random bytes come from. Production code uses systemRandom() (OpenSSL RAND_bytes);
// the known-answer vector generator substitutes a deterministic source through the same
// interface so that symmetric keys, identifiers and nonces can be replayed in tests.

#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"

#include <span>

namespace cinder::crypto {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    // Fills out with random bytes. A failure of the system generator aborts the process:
    // continuing without randomness would silently break every guarantee.
    virtual void fill(std::span<std::uint8_t> out) = 0;

    [[nodiscard]] Bytes bytes(std::size_t count);
    [[nodiscard]] SecureBuffer secret(std::size_t count);
};

// RAND_bytes from OpenSSL's default library context.
[[nodiscard]] RandomSource& systemRandom();

} // namespace cinder::crypto
