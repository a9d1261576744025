// SPDX-License-Identifier: Apache-2.0
#pragma once

// Every label, size and limit of the Cinder protocol, suite 1 (docs/PROTOCOL.md section 2).
// A label separates one use of a key or signature from every other use, so that no signed
// object verifies as another and no derived key equals another.

#include "crypto/EphemeralityRule.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cinder::crypto {

// Versions. A packet whose version or suite is not exactly these is refused (no downgrade).
inline constexpr std::uint32_t kProtocolVersion = 1;
inline constexpr std::uint32_t kSuiteP521AesGcmSha256 = 1;

// Sizes of suite 1.
inline constexpr std::size_t kFieldElementSize = 66;                     // P-521 coordinate
inline constexpr std::size_t kPublicKeySize = 1 + 2 * kFieldElementSize; // 0x04 || X || Y
inline constexpr std::size_t kPrivateKeySize = kFieldElementSize;        // scalar, big-endian
inline constexpr std::size_t kSharedSecretSize = kFieldElementSize;      // ECDH X coordinate
inline constexpr std::size_t kSignatureSize = 2 * kFieldElementSize;     // r || s
inline constexpr std::size_t kSymmetricKeySize = 32;                     // AES-256, HKDF output
inline constexpr std::size_t kNonceSize = 12;                            // AES-GCM IV
inline constexpr std::size_t kTagSize = 16;                              // AES-GCM tag
inline constexpr std::size_t kSealOverhead = kNonceSize + kTagSize;
inline constexpr std::size_t kHashSize = 32;        // SHA-256
inline constexpr std::size_t kFingerprintSize = 64; // SHA-512

// Identifiers.
inline constexpr std::size_t kRootIdSize = 32;   // IDr
inline constexpr std::size_t kNodeIdSize = 32;   // IDn
inline constexpr std::size_t kPrekeyIdSize = 16; // IDken
inline constexpr std::size_t kMessageIdSize = 16;
inline constexpr std::size_t kConversationIdSize = 32;

// Limits that decoders check before they allocate or loop.
inline constexpr std::size_t kMaxContentSize = 1024 * 1024;
inline constexpr std::size_t kMaxRecipientNodes = 4096;
inline constexpr std::size_t kMaxPacketSize = 2 * 1024 * 1024;
inline constexpr std::size_t kMaxDeviceListNodes = 64;
inline constexpr std::size_t kMaxIdentityObjectSize = 64 * 1024;

// Time bounds of a delivery (docs/PROTOCOL.md section 8.5). A receiver refuses a packet whose
// sent_at_ms is more than kMaxDeliveryAgeMs behind its clock (no server keeps a packet longer:
// a server's retention is at most this, and every message expires within kMaxTtlSeconds, from
// which this bound is derived so that the 366 days are written once) or more than
// kMaxClockSkewMs ahead of it. A seen message id is forgotten once it is older than
// kMaxDeliveryAgeMs: a replay of it is then refused for its age.
inline constexpr std::int64_t kMaxDeliveryAgeMs = std::int64_t{kMaxTtlSeconds} * 1000;
inline constexpr std::int64_t kMaxClockSkewMs = 24LL * 3600 * 1000;

// Signature contexts (signed input = Transcript(label, fields...)).
namespace label {
inline constexpr std::string_view kPacketSignature = "cinder/v1/sig/packet";
inline constexpr std::string_view kNodeCertificate = "cinder/v1/sig/node-certificate";
inline constexpr std::string_view kPrekey = "cinder/v1/sig/prekey";
inline constexpr std::string_view kDeviceList = "cinder/v1/sig/device-list";
inline constexpr std::string_view kRoomControl = "cinder/v1/sig/room-control";
inline constexpr std::string_view kLoginChallenge = "cinder/v1/sig/login-challenge";

// HKDF info strings (the HKDF input key material is a Transcript too).
inline constexpr std::string_view kHeaderKey = "cinder/v1/kdf/header-key";
inline constexpr std::string_view kExchangeKey = "cinder/v1/kdf/exchange-key";
inline constexpr std::string_view kLocalStorageKey = "cinder/v1/kdf/local-storage-key";
inline constexpr std::string_view kPayloadKeyCommitment = "cinder/v1/hash/payload-key-commitment";
inline constexpr std::string_view kRecoverySealKey = "cinder/v1/kdf/recovery-seal-key";
inline constexpr std::string_view kRecoveryVerifier = "cinder/v1/kdf/recovery-verifier";
inline constexpr std::string_view kFileChunkKey = "cinder/v1/kdf/file-chunk-key";
inline constexpr std::string_view kCallFrameKey = "cinder/v1/kdf/call-frame-key";
inline constexpr std::string_view kFingerprint = "cinder/v1/hash/fingerprint";
inline constexpr std::string_view kSafetyCode = "cinder/v1/hash/safety-code";
inline constexpr std::string_view kDiscoveryHash = "cinder/v1/hash/contact-discovery";

// AEAD associated data, one per kind of ciphertext.
inline constexpr std::string_view kAadPayload = "cinder/v1/aad/payload";
inline constexpr std::string_view kAadHeader = "cinder/v1/aad/header";
inline constexpr std::string_view kAadKeyWrap = "cinder/v1/aad/payload-key-wrap";
inline constexpr std::string_view kAadRecoveryKeys = "cinder/v1/aad/recovery-keys";
inline constexpr std::string_view kAadRecoveryBundleKey = "cinder/v1/aad/recovery-bundle-key";
inline constexpr std::string_view kAadFileChunk = "cinder/v1/aad/file-chunk";
inline constexpr std::string_view kAadCallFrame = "cinder/v1/aad/call-frame";
} // namespace label

// Type tags of Transcript fields: every concatenated value carries its type and length
// (paper, footnote 2).
enum class Field : std::uint8_t {
    Label = 0x01,
    Version = 0x02,
    Suite = 0x03,
    RootId = 0x10,
    NodeId = 0x11,
    PrekeyId = 0x12,
    RootPublicKey = 0x13,
    NodePublicKey = 0x14,
    PrekeyPublicKey = 0x15,
    SenderRootPublicKey = 0x16,
    RecipientRootPublicKey = 0x17,
    SharedSecret = 0x18,
    SecretKey = 0x19,
    DeviceData = 0x1a,
    EncryptedHeader = 0x20,
    EncryptedPayload = 0x21,
    Timestamp = 0x22,
    Counter = 0x23,
    Flag = 0x24,
    Certificate = 0x25,
    Nonce = 0x26,
    ServerName = 0x27,
    Data = 0x28,
};

// File streams (crypto/FileStream.h): a length-prefixed FileStreamHeader, then chunks of
// kFileChunkSize plaintext bytes, each sealed with AES-256-GCM; only the last may be shorter.
inline constexpr std::uint32_t kFileStreamVersion = 1;
inline constexpr std::size_t kFileChunkSize = 64 * 1024;
inline constexpr std::size_t kFileSealedChunkSize = kFileChunkSize + kTagSize;
inline constexpr std::size_t kFileNoncePrefixSize = 7;      // nonce = prefix || index || flag
inline constexpr std::size_t kFileHeaderLengthSize = 2;     // big-endian length of the header
inline constexpr std::size_t kMaxFileHeaderSize = 256;      // protobuf part of the header
inline constexpr std::uint64_t kMaxFileChunks = 1ULL << 32; // the index is 4 bytes
// Call frames (crypto/CallFrame.h): keyId (1) || counter (8, big-endian) || ciphertext || tag.
inline constexpr std::size_t kCallFrameHeaderSize = 1 + 8;
inline constexpr std::size_t kCallFrameOverhead = kCallFrameHeaderSize + kTagSize;
inline constexpr std::size_t kMaxCallFramePayload = 1024 * 1024; // plaintext of one frame
inline constexpr std::size_t kCallFrameReplayWindow = 128;       // frames, as in SRTP

// Recovery bundle (crypto/RecoveryBundle.h).
inline constexpr std::uint32_t kRecoveryBundleVersion = 1;
inline constexpr std::size_t kMaxRecoveryBundleSize = 1024;       // a bundle is ~440 bytes
inline constexpr std::size_t kMaxRecoveryKdfParametersSize = 128; // ScryptParameters alone
inline constexpr std::size_t kPassphraseKeyMaterialSize = 64;     // PKM = scrypt(...), 64 bytes
inline constexpr std::size_t kRecoveryVerifierSize = kSymmetricKeySize;
inline constexpr std::size_t kRecoveryKeyChecksumSize = 3;  // bytes after Krbk in the text
inline constexpr std::size_t kRecoveryKeyGroupSize = 4;     // base32 characters per group
inline constexpr std::size_t kMaxRecoveryKeyTextSize = 256; // refused before parsing
// Fingerprints (crypto/Fingerprint.h): 12 groups of 5 digits, each from 5 bytes of SHA-512.
inline constexpr std::uint32_t kVerificationQrVersion = 1;
inline constexpr std::size_t kMaxVerificationQrSize = 256;
inline constexpr std::size_t kFingerprintGroups = 12;
inline constexpr std::size_t kFingerprintGroupBytes = 5;
inline constexpr std::size_t kFingerprintGroupDigits = 5;
namespace label {
inline constexpr std::string_view kRecoveryKeyChecksum = "cinder/v1/hash/recovery-key-checksum";
} // namespace label

} // namespace cinder::crypto
