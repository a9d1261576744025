// SPDX-License-Identifier: Apache-2.0
#pragma once

// User enrollment (paper, "User Enrollment"): the root identity key pair Kr/PKr, the root
// identifier IDr, the remote storage root key Krs and the node storage root key Knsr. Kr
// signs every device of the user (NodeCertificate) and the user's device list.

#include "crypto/EcKeys.h"
#include "crypto/Identifiers.h"
#include "crypto/IdentityError.h"
#include "crypto/Random.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"

#include <cstdint>
#include <span>

namespace cinder::crypto {

class RootIdentity {
public:
    static Result<RootIdentity, IdentityError> generate(RandomSource& random = systemRandom());
    // Rebuilds the identity from the keys a recovery bundle or the local store holds.
    static Result<RootIdentity, IdentityError> restore(const RootId& id, KeyPair key,
                                                       SecureBuffer remoteStorageKey,
                                                       SecureBuffer nodeStorageRootKey);

    [[nodiscard]] const RootId& id() const { return m_id; }
    [[nodiscard]] const KeyPair& key() const { return m_key; }
    [[nodiscard]] const PublicKey& publicKey() const { return m_key.publicKey(); }
    [[nodiscard]] const SecureBuffer& remoteStorageKey() const { return m_remoteStorageKey; }
    [[nodiscard]] const SecureBuffer& nodeStorageRootKey() const { return m_nodeStorageRootKey; }

    // SKr(PKn): vouches for one device of this user. Returns the NodeCertificate bytes.
    [[nodiscard]] Result<Bytes, IdentityError>
    certifyNode(const NodeId& nodeId, const PublicKey& nodeKey, std::int64_t createdAtMs) const;

    // The versioned device list, signed by Kr, from NodeCertificate bytes.
    [[nodiscard]] Result<Bytes, IdentityError>
    signDeviceList(std::uint64_t version, std::span<const Bytes> certificates) const;

private:
    RootIdentity(const RootId& id, KeyPair key, SecureBuffer remoteStorageKey,
                 SecureBuffer nodeStorageRootKey)
        : m_id(id), m_key(std::move(key)), m_remoteStorageKey(std::move(remoteStorageKey)),
          m_nodeStorageRootKey(std::move(nodeStorageRootKey)) {}

    RootId m_id;
    KeyPair m_key;
    SecureBuffer m_remoteStorageKey;
    SecureBuffer m_nodeStorageRootKey;
};

// Klds = KDF(Knsr || Device Data): the key of the device's local encrypted store.
[[nodiscard]] Result<SecureBuffer, IdentityError>
deriveLocalStorageKey(const SecureBuffer& nodeStorageRootKey, ByteView deviceData);

} // namespace cinder::crypto
