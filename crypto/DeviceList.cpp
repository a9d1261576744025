// SPDX-License-Identifier: Apache-2.0
// Signed input: Transcript(kDeviceList, IDr, version, certificate_1, ..., certificate_n), where
// each certificate is the canonical NodeCertificate encoding. Rules: version >= the highest
// version the client has accepted; every certificate must name the same IDr; a certificate
// whose SKr(PKn) fails is skipped (the device is not trusted), a duplicate IDn is refused.
#include "crypto/DeviceList.h"

#include "cinder/packet.pb.h"
#include "crypto/WireCodec.h"

#include <set>

namespace cinder::crypto {

Result<VerifiedDeviceList, IdentityError>
VerifiedDeviceList::verify(const PinnedRoot& root, ByteView signedList,
                           std::uint64_t highestSeenVersion) {
    wire::DeviceList parsed;
    if (auto ok = parseCanonical(signedList, kMaxIdentityObjectSize, parsed); !ok) {
        return fail(ok.error() == WireError::NonCanonical ? IdentityError::NonCanonical
                                                          : IdentityError::Malformed);
    }
    const auto rootId = fixedFromBytes<kRootIdSize>(viewOf(parsed.root_id()));
    if (!rootId) {
        return fail(IdentityError::WrongLength);
    }
    if (*rootId != root.id) {
        return fail(IdentityError::WrongRoot);
    }
    if (static_cast<std::size_t>(parsed.nodes_size()) > kMaxDeviceListNodes) {
        return fail(IdentityError::TooManyNodes);
    }
    Transcript signedData(label::kDeviceList);
    signedData.add(Field::RootId, *rootId).addU64(Field::Version, parsed.version());
    std::vector<Bytes> certificates;
    certificates.reserve(static_cast<std::size_t>(parsed.nodes_size()));
    for (const auto& node : parsed.nodes()) {
        certificates.push_back(serialize(node));
        signedData.add(Field::Certificate, certificates.back());
    }
    if (!root.key.verify(signedData, viewOf(parsed.root_signature()))) {
        return fail(IdentityError::BadSignature);
    }
    // Only a list whose root signature holds may tell us anything, including its version.
    if (parsed.version() == 0 || parsed.version() < highestSeenVersion) {
        return fail(IdentityError::Rollback);
    }
    std::vector<VerifiedNode> nodes;
    std::set<NodeId> seen;
    std::size_t skipped = 0;
    for (const Bytes& certificate : certificates) {
        auto node = VerifiedNode::verify(root, certificate);
        if (!node) {
            ++skipped;
            continue;
        }
        if (!seen.insert(node->nodeId()).second) {
            return fail(IdentityError::DuplicateNode);
        }
        nodes.push_back(std::move(node).value());
    }
    return VerifiedDeviceList(*rootId, parsed.version(), std::move(nodes), skipped);
}

const VerifiedNode* VerifiedDeviceList::find(const NodeId& nodeId) const {
    for (const VerifiedNode& node : m_nodes) {
        if (node.nodeId() == nodeId) {
            return &node;
        }
    }
    return nullptr;
}

} // namespace cinder::crypto
