// SPDX-License-Identifier: Apache-2.0
#pragma once

// P-521 keys for ECDH and ECDSA (cipher suite 1).
//
// A PublicKey is validated exactly once, when it is decoded from bytes (on the curve, not the
// point at infinity; P-521 has cofactor 1, so that is a full validation), and keeps OpenSSL's
// parsed form. Key agreement then derives without re-validating the peer, which is what makes
// encrypting to a hundred devices cheap.
//
// Signatures are ECDSA with SHA-512 over Transcript(label, ...), encoded as fixed-size r || s
// with s <= n/2 (low-s), so each signature has exactly one valid encoding.

#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "crypto/Errors.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"
#include "crypto/Transcript.h"

#include <array>
#include <memory>
#include <string>

typedef struct evp_pkey_st EVP_PKEY;

namespace cinder::crypto {

using Signature = std::array<std::uint8_t, kSignatureSize>;

class PublicKey {
public:
    // Decodes and validates an uncompressed point (0x04 || X || Y).
    static Result<PublicKey, KeyError> fromBytes(ByteView encoded);

    [[nodiscard]] const Bytes& bytes() const { return m_encoded; }
    [[nodiscard]] EVP_PKEY* handle() const { return m_key.get(); }
    [[nodiscard]] bool operator==(const PublicKey& other) const {
        return m_encoded == other.m_encoded;
    }

    // Checks an ECDSA signature made by the matching private key over Transcript t.
    [[nodiscard]] Result<void, SignatureError> verify(const Transcript& signedData,
                                                      ByteView signature) const;

private:
    PublicKey(std::shared_ptr<EVP_PKEY> key, Bytes encoded)
        : m_key(std::move(key)), m_encoded(std::move(encoded)) {}
    std::shared_ptr<EVP_PKEY> m_key; // immutable once built, so shared across threads
    Bytes m_encoded;
};

class KeyPair {
public:
    static Result<KeyPair, KeyError> generate();
    // Restores a pair from its stored scalar and public point; checks they belong together.
    static Result<KeyPair, KeyError> fromPrivate(ByteView scalar, ByteView publicKey);

    KeyPair(KeyPair&&) noexcept = default;
    KeyPair& operator=(KeyPair&&) noexcept = default;
    KeyPair(const KeyPair&) = delete;
    KeyPair& operator=(const KeyPair&) = delete;

    [[nodiscard]] const PublicKey& publicKey() const { return m_public; }
    // The private scalar, big-endian, kPrivateKeySize bytes, for sealed storage.
    [[nodiscard]] Result<SecureBuffer, KeyError> exportPrivate() const;

    [[nodiscard]] Result<Signature, CryptoError> sign(const Transcript& signedData) const;

    // ECDH: the X coordinate of the shared point (kSharedSecretSize bytes). The peer was
    // validated when its PublicKey was built.
    [[nodiscard]] Result<SecureBuffer, CryptoError> agree(const PublicKey& peer) const;

    // What logging a key pair prints: the public half only.
    [[nodiscard]] std::string describe() const;

private:
    KeyPair(std::shared_ptr<EVP_PKEY> key, PublicKey publicKey)
        : m_private(std::move(key)), m_public(std::move(publicKey)) {}
    std::shared_ptr<EVP_PKEY> m_private;
    PublicKey m_public;
};

} // namespace cinder::crypto
