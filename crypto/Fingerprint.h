// SPDX-License-Identifier: Apache-2.0
#pragma once

// Key verification (paper, "Identity Keys": a user's identity is associated with PKr and the
// association is pinned; docs/PROTOCOL.md §10).
//
//     fingerprint = SHA-512(Transcript(kFingerprint, IDr, PKr))                 64 bytes
//     digits      = 12 groups of 5 digits: big-endian 5-byte chunk i of the hash mod 100000
//     safety code = digits(SHA-512(Transcript(kSafetyCode, min(fpA, fpB), max(fpA, fpB))))
//     QR payload  = VerificationQr{version, IDr, fingerprint} (canonical protobuf)
//
// Both users see the same safety code because the two fingerprints enter it in byte order.
// 60 decimal digits carry ~199 bits, so no preimage search can match a displayed code.

#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "crypto/EcKeys.h"
#include "crypto/Identifiers.h"
#include "crypto/Result.h"

#include <array>
#include <string>
#include <string_view>

namespace cinder::crypto {

enum class FingerprintError {
    Malformed,           // not a canonical VerificationQr, or a field has the wrong length
    UnsupportedVersion,  // VerificationQr version is not kVerificationQrVersion
    DifferentUser,       // the scanned code names another IDr than the expected one
    FingerprintMismatch, // same IDr, other key: not the key pinned for this user
};

[[nodiscard]] std::string_view describe(FingerprintError error);

using Fingerprint = std::array<std::uint8_t, kFingerprintSize>;

[[nodiscard]] Fingerprint computeFingerprint(const RootId& rootId, const PublicKey& rootKey);

// "01234 56789 …": kFingerprintGroups groups of kFingerprintGroupDigits digits, separated by
// single spaces.
[[nodiscard]] std::string renderFingerprint(const Fingerprint& fingerprint);

// The digits both users compare; safetyCode(a, b) == safetyCode(b, a).
[[nodiscard]] std::string safetyCode(const Fingerprint& mine, const Fingerprint& theirs);

// What a device shows as a QR code for its user.
[[nodiscard]] Bytes encodeVerificationQr(const RootId& rootId, const PublicKey& rootKey);

struct VerificationQrPayload {
    RootId rootId{};
    Fingerprint fingerprint{};
};

// Strict: canonical encoding, version, and exact lengths.
[[nodiscard]] Result<VerificationQrPayload, FingerprintError> parseVerificationQr(ByteView payload);

// Scanning a peer's screen: succeeds only when the code is for expectedRootId and carries the
// fingerprint of expectedRootKey (the key pinned for that user), so the peer can be marked
// verified. Any other outcome is a typed failure.
[[nodiscard]] Result<void, FingerprintError>
verifyScannedQr(ByteView payload, const RootId& expectedRootId, const PublicKey& expectedRootKey);

} // namespace cinder::crypto
