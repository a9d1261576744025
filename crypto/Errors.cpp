// SPDX-License-Identifier: Apache-2.0
#include "crypto/Errors.h"

namespace cinder::crypto {

std::string_view describe(CryptoError error) {
    switch (error) {
    case CryptoError::BackendFailure:
        return "the cryptographic backend failed";
    case CryptoError::InvalidArgument:
        return "invalid argument";
    }
    return "unknown error";
}

std::string_view describe(KeyError error) {
    switch (error) {
    case KeyError::WrongLength:
        return "key has the wrong length";
    case KeyError::BadEncoding:
        return "key is not an uncompressed P-521 point";
    case KeyError::NotOnCurve:
        return "point is not on P-521";
    case KeyError::InvalidScalar:
        return "private scalar out of range";
    case KeyError::KeyMismatch:
        return "private key does not match public key";
    case KeyError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

std::string_view describe(SignatureError error) {
    switch (error) {
    case SignatureError::WrongLength:
        return "signature has the wrong length";
    case SignatureError::OutOfRange:
        return "signature value out of range";
    case SignatureError::HighS:
        return "signature is not in low-s form";
    case SignatureError::Invalid:
        return "signature does not verify";
    case SignatureError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

std::string_view describe(AeadError error) {
    switch (error) {
    case AeadError::WrongKeyLength:
        return "key has the wrong length";
    case AeadError::WrongNonceLength:
        return "nonce has the wrong length";
    case AeadError::Truncated:
        return "ciphertext is truncated";
    case AeadError::AuthenticationFailed:
        return "ciphertext failed authentication";
    case AeadError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

} // namespace cinder::crypto
