// SPDX-License-Identifier: Apache-2.0
#pragma once

// Ephemeral key pairs (paper, "Ephemeral Key Pairs" and "Ephemeral Key Management"): each
// device keeps the private halves KEn; the public halves PKEn are signed with Kn, given an
// identifier IDken and uploaded to the server's pool. A private half is destroyed as soon as
// the message that used it has been decrypted (forward secrecy). The last-resort key is
// handed out by the server only when the pool is empty and is never destroyed.

#include "crypto/EcKeys.h"
#include "crypto/Identifiers.h"
#include "crypto/IdentityError.h"
#include "crypto/NodeCertificate.h"
#include "crypto/NodeIdentity.h"
#include "crypto/Random.h"
#include "crypto/Result.h"

#include <map>
#include <optional>
#include <span>
#include <vector>

namespace cinder::crypto {

// A prekey whose signature chain PKEn -> PKn -> PKr has been checked (paper, "Sending a
// Message", step 4).
class VerifiedPrekey {
public:
    static Result<VerifiedPrekey, IdentityError> verify(const VerifiedNode& owner,
                                                        ByteView signedPrekey);

    [[nodiscard]] const NodeId& nodeId() const { return m_nodeId; }
    [[nodiscard]] const PrekeyId& id() const { return m_id; }
    [[nodiscard]] const PublicKey& key() const { return m_key; }
    [[nodiscard]] bool lastResort() const { return m_lastResort; }

private:
    VerifiedPrekey(const NodeId& nodeId, const PrekeyId& id, PublicKey key, bool lastResort)
        : m_nodeId(nodeId), m_id(id), m_key(std::move(key)), m_lastResort(lastResort) {}
    NodeId m_nodeId;
    PrekeyId m_id;
    PublicKey m_key;
    bool m_lastResort;
};

class EphemeralKeyPool {
public:
    struct Entry {
        KeyPair key;
        bool lastResort = false;
    };

    // Generates count fresh prekeys and returns their SignedPrekey bytes for upload.
    [[nodiscard]] Result<std::vector<Bytes>, IdentityError>
    generate(const NodeIdentity& owner, std::size_t count, RandomSource& random = systemRandom());
    // Replaces the last-resort key; returns its SignedPrekey bytes.
    [[nodiscard]] Result<Bytes, IdentityError>
    generateLastResort(const NodeIdentity& owner, RandomSource& random = systemRandom());

    // Restores one prekey from the local store.
    void insert(const PrekeyId& id, KeyPair key, bool lastResort);

    [[nodiscard]] const Entry* find(const PrekeyId& id) const;
    // Destroys the private half after use; the last-resort key stays.
    void consume(const PrekeyId& id);

    [[nodiscard]] std::size_t size() const { return m_entries.size(); }
    [[nodiscard]] const std::map<PrekeyId, Entry>& entries() const { return m_entries; }

private:
    [[nodiscard]] Result<Bytes, IdentityError> add(const NodeIdentity& owner, bool lastResort,
                                                   RandomSource& random);
    std::map<PrekeyId, Entry> m_entries;
};

// Verifies prekeys fetched from the server for many devices at once, spread over threads,
// so a client can check a whole group's prekeys ahead of a send. Result i belongs to
// owners[i] and signedPrekeys[i].
[[nodiscard]] std::vector<Result<VerifiedPrekey, IdentityError>>
verifyPrekeys(std::span<const VerifiedNode* const> owners, std::span<const Bytes> signedPrekeys,
              unsigned workerThreads = 0);

// The signed input of a prekey (docs/PROTOCOL.md, "Signed prekey").
[[nodiscard]] Transcript prekeyTranscript(const NodeId& nodeId, const PrekeyId& prekeyId,
                                          ByteView publicKey, bool lastResort);

} // namespace cinder::crypto
