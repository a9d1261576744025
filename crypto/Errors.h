// SPDX-License-Identifier: Apache-2.0
#pragma once

// Errors of the primitives (keys, signatures, AEAD, KDF). Each higher-level operation has
// its own error enum in its own header (DecodeError in PacketDecoder.h, and so on).

#include <string_view>

namespace cinder::crypto {

// Something OpenSSL or libscrypt refused for a reason the caller cannot fix (out of memory,
// a missing algorithm). Never carries secret data.
enum class CryptoError {
    BackendFailure,
    InvalidArgument,
};

enum class KeyError {
    WrongLength,   // encoded key is not kPublicKeySize / kPrivateKeySize bytes
    BadEncoding,   // not an uncompressed point (first byte not 0x04)
    NotOnCurve,    // the point is not on P-521, or is the point at infinity
    InvalidScalar, // private scalar is 0 or >= group order
    KeyMismatch,   // private scalar does not belong to the public point
    BackendFailure,
};

enum class SignatureError {
    WrongLength, // not kSignatureSize bytes
    OutOfRange,  // r or s is 0 or >= group order
    HighS,       // s > order / 2: a second encoding of a valid signature
    Invalid,     // does not verify
    BackendFailure,
};

enum class AeadError {
    WrongKeyLength,
    WrongNonceLength,
    Truncated,            // shorter than nonce + tag
    AuthenticationFailed, // wrong key, tampered ciphertext or associated data
    BackendFailure,
};

[[nodiscard]] std::string_view describe(CryptoError error);
[[nodiscard]] std::string_view describe(KeyError error);
[[nodiscard]] std::string_view describe(SignatureError error);
[[nodiscard]] std::string_view describe(AeadError error);

} // namespace cinder::crypto
