// SPDX-License-Identifier: Apache-2.0
#pragma once

// The link from a device to its user: NodeCertificate = {IDr, IDn, PKn, created, SKr(PKn)}.
// A VerifiedNode exists only once the certificate's signature has been checked against the
// root key the client pinned for that user (paper, "Sending a Message", step 4b-c); it keeps
// the parsed keys so the chain is verified once, not on every packet.

#include "crypto/EcKeys.h"
#include "crypto/Identifiers.h"
#include "crypto/IdentityError.h"
#include "crypto/Result.h"

#include <cstdint>

namespace cinder::crypto {

// The root identity the client associates with a user: learned on first contact and then
// pinned (paper, "Peer Identity Management").
struct PinnedRoot {
    RootId id;
    PublicKey key;
};

class VerifiedNode {
public:
    static Result<VerifiedNode, IdentityError> verify(const PinnedRoot& root, ByteView certificate);

    [[nodiscard]] const RootId& rootId() const { return m_rootId; }
    [[nodiscard]] const NodeId& nodeId() const { return m_nodeId; }
    [[nodiscard]] const PublicKey& rootKey() const { return m_rootKey; }
    [[nodiscard]] const PublicKey& nodeKey() const { return m_nodeKey; }
    [[nodiscard]] std::int64_t createdAtMs() const { return m_createdAtMs; }
    [[nodiscard]] const Bytes& certificate() const { return m_certificate; }

private:
    VerifiedNode(const RootId& rootId, const NodeId& nodeId, PublicKey rootKey, PublicKey nodeKey,
                 std::int64_t createdAtMs, Bytes certificate)
        : m_rootId(rootId), m_nodeId(nodeId), m_rootKey(std::move(rootKey)),
          m_nodeKey(std::move(nodeKey)), m_createdAtMs(createdAtMs),
          m_certificate(std::move(certificate)) {}

    RootId m_rootId;
    NodeId m_nodeId;
    PublicKey m_rootKey;
    PublicKey m_nodeKey;
    std::int64_t m_createdAtMs;
    Bytes m_certificate;
};

// The signed input of a node certificate (docs/PROTOCOL.md, "Node certificate").
[[nodiscard]] Transcript nodeCertificateTranscript(const RootId& rootId, const NodeId& nodeId,
                                                   ByteView nodeKey, std::int64_t createdAtMs);

} // namespace cinder::crypto
