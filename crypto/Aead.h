// SPDX-License-Identifier: Apache-2.0
#pragma once

// AES-256-GCM with a 96-bit nonce and a 128-bit tag. "Sealed" bytes are
//     nonce (12) || ciphertext || tag (16)
// AES-GCM is not key-committing: callers that must be sure every reader decrypts with the
// same key commit to that key separately (see PacketHeader.payload_key_commitment).

#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "crypto/Errors.h"
#include "crypto/Random.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"

#include <array>
#include <span>

namespace cinder::crypto {

using Nonce = std::array<std::uint8_t, kNonceSize>;

// A key schedule kept for many seal/open calls (file chunks, call frames).
class AeadContext {
public:
    // key must be kSymmetricKeySize bytes.
    static Result<AeadContext, AeadError> create(ByteView key);

    AeadContext(AeadContext&& other) noexcept;
    AeadContext& operator=(AeadContext&& other) noexcept;
    AeadContext(const AeadContext&) = delete;
    AeadContext& operator=(const AeadContext&) = delete;
    ~AeadContext();

    // Writes ciphertext || tag (plaintext.size() + kTagSize bytes) to out.
    [[nodiscard]] Result<void, AeadError> seal(const Nonce& nonce, ByteView aad, ByteView plaintext,
                                               std::span<std::uint8_t> out);
    // input is ciphertext || tag; writes input.size() - kTagSize bytes to out.
    [[nodiscard]] Result<void, AeadError> open(const Nonce& nonce, ByteView aad, ByteView input,
                                               std::span<std::uint8_t> out);

private:
    struct Contexts;
    explicit AeadContext(Contexts* contexts) : m_contexts(contexts) {}
    Contexts* m_contexts = nullptr;
};

// One-shot helpers with a random nonce prepended.
[[nodiscard]] Result<Bytes, AeadError> aeadSeal(ByteView key, ByteView aad, ByteView plaintext,
                                                RandomSource& random = systemRandom());
[[nodiscard]] Result<Bytes, AeadError> aeadOpen(ByteView key, ByteView aad, ByteView sealed);
[[nodiscard]] Result<SecureBuffer, AeadError> aeadOpenSecret(ByteView key, ByteView aad,
                                                             ByteView sealed);

} // namespace cinder::crypto
