// SPDX-License-Identifier: Apache-2.0
// Paper, "Device Enrollment": Kn/PKn and IDn are created for each device, and the app
// "calculates the signature of the Node Identity Public Key using the Root Identity Private
// Key, SKr(PKn)". The login proof is Cinder's: SKn(Transcript(kLoginChallenge, IDr, IDn,
// server nonce, server name)), so a proof for one server or one session is useless elsewhere.
#include "crypto/NodeIdentity.h"

#include "crypto/Transcript.h"

namespace cinder::crypto {

namespace {
constexpr std::size_t kMinServerNonceSize = 16;

Transcript loginTranscript(const VerifiedNode& node, ByteView serverNonce,
                           std::string_view serverName) {
    Transcript signedData(label::kLoginChallenge);
    signedData.add(Field::RootId, node.rootId())
        .add(Field::NodeId, node.nodeId())
        .add(Field::Nonce, serverNonce)
        .add(Field::ServerName, asBytes(serverName));
    return signedData;
}
} // namespace

Result<NodeIdentity, IdentityError> NodeIdentity::enroll(const RootIdentity& root,
                                                         std::int64_t nowMs, RandomSource& random) {
    auto key = KeyPair::generate();
    if (!key) {
        return fail(IdentityError::BackendFailure);
    }
    const auto nodeId = randomId<NodeId>(random);
    CINDER_TRY_ASSIGN(auto certificate, root.certifyNode(nodeId, key->publicKey(), nowMs));
    return restore(std::move(key).value(), certificate, PinnedRoot{root.id(), root.publicKey()});
}

Result<NodeIdentity, IdentityError> NodeIdentity::restore(KeyPair nodeKey, ByteView certificate,
                                                          const PinnedRoot& root) {
    CINDER_TRY_ASSIGN(auto self, VerifiedNode::verify(root, certificate));
    if (!(self.nodeKey() == nodeKey.publicKey())) {
        return fail(IdentityError::WrongNode);
    }
    return NodeIdentity(std::move(nodeKey), std::move(self));
}

Result<Signature, IdentityError>
NodeIdentity::signLoginChallenge(ByteView serverNonce, std::string_view serverName) const {
    if (serverNonce.size() < kMinServerNonceSize || serverName.empty()) {
        return fail(IdentityError::InvalidArgument);
    }
    auto signature = m_key.sign(loginTranscript(m_self, serverNonce, serverName));
    if (!signature) {
        return fail(IdentityError::BackendFailure);
    }
    return *signature;
}

Result<void, IdentityError> verifyLoginChallenge(const VerifiedNode& node, ByteView serverNonce,
                                                 std::string_view serverName, ByteView signature) {
    if (serverNonce.size() < kMinServerNonceSize || serverName.empty()) {
        return fail(IdentityError::InvalidArgument);
    }
    if (!node.nodeKey().verify(loginTranscript(node, serverNonce, serverName), signature)) {
        return fail(IdentityError::BadSignature);
    }
    return {};
}

} // namespace cinder::crypto
