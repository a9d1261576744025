// SPDX-License-Identifier: Apache-2.0
// Paper, "Identity Keys": "The Wickr app provides multiple means to associate a Root Identity
// Public Key with a human user. Once established, this association is saved, or 'pinned'."
// docs/PROTOCOL.md §10: a user's key verification string is derived from PKr (SHA-512,
// rendered as digit groups); a pair's safety code combines both users' strings in a fixed
// order. QR payload = version || IDr || fingerprint.
//
//     fingerprint = SHA-512(T(kFingerprint, RootId: IDr, RootPublicKey: PKr))
//     group i     = uint40_be(fingerprint[5i .. 5i+5]) mod 10^5,  i = 0 .. 11
//     safety code = groups of SHA-512(T(kSafetyCode, Data: lower fp, Data: higher fp))
#include "crypto/Fingerprint.h"

#include "cinder/packet.pb.h"
#include "crypto/Hash.h"
#include "crypto/Transcript.h"
#include "crypto/WireCodec.h"

#include <algorithm>
#include <cstdint>

namespace cinder::crypto {

namespace {

static_assert(kFingerprintGroups * kFingerprintGroupBytes <= kFingerprintSize,
              "digit groups must come from distinct bytes of the hash");
static_assert(kFingerprintGroupBytes <= 7, "a group must fit in 64 bits");

std::uint64_t groupModulus() {
    std::uint64_t modulus = 1;
    for (std::size_t i = 0; i < kFingerprintGroupDigits; ++i) {
        modulus *= 10;
    }
    return modulus;
}

std::string renderDigits(const Sha512Digest& digest) {
    const std::uint64_t modulus = groupModulus();
    std::string out;
    out.reserve(kFingerprintGroups * (kFingerprintGroupDigits + 1));
    for (std::size_t group = 0; group < kFingerprintGroups; ++group) {
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < kFingerprintGroupBytes; ++i) {
            value = (value << 8) | digest[group * kFingerprintGroupBytes + i];
        }
        value %= modulus;
        std::string digits(kFingerprintGroupDigits, '0');
        for (std::size_t i = kFingerprintGroupDigits; i > 0; --i) {
            digits[i - 1] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
        if (group > 0) {
            out.push_back(' ');
        }
        out += digits;
    }
    return out;
}

} // namespace

std::string_view describe(FingerprintError error) {
    switch (error) {
    case FingerprintError::Malformed:
        return "the verification code is malformed";
    case FingerprintError::UnsupportedVersion:
        return "the verification code has an unsupported version";
    case FingerprintError::DifferentUser:
        return "the verification code belongs to another user";
    case FingerprintError::FingerprintMismatch:
        return "the verification code does not match this user's key";
    }
    return "unknown error";
}

Fingerprint computeFingerprint(const RootId& rootId, const PublicKey& rootKey) {
    Transcript input(label::kFingerprint);
    input.add(Field::RootId, rootId).add(Field::RootPublicKey, rootKey.bytes());
    return sha512(input.view());
}

std::string renderFingerprint(const Fingerprint& fingerprint) {
    return renderDigits(fingerprint);
}

std::string safetyCode(const Fingerprint& mine, const Fingerprint& theirs) {
    const bool mineFirst =
        std::lexicographical_compare(mine.begin(), mine.end(), theirs.begin(), theirs.end()) ||
        mine == theirs;
    const Fingerprint& first = mineFirst ? mine : theirs;
    const Fingerprint& second = mineFirst ? theirs : mine;
    Transcript input(label::kSafetyCode);
    input.add(Field::Data, first).add(Field::Data, second);
    return renderDigits(sha512(input.view()));
}

Bytes encodeVerificationQr(const RootId& rootId, const PublicKey& rootKey) {
    wire::VerificationQr message;
    message.set_version(kVerificationQrVersion);
    message.set_root_id(stringOf(rootId));
    message.set_fingerprint(stringOf(computeFingerprint(rootId, rootKey)));
    return serialize(message);
}

Result<VerificationQrPayload, FingerprintError> parseVerificationQr(ByteView payload) {
    wire::VerificationQr message;
    if (!parseCanonical(payload, kMaxVerificationQrSize, message)) {
        return fail(FingerprintError::Malformed);
    }
    if (message.version() != kVerificationQrVersion) {
        return fail(FingerprintError::UnsupportedVersion);
    }
    auto rootId = fixedFromBytes<kRootIdSize>(viewOf(message.root_id()));
    auto fingerprint = fixedFromBytes<kFingerprintSize>(viewOf(message.fingerprint()));
    if (!rootId || !fingerprint) {
        return fail(FingerprintError::Malformed);
    }
    return VerificationQrPayload{*rootId, *fingerprint};
}

Result<void, FingerprintError> verifyScannedQr(ByteView payload, const RootId& expectedRootId,
                                               const PublicKey& expectedRootKey) {
    CINDER_TRY_ASSIGN(auto scanned, parseVerificationQr(payload));
    if (scanned.rootId != expectedRootId) {
        return fail(FingerprintError::DifferentUser);
    }
    const Fingerprint expected = computeFingerprint(expectedRootId, expectedRootKey);
    if (!constantTimeEqual(expected, scanned.fingerprint)) {
        return fail(FingerprintError::FingerprintMismatch);
    }
    return {};
}

} // namespace cinder::crypto
