// SPDX-License-Identifier: Apache-2.0
#pragma once

// A sender that follows the packet format but not the rules: it chooses the plaintext of the
// encrypted header and payload freely and signs whatever it built with a genuine node key.
// Used by the adversarial tests and the packet fuzzer to reach the decoder's checks that sit
// behind the signature (key commitment, sender binding, metadata rules, header limits).

#include "cinder/packet.pb.h"
#include "crypto/Aead.h"
#include "crypto/EphemeralKeyPool.h"
#include "crypto/MetadataCodec.h"
#include "crypto/NodeIdentity.h"
#include "crypto/PacketKeys.h"
#include "crypto/WireCodec.h"

#include <vector>

namespace cinder::test {

using namespace cinder::crypto;

struct MaliciousSender {
    const NodeIdentity& sender;

    // P = version || suite || EP || EPH || PS with EPH = E_Kheader(headerPlaintext).
    [[nodiscard]] Bytes sealPacket(ByteView headerPlaintext, ByteView encryptedPayload,
                                   std::uint32_t version = kProtocolVersion,
                                   std::uint32_t suite = kSuiteP521AesGcmSha256) const {
        const SecureBuffer headerKey =
            std::move(packet::deriveHeaderKey(sender.rootId(), sender.id())).value();
        const Bytes encryptedHeader =
            aeadSeal(headerKey.view(), asBytes(label::kAadHeader), headerPlaintext).value();
        const Signature signature =
            sender.key()
                .sign(packet::signedPacketData(version, suite, sender.rootId(), sender.id(),
                                               encryptedHeader, encryptedPayload))
                .value();
        wire::Packet packetMessage;
        packetMessage.set_version(version);
        packetMessage.set_suite(suite);
        packetMessage.set_encrypted_payload(stringOf(encryptedPayload));
        packetMessage.set_encrypted_header(stringOf(encryptedHeader));
        packetMessage.set_signature(stringOf(signature));
        return serialize(packetMessage);
    }

    // KEDn for one recipient, wrapping whatever payload key the attacker likes.
    [[nodiscard]] wire::KeyExchangeData wrapFor(const KeyPair& ephemeral,
                                                const VerifiedNode& recipient,
                                                const VerifiedPrekey& prekey,
                                                const SecureBuffer& payloadKey) const {
        const SecureBuffer shared = std::move(ephemeral.agree(prekey.key())).value();
        const SecureBuffer exchangeKey =
            std::move(packet::deriveExchangeKey(shared, sender.rootPublicKey(), recipient.rootKey(),
                                                recipient.nodeId()))
                .value();
        wire::KeyExchangeData keyExchange;
        keyExchange.set_wrapped_payload_key(stringOf(
            aeadSeal(exchangeKey.view(), asBytes(label::kAadKeyWrap), payloadKey.view()).value()));
        keyExchange.set_node_id(stringOf(recipient.nodeId()));
        keyExchange.set_prekey_id(stringOf(prekey.id()));
        return keyExchange;
    }

    [[nodiscard]] static Bytes encryptPayload(const SecureBuffer& payloadKey,
                                              const MessageMetadata& metadata, ByteView content) {
        wire::Payload payload;
        metadataToWire(metadata, *payload.mutable_metadata());
        payload.set_content(stringOf(content));
        return encryptPayloadBytes(payloadKey, serialize(payload));
    }

    [[nodiscard]] static Bytes encryptPayloadBytes(const SecureBuffer& payloadKey,
                                                   ByteView payloadPlaintext) {
        return aeadSeal(payloadKey.view(), asBytes(label::kAadPayload), payloadPlaintext).value();
    }

    [[nodiscard]] static std::string commitmentTo(const SecureBuffer& payloadKey) {
        return stringOf(packet::payloadKeyCommitment(payloadKey));
    }
};

} // namespace cinder::test
