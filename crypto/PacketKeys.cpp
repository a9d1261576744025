// SPDX-License-Identifier: Apache-2.0
// Paper, "Prepare Packet Header", steps 2 and 4, and "Prepare Packet Content", step 3:
//     K_header = KDF(IDr_s || IDn_s)
//     K_exchn  = KDF(DH(KEs, PKEn) || PKr_s || PKr_r || IDn)
//     PS       = SKn(EPH || EP)      (Cinder also signs version, suite, IDr_s and IDn_s)
// Each "||" is a Transcript, each KDF is HKDF-SHA-256 with its own info label.
#include "crypto/PacketKeys.h"

#include "crypto/Kdf.h"

namespace cinder::crypto::packet {

Result<SecureBuffer, CryptoError> deriveHeaderKey(const RootId& senderRoot,
                                                  const NodeId& senderNode) {
    Transcript material(label::kHeaderKey);
    material.add(Field::RootId, senderRoot).add(Field::NodeId, senderNode);
    return hkdfSha256(material.view(), label::kHeaderKey);
}

Result<SecureBuffer, CryptoError> deriveExchangeKey(const SecureBuffer& sharedSecret,
                                                    const PublicKey& senderRoot,
                                                    const PublicKey& recipientRoot,
                                                    const NodeId& recipientNode) {
    Transcript material(label::kExchangeKey);
    material.add(Field::SharedSecret, sharedSecret)
        .add(Field::SenderRootPublicKey, senderRoot.bytes())
        .add(Field::RecipientRootPublicKey, recipientRoot.bytes())
        .add(Field::NodeId, recipientNode);
    return hkdfSha256(material.view(), label::kExchangeKey);
}

Sha256Digest payloadKeyCommitment(const SecureBuffer& payloadKey) {
    Transcript material(label::kPayloadKeyCommitment);
    material.add(Field::SecretKey, payloadKey);
    return sha256(material.view());
}

Transcript signedPacketData(std::uint32_t version, std::uint32_t suite, const RootId& senderRoot,
                            const NodeId& senderNode, ByteView encryptedHeader,
                            ByteView encryptedPayload) {
    Transcript signedData(label::kPacketSignature);
    signedData.addU64(Field::Version, version)
        .addU64(Field::Suite, suite)
        .add(Field::RootId, senderRoot)
        .add(Field::NodeId, senderNode)
        .add(Field::EncryptedHeader, encryptedHeader)
        .add(Field::EncryptedPayload, encryptedPayload);
    return signedData;
}

} // namespace cinder::crypto::packet
