// SPDX-License-Identifier: Apache-2.0
#pragma once

// Key derivation: HKDF-SHA-256 for keys derived from key material, scrypt for passphrases.

#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "crypto/Errors.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"

#include <cstdint>
#include <string_view>

namespace cinder::crypto {

// HKDF (RFC 5869) with SHA-256; info is one of the label:: constants, so every derived key
// has its own context.
[[nodiscard]] Result<SecureBuffer, CryptoError> hkdfSha256(ByteView keyMaterial,
                                                           std::string_view info,
                                                           std::size_t length = kSymmetricKeySize,
                                                           ByteView salt = {});

struct ScryptCost {
    std::uint32_t log2N = 17; // N = 2^17 (docs/PROTOCOL.md §2)
    std::uint32_t r = 8;
    std::uint32_t p = 1;
};

// Bounds a decoder accepts for stored scrypt parameters: a server or a file cannot make a
// client allocate gigabytes (N=2^22, r=8 needs 4 GiB) or spin forever, nor weaken the KDF.
inline constexpr std::uint32_t kScryptMinLog2N = 10;
inline constexpr std::uint32_t kScryptMaxLog2N = 21;
inline constexpr std::uint32_t kScryptMaxR = 16;
inline constexpr std::uint32_t kScryptMaxP = 4;
inline constexpr std::size_t kScryptSaltSize = 32;
// scrypt needs 128 * r * N bytes; the pair is refused above this even when each is in range.
inline constexpr std::uint64_t kScryptMaxMemoryBytes = 1ULL << 30;

[[nodiscard]] bool scryptCostInBounds(const ScryptCost& cost);

[[nodiscard]] Result<SecureBuffer, CryptoError> scrypt(ByteView passphrase, ByteView salt,
                                                       const ScryptCost& cost,
                                                       std::size_t length = kSymmetricKeySize);

} // namespace cinder::crypto
