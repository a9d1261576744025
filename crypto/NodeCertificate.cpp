// SPDX-License-Identifier: Apache-2.0
// Paper, "Sending a Message", step 4b-c and "Receiving a Message", step 2b-c:
//     PKn corresponds to a valid SKr(PKn); PKr corresponds to the expected user identity.
// Signed input: Transcript(kNodeCertificate, IDr, IDn, PKn, created_at_ms).
#include "crypto/NodeCertificate.h"

#include "cinder/packet.pb.h"
#include "crypto/WireCodec.h"

namespace cinder::crypto {

Transcript nodeCertificateTranscript(const RootId& rootId, const NodeId& nodeId, ByteView nodeKey,
                                     std::int64_t createdAtMs) {
    Transcript signedData(label::kNodeCertificate);
    signedData.add(Field::RootId, rootId)
        .add(Field::NodeId, nodeId)
        .add(Field::NodePublicKey, nodeKey)
        .addU64(Field::Timestamp, static_cast<std::uint64_t>(createdAtMs));
    return signedData;
}

Result<VerifiedNode, IdentityError> VerifiedNode::verify(const PinnedRoot& root,
                                                         ByteView certificate) {
    wire::NodeCertificate parsed;
    if (auto ok = parseCanonical(certificate, kMaxIdentityObjectSize, parsed); !ok) {
        return fail(ok.error() == WireError::NonCanonical ? IdentityError::NonCanonical
                                                          : IdentityError::Malformed);
    }
    const auto rootId = fixedFromBytes<kRootIdSize>(viewOf(parsed.root_id()));
    const auto nodeId = fixedFromBytes<kNodeIdSize>(viewOf(parsed.node_id()));
    if (!rootId || !nodeId) {
        return fail(IdentityError::WrongLength);
    }
    if (*rootId != root.id) {
        return fail(IdentityError::WrongRoot);
    }
    auto nodeKey = PublicKey::fromBytes(viewOf(parsed.node_public_key()));
    if (!nodeKey) {
        return fail(IdentityError::InvalidKey);
    }
    const Transcript signedData =
        nodeCertificateTranscript(*rootId, *nodeId, nodeKey->bytes(), parsed.created_at_ms());
    if (!root.key.verify(signedData, viewOf(parsed.root_signature()))) {
        return fail(IdentityError::BadSignature);
    }
    return VerifiedNode(*rootId, *nodeId, root.key, std::move(nodeKey).value(),
                        parsed.created_at_ms(), toBytes(certificate));
}

} // namespace cinder::crypto
