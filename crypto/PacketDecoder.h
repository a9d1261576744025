// SPDX-License-Identifier: Apache-2.0
#pragma once

// Receiving a message (paper, "Receiving a Message"): verify the sender's chain and
// signature, find this device's key exchange data, unwrap the payload key with the ephemeral
// key it names, decrypt, refuse replays, then destroy that ephemeral key.

#include "crypto/EphemeralKeyPool.h"
#include "crypto/MessageMetadata.h"
#include "crypto/NodeCertificate.h"
#include "crypto/NodeIdentity.h"
#include "crypto/ReplayGuard.h"
#include "crypto/Result.h"

#include <string_view>

namespace cinder::crypto {

enum class DecodeError {
    Oversized,             // larger than kMaxPacketSize
    Malformed,             // not a parseable packet
    NonCanonical,          // parseable, but not the one canonical encoding
    UnsupportedVersion,    // version is not kProtocolVersion (older or unknown)
    UnsupportedSuite,      // cipher suite is not kSuiteP521AesGcmSha256
    BadSignature,          // PS does not verify under the sender node's key
    CorruptHeader,         // EPH does not decrypt or does not parse
    InvalidEphemeralKey,   // PKEs is not a valid P-521 point
    TooManyRecipients,     // KEL longer than kMaxRecipientNodes
    NotARecipient,         // no KED for this device
    UnknownPrekey,         // IDken names no ephemeral key this device still holds
    KeyUnwrapFailed,       // E_Kexch(K_payload) does not decrypt
    KeyCommitmentMismatch, // K_payload is not the key the signed header commits to
    CorruptPayload,        // EP does not decrypt or does not parse
    InvalidMetadata,       // metadata breaks metadataIsValid() or has wrong lengths
    SenderMismatch,        // metadata names another sender than the signing node
    Replay,                // seen before, stale sequence, or sent_at outside the delivery bounds
    BackendFailure,
};

[[nodiscard]] std::string_view describe(DecodeError error);

struct DecodedMessage {
    MessageMetadata metadata;
    Bytes content;
    bool usedLastResortKey = false; // the sender found our pool empty: refill it
    PrekeyId usedPrekey{}; // the ephemeral key that opened it (destroyed unless last resort)
};

// A packet verified and decrypted but not yet accepted: the replay check and the destruction
// of its ephemeral key are still to come (PacketDecoder::accept).
struct OpenedPacket {
    MessageMetadata metadata;
    Bytes content;
    PrekeyId prekey{};
};

class PacketDecoder {
public:
    PacketDecoder(const NodeIdentity& self, EphemeralKeyPool& pool, ReplayGuard& replayGuard)
        : m_self(self), m_pool(pool), m_replayGuard(replayGuard) {}

    // sender: the node the server says sent the packet, already verified against the root key
    // pinned for that user (the caller caches VerifiedNode objects). open() then accept().
    [[nodiscard]] Result<DecodedMessage, DecodeError> decode(ByteView packet,
                                                             const VerifiedNode& sender);

    // Every check and decryption of a packet that changes no state: it only reads the key
    // pool, so several threads may open packets at once while nothing changes the pool. The
    // signature and the key agreement, most of a packet's cost, are here.
    [[nodiscard]] Result<OpenedPacket, DecodeError> open(ByteView packet,
                                                         const VerifiedNode& sender) const;
    // The rest, in delivery order: the replay guard accepts the message and the ephemeral key
    // that opened it is destroyed. A key destroyed since the packet was opened (another packet
    // named it) refuses it as UnknownPrekey, as decode() would have.
    [[nodiscard]] Result<DecodedMessage, DecodeError> accept(OpenedPacket opened);

private:
    const NodeIdentity& m_self;
    EphemeralKeyPool& m_pool;
    ReplayGuard& m_replayGuard;
};

} // namespace cinder::crypto
