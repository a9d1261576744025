// SPDX-License-Identifier: Apache-2.0
#pragma once

// Device enrollment (paper, "Device Enrollment"): the node identity key pair Kn/PKn, the node
// identifier IDn and the certificate SKr(PKn) that ties the device to its user. Kn signs every
// packet the device sends, its prekeys, and its login proofs to the server.

#include "crypto/EcKeys.h"
#include "crypto/Identifiers.h"
#include "crypto/IdentityError.h"
#include "crypto/NodeCertificate.h"
#include "crypto/Random.h"
#include "crypto/Result.h"
#include "crypto/RootIdentity.h"

#include <cstdint>
#include <string_view>

namespace cinder::crypto {

class NodeIdentity {
public:
    static Result<NodeIdentity, IdentityError> enroll(const RootIdentity& root, std::int64_t nowMs,
                                                      RandomSource& random = systemRandom());
    // Rebuilds the identity from the local store; re-verifies the certificate against PKr.
    static Result<NodeIdentity, IdentityError> restore(KeyPair nodeKey, ByteView certificate,
                                                       const PinnedRoot& root);

    [[nodiscard]] const RootId& rootId() const { return m_self.rootId(); }
    [[nodiscard]] const NodeId& id() const { return m_self.nodeId(); }
    [[nodiscard]] const KeyPair& key() const { return m_key; }
    [[nodiscard]] const PublicKey& rootPublicKey() const { return m_self.rootKey(); }
    [[nodiscard]] const Bytes& certificate() const { return m_self.certificate(); }
    // This device as its peers see it.
    [[nodiscard]] const VerifiedNode& asVerifiedNode() const { return m_self; }

    // Login proof: Kn signs a fresh server nonce bound to the server's name.
    [[nodiscard]] Result<Signature, IdentityError>
    signLoginChallenge(ByteView serverNonce, std::string_view serverName) const;

private:
    NodeIdentity(KeyPair key, VerifiedNode self) : m_key(std::move(key)), m_self(std::move(self)) {}
    KeyPair m_key;
    VerifiedNode m_self;
};

// Server side of the login proof.
[[nodiscard]] Result<void, IdentityError> verifyLoginChallenge(const VerifiedNode& node,
                                                               ByteView serverNonce,
                                                               std::string_view serverName,
                                                               ByteView signature);

} // namespace cinder::crypto
