// SPDX-License-Identifier: Apache-2.0
// Paper, "Receiving a Message":
//   1. De-serialize packet and set appropriate version and cryptographic configuration
//   2. Verify packet signature: (EPH || EP) under PKn; PKn under SKr(PKn); PKr is the pinned
//      identity (the last two are the VerifiedNode the caller passes in)
//   3. K_header = KDF(IDr_s || IDn_s)
//   4. D_Kheader(EPH) = PKEs || KEL
//   5. find own KEDn = E_Kexchn(K_payload) || IDn || IDken by own IDn
//   6. load KEn by IDken
//   7. K_exchn = KDF(DH(KEn, PKEs) || PKr_s || PKr_r || IDn)
//   8. K_payload = D_Kexchn(E_Kexchn(K_payload))
//   9. D_Kpayload(EP) = Message Metadata || Message Payload
// then (Cinder): check the commitment to K_payload, that the metadata names the signing
// node, and the replay guard; only then destroy KEn ("All short-lived keys are deleted").
#include "crypto/PacketDecoder.h"

#include "cinder/packet.pb.h"
#include "crypto/Aead.h"
#include "crypto/MetadataCodec.h"
#include "crypto/PacketKeys.h"
#include "crypto/SecureBuffer.h"
#include "crypto/WireCodec.h"

#include <set>
#include <string_view>

namespace cinder::crypto {

namespace {
DecodeError fromWireError(WireError error) {
    switch (error) {
    case WireError::Oversized:
        return DecodeError::Oversized;
    case WireError::NonCanonical:
        return DecodeError::NonCanonical;
    case WireError::Empty:
    case WireError::Malformed:
        break;
    }
    return DecodeError::Malformed;
}
} // namespace

std::string_view describe(DecodeError error) {
    switch (error) {
    case DecodeError::Oversized:
        return "packet is too large";
    case DecodeError::Malformed:
        return "packet is malformed";
    case DecodeError::NonCanonical:
        return "packet is not canonically encoded";
    case DecodeError::UnsupportedVersion:
        return "packet version is not supported";
    case DecodeError::UnsupportedSuite:
        return "packet cipher suite is not supported";
    case DecodeError::BadSignature:
        return "packet signature does not verify";
    case DecodeError::CorruptHeader:
        return "packet header does not decrypt";
    case DecodeError::InvalidEphemeralKey:
        return "sender ephemeral key is invalid";
    case DecodeError::TooManyRecipients:
        return "packet lists too many recipients";
    case DecodeError::NotARecipient:
        return "this device is not a recipient of the packet";
    case DecodeError::UnknownPrekey:
        return "the ephemeral key for this packet is gone";
    case DecodeError::KeyUnwrapFailed:
        return "the payload key does not decrypt";
    case DecodeError::KeyCommitmentMismatch:
        return "the payload key does not match the signed commitment";
    case DecodeError::CorruptPayload:
        return "packet payload does not decrypt";
    case DecodeError::InvalidMetadata:
        return "message metadata is invalid";
    case DecodeError::SenderMismatch:
        return "message names another sender than the signing device";
    case DecodeError::Replay:
        return "message was already received";
    case DecodeError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

Result<DecodedMessage, DecodeError> PacketDecoder::decode(ByteView packetBytes,
                                                          const VerifiedNode& sender) {
    CINDER_TRY_ASSIGN(auto opened, open(packetBytes, sender));
    return accept(std::move(opened));
}

Result<OpenedPacket, DecodeError> PacketDecoder::open(ByteView packetBytes,
                                                      const VerifiedNode& sender) const {
    // 1. Strict parse; version and suite exactly ours (no downgrade, no guessing).
    wire::Packet packet;
    if (auto ok = parseCanonical(packetBytes, kMaxPacketSize, packet); !ok) {
        return fail(fromWireError(ok.error()));
    }
    if (packet.version() != kProtocolVersion) {
        return fail(DecodeError::UnsupportedVersion);
    }
    if (packet.suite() != kSuiteP521AesGcmSha256) {
        return fail(DecodeError::UnsupportedSuite);
    }
    const ByteView encryptedHeader = viewOf(packet.encrypted_header());
    const ByteView encryptedPayload = viewOf(packet.encrypted_payload());

    // 2. PS under PKn; the caller verified PKn -> PKr -> pinned identity.
    if (!sender.nodeKey().verify(packet::signedPacketData(packet.version(), packet.suite(),
                                                          sender.rootId(), sender.nodeId(),
                                                          encryptedHeader, encryptedPayload),
                                 viewOf(packet.signature()))) {
        return fail(DecodeError::BadSignature);
    }

    // 3-4. Header.
    auto headerKey = packet::deriveHeaderKey(sender.rootId(), sender.nodeId());
    if (!headerKey) {
        return fail(DecodeError::BackendFailure);
    }
    auto headerBytes = aeadOpen(headerKey->view(), asBytes(label::kAadHeader), encryptedHeader);
    if (!headerBytes) {
        return fail(DecodeError::CorruptHeader);
    }
    wire::PacketHeader header;
    if (!parseCanonical(*headerBytes, kMaxPacketSize, header)) {
        return fail(DecodeError::CorruptHeader);
    }
    if (static_cast<std::size_t>(header.key_exchange_size()) > kMaxRecipientNodes) {
        return fail(DecodeError::TooManyRecipients);
    }

    // 5. Own KED. Every entry must be well-formed and name a distinct device, so that all
    // recipients agree on what the header says.
    const wire::KeyExchangeData* own = nullptr;
    const ByteView ownId(m_self.id());
    std::set<std::string_view> listed;
    for (const auto& keyExchange : header.key_exchange()) {
        if (keyExchange.node_id().size() != kNodeIdSize ||
            keyExchange.prekey_id().size() != kPrekeyIdSize ||
            keyExchange.wrapped_payload_key().size() != kSymmetricKeySize + kSealOverhead ||
            !listed.insert(keyExchange.node_id()).second) {
            return fail(DecodeError::CorruptHeader);
        }
        if (own == nullptr && constantTimeEqual(viewOf(keyExchange.node_id()), ownId)) {
            own = &keyExchange;
        }
    }
    if (own == nullptr) {
        return fail(DecodeError::NotARecipient);
    }
    const auto prekeyId = fixedFromBytes<kPrekeyIdSize>(viewOf(own->prekey_id()));
    if (!prekeyId) {
        return fail(DecodeError::CorruptHeader);
    }

    // 6. KEn.
    const EphemeralKeyPool::Entry* prekey = m_pool.find(*prekeyId);
    if (prekey == nullptr) {
        return fail(DecodeError::UnknownPrekey);
    }
    auto senderEphemeral = PublicKey::fromBytes(viewOf(header.sender_ephemeral_key()));
    if (!senderEphemeral) {
        return fail(DecodeError::InvalidEphemeralKey);
    }

    // 7-8. K_exchn and K_payload.
    auto shared = prekey->key.agree(*senderEphemeral);
    if (!shared) {
        return fail(DecodeError::BackendFailure);
    }
    auto exchangeKey =
        packet::deriveExchangeKey(*shared, sender.rootKey(), m_self.rootPublicKey(), m_self.id());
    if (!exchangeKey) {
        return fail(DecodeError::BackendFailure);
    }
    auto payloadKey = aeadOpenSecret(exchangeKey->view(), asBytes(label::kAadKeyWrap),
                                     viewOf(own->wrapped_payload_key()));
    if (!payloadKey || payloadKey->size() != kSymmetricKeySize) {
        return fail(DecodeError::KeyUnwrapFailed);
    }
    const Sha256Digest commitment = packet::payloadKeyCommitment(*payloadKey);
    if (!constantTimeEqual(commitment, viewOf(header.payload_key_commitment()))) {
        return fail(DecodeError::KeyCommitmentMismatch);
    }

    // 9. Payload.
    auto payloadBytes =
        aeadOpenSecret(payloadKey->view(), asBytes(label::kAadPayload), encryptedPayload);
    if (!payloadBytes) {
        return fail(DecodeError::CorruptPayload);
    }
    wire::Payload payload;
    if (!parseCanonical(payloadBytes->view(), kMaxPacketSize, payload) || !payload.has_metadata()) {
        return fail(DecodeError::CorruptPayload);
    }
    if (payload.content().size() > kMaxContentSize) {
        return fail(DecodeError::CorruptPayload);
    }
    auto metadata = metadataFromWire(payload.metadata());
    if (!metadata) {
        return fail(DecodeError::InvalidMetadata);
    }
    // Reflection and forwarding: the sender the encrypted metadata names must be the node
    // whose key signed this packet.
    if (metadata->senderRootId != sender.rootId() || metadata->senderNodeId != sender.nodeId()) {
        return fail(DecodeError::SenderMismatch);
    }
    return OpenedPacket{*metadata, toBytes(viewOf(payload.content())), *prekeyId};
}

Result<DecodedMessage, DecodeError> PacketDecoder::accept(OpenedPacket opened) {
    const MessageMetadata& metadata = opened.metadata;
    const auto refuse = [&opened](DecodeError error) {
        secureWipe(opened.content.data(), opened.content.size()); // a refused plaintext
        return fail(error);
    };
    const EphemeralKeyPool::Entry* prekey = m_pool.find(opened.prekey);
    if (prekey == nullptr) {
        return refuse(DecodeError::UnknownPrekey);
    }
    if (!m_replayGuard.check(metadata.senderNodeId, metadata.messageId, metadata.sequence,
                             metadata.sentAtMs)) {
        return refuse(DecodeError::Replay);
    }

    // Accepted: remember it and destroy the ephemeral private key (forward secrecy).
    m_replayGuard.record(metadata.senderNodeId, metadata.messageId, metadata.sequence,
                         metadata.sentAtMs);
    const bool lastResort = prekey->lastResort;
    m_pool.consume(opened.prekey);

    DecodedMessage message;
    message.metadata = metadata;
    message.content = std::move(opened.content);
    message.usedLastResortKey = lastResort;
    message.usedPrekey = opened.prekey;
    return message;
}

} // namespace cinder::crypto
