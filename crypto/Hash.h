// SPDX-License-Identifier: Apache-2.0
#pragma once

// SHA-256 and SHA-512 over EVP_Digest with algorithms fetched once.

#include "crypto/Bytes.h"

#include <array>

namespace cinder::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;
using Sha512Digest = std::array<std::uint8_t, 64>;

[[nodiscard]] Sha256Digest sha256(ByteView data);
[[nodiscard]] Sha512Digest sha512(ByteView data);

// Incremental SHA-256 for data that arrives in pieces (file chunks).
class Sha256Stream {
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;

    void update(ByteView data);
    [[nodiscard]] Sha256Digest finish();

private:
    struct State;
    State* m_state;
};

} // namespace cinder::crypto
