// SPDX-License-Identifier: Apache-2.0
#include "crypto/IdentityError.h"

namespace cinder::crypto {

std::string_view describe(IdentityError error) {
    switch (error) {
    case IdentityError::Malformed:
        return "identity object is malformed";
    case IdentityError::NonCanonical:
        return "identity object is not canonically encoded";
    case IdentityError::WrongLength:
        return "identifier has the wrong length";
    case IdentityError::InvalidKey:
        return "public key is not a valid P-521 point";
    case IdentityError::BadSignature:
        return "signature does not verify";
    case IdentityError::WrongRoot:
        return "signed for another user than the pinned identity";
    case IdentityError::WrongNode:
        return "signed by another device than expected";
    case IdentityError::Rollback:
        return "device list is older than one already seen";
    case IdentityError::TooManyNodes:
        return "device list has too many devices";
    case IdentityError::DuplicateNode:
        return "device listed twice";
    case IdentityError::InvalidArgument:
        return "invalid argument";
    case IdentityError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

} // namespace cinder::crypto
