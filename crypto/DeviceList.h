// SPDX-License-Identifier: Apache-2.0
#pragma once

// A user's devices, signed by the root key and versioned. Clients keep the highest version
// they have seen and refuse an older list, so a server cannot resurrect a removed device;
// a certificate in the list that does not verify under the root key is skipped, not trusted.

#include "crypto/Identifiers.h"
#include "crypto/IdentityError.h"
#include "crypto/NodeCertificate.h"
#include "crypto/Result.h"

#include <cstdint>
#include <vector>

namespace cinder::crypto {

class VerifiedDeviceList {
public:
    // highestSeenVersion: the newest version this client accepted before (0 if none).
    static Result<VerifiedDeviceList, IdentityError>
    verify(const PinnedRoot& root, ByteView signedList, std::uint64_t highestSeenVersion);

    [[nodiscard]] const RootId& rootId() const { return m_rootId; }
    [[nodiscard]] std::uint64_t version() const { return m_version; }
    [[nodiscard]] const std::vector<VerifiedNode>& nodes() const { return m_nodes; }
    // Certificates present in the list whose signature did not verify.
    [[nodiscard]] std::size_t skippedNodes() const { return m_skipped; }
    [[nodiscard]] const VerifiedNode* find(const NodeId& nodeId) const;

private:
    VerifiedDeviceList(const RootId& rootId, std::uint64_t version, std::vector<VerifiedNode> nodes,
                       std::size_t skipped)
        : m_rootId(rootId), m_version(version), m_nodes(std::move(nodes)), m_skipped(skipped) {}

    RootId m_rootId;
    std::uint64_t m_version;
    std::vector<VerifiedNode> m_nodes;
    std::size_t m_skipped;
};

} // namespace cinder::crypto
