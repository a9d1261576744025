// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace cinder::crypto {

// Creating, signing or verifying identity objects: root and node identities, node
// certificates, device lists, signed prekeys and login proofs.
enum class IdentityError {
    Malformed,       // not a parseable object
    NonCanonical,    // parseable, but not the one canonical encoding
    WrongLength,     // an identifier has the wrong size
    InvalidKey,      // a public key is not a valid P-521 point
    BadSignature,    // the signature does not verify (or is not low-s)
    WrongRoot,       // signed for another user than the pinned one
    WrongNode,       // signed by another device than expected
    Rollback,        // a device list older than one already seen
    TooManyNodes,    // more devices than kMaxDeviceListNodes
    DuplicateNode,   // one device listed twice
    InvalidArgument, // caller passed something unusable
    BackendFailure,
};

[[nodiscard]] std::string_view describe(IdentityError error);

} // namespace cinder::crypto
