// SPDX-License-Identifier: Apache-2.0
// Paper, "User Enrollment": Kr/PKr, IDr, Krs, Knsr are created for each user; Kr signs the
// node identity public keys: SKr(PKn). Paper, "Device Enrollment":
//     Klds = KDF(Knsr || Device Data)
#include "crypto/RootIdentity.h"

#include "cinder/packet.pb.h"
#include "crypto/Kdf.h"
#include "crypto/NodeCertificate.h"
#include "crypto/Transcript.h"
#include "crypto/WireCodec.h"

namespace cinder::crypto {

Result<RootIdentity, IdentityError> RootIdentity::generate(RandomSource& random) {
    auto key = KeyPair::generate();
    if (!key) {
        return fail(IdentityError::BackendFailure);
    }
    // Drawn in a fixed order (IDr, Krs, Knsr) so a deterministic source reproduces them.
    const auto rootId = randomId<RootId>(random);
    SecureBuffer remoteStorageKey = random.secret(kSymmetricKeySize);
    SecureBuffer nodeStorageRootKey = random.secret(kSymmetricKeySize);
    return RootIdentity(rootId, std::move(key).value(), std::move(remoteStorageKey),
                        std::move(nodeStorageRootKey));
}

Result<RootIdentity, IdentityError> RootIdentity::restore(const RootId& id, KeyPair key,
                                                          SecureBuffer remoteStorageKey,
                                                          SecureBuffer nodeStorageRootKey) {
    if (remoteStorageKey.size() != kSymmetricKeySize ||
        nodeStorageRootKey.size() != kSymmetricKeySize) {
        return fail(IdentityError::WrongLength);
    }
    return RootIdentity(id, std::move(key), std::move(remoteStorageKey),
                        std::move(nodeStorageRootKey));
}

Result<Bytes, IdentityError> RootIdentity::certifyNode(const NodeId& nodeId,
                                                       const PublicKey& nodeKey,
                                                       std::int64_t createdAtMs) const {
    auto signature =
        m_key.sign(nodeCertificateTranscript(m_id, nodeId, nodeKey.bytes(), createdAtMs));
    if (!signature) {
        return fail(IdentityError::BackendFailure);
    }
    wire::NodeCertificate certificate;
    certificate.set_root_id(stringOf(m_id));
    certificate.set_node_id(stringOf(nodeId));
    certificate.set_node_public_key(stringOf(nodeKey.bytes()));
    certificate.set_created_at_ms(createdAtMs);
    certificate.set_root_signature(stringOf(*signature));
    return serialize(certificate);
}

Result<Bytes, IdentityError>
RootIdentity::signDeviceList(std::uint64_t version, std::span<const Bytes> certificates) const {
    if (certificates.size() > kMaxDeviceListNodes || version == 0) {
        return fail(IdentityError::InvalidArgument);
    }
    wire::DeviceList list;
    list.set_root_id(stringOf(m_id));
    list.set_version(version);
    Transcript signedData(label::kDeviceList);
    signedData.add(Field::RootId, m_id).addU64(Field::Version, version);
    for (const Bytes& certificate : certificates) {
        wire::NodeCertificate* node = list.add_nodes();
        if (!parseCanonical(certificate, kMaxIdentityObjectSize, *node)) {
            return fail(IdentityError::Malformed);
        }
        signedData.add(Field::Certificate, certificate);
    }
    auto signature = m_key.sign(signedData);
    if (!signature) {
        return fail(IdentityError::BackendFailure);
    }
    list.set_root_signature(stringOf(*signature));
    return serialize(list);
}

Result<SecureBuffer, IdentityError> deriveLocalStorageKey(const SecureBuffer& nodeStorageRootKey,
                                                          ByteView deviceData) {
    if (nodeStorageRootKey.size() != kSymmetricKeySize) {
        return fail(IdentityError::WrongLength);
    }
    Transcript material(label::kLocalStorageKey);
    material.add(Field::SecretKey, nodeStorageRootKey).add(Field::DeviceData, deviceData);
    auto key = hkdfSha256(material.view(), label::kLocalStorageKey);
    if (!key) {
        return fail(IdentityError::BackendFailure);
    }
    return std::move(key).value();
}

} // namespace cinder::crypto
