// SPDX-License-Identifier: Apache-2.0
// Paper, "Ephemeral Key Pairs": "The public components of these key pairs are signed by the
// originating device's Node Identity Private Key. This signature, SKn(PKEn), is uploaded to
// Wickr servers along with PKEn and a unique identifier for the key, IDken."
// Signed input: Transcript(kPrekey, IDn, IDken, PKEn, last_resort).
#include "crypto/EphemeralKeyPool.h"

#include "cinder/packet.pb.h"
#include "crypto/ParallelFor.h"
#include "crypto/WireCodec.h"

namespace cinder::crypto {

Transcript prekeyTranscript(const NodeId& nodeId, const PrekeyId& prekeyId, ByteView publicKey,
                            bool lastResort) {
    Transcript signedData(label::kPrekey);
    signedData.add(Field::NodeId, nodeId)
        .add(Field::PrekeyId, prekeyId)
        .add(Field::PrekeyPublicKey, publicKey)
        .addU64(Field::Flag, lastResort ? 1 : 0);
    return signedData;
}

Result<VerifiedPrekey, IdentityError> VerifiedPrekey::verify(const VerifiedNode& owner,
                                                             ByteView signedPrekey) {
    wire::SignedPrekey parsed;
    if (auto ok = parseCanonical(signedPrekey, kMaxIdentityObjectSize, parsed); !ok) {
        return fail(ok.error() == WireError::NonCanonical ? IdentityError::NonCanonical
                                                          : IdentityError::Malformed);
    }
    const auto nodeId = fixedFromBytes<kNodeIdSize>(viewOf(parsed.node_id()));
    const auto prekeyId = fixedFromBytes<kPrekeyIdSize>(viewOf(parsed.prekey_id()));
    if (!nodeId || !prekeyId) {
        return fail(IdentityError::WrongLength);
    }
    if (*nodeId != owner.nodeId()) {
        return fail(IdentityError::WrongNode);
    }
    auto key = PublicKey::fromBytes(viewOf(parsed.public_key()));
    if (!key) {
        return fail(IdentityError::InvalidKey);
    }
    if (!owner.nodeKey().verify(
            prekeyTranscript(*nodeId, *prekeyId, key->bytes(), parsed.last_resort()),
            viewOf(parsed.node_signature()))) {
        return fail(IdentityError::BadSignature);
    }
    return VerifiedPrekey(*nodeId, *prekeyId, std::move(key).value(), parsed.last_resort());
}

std::vector<Result<VerifiedPrekey, IdentityError>>
verifyPrekeys(std::span<const VerifiedNode* const> owners, std::span<const Bytes> signedPrekeys,
              unsigned workerThreads) {
    const std::size_t count = std::min(owners.size(), signedPrekeys.size());
    std::vector<std::optional<Result<VerifiedPrekey, IdentityError>>> slots(count);
    parallelFor(count, 4, workerThreads != 0 ? workerThreads : defaultWorkerThreads(),
                [&](std::size_t begin, std::size_t end) {
                    for (std::size_t i = begin; i < end; ++i) {
                        if (owners[i] == nullptr) {
                            slots[i].emplace(fail(IdentityError::InvalidArgument));
                        } else {
                            slots[i].emplace(VerifiedPrekey::verify(*owners[i], signedPrekeys[i]));
                        }
                    }
                });
    std::vector<Result<VerifiedPrekey, IdentityError>> results;
    results.reserve(count);
    for (auto& slot : slots) {
        results.push_back(std::move(*slot));
    }
    return results;
}

Result<Bytes, IdentityError> EphemeralKeyPool::add(const NodeIdentity& owner, bool lastResort,
                                                   RandomSource& random) {
    auto key = KeyPair::generate();
    if (!key) {
        return fail(IdentityError::BackendFailure);
    }
    const auto prekeyId = randomId<PrekeyId>(random);
    auto signature = owner.key().sign(
        prekeyTranscript(owner.id(), prekeyId, key->publicKey().bytes(), lastResort));
    if (!signature) {
        return fail(IdentityError::BackendFailure);
    }
    wire::SignedPrekey signedPrekey;
    signedPrekey.set_node_id(stringOf(owner.id()));
    signedPrekey.set_prekey_id(stringOf(prekeyId));
    signedPrekey.set_public_key(stringOf(key->publicKey().bytes()));
    signedPrekey.set_last_resort(lastResort);
    signedPrekey.set_node_signature(stringOf(*signature));
    insert(prekeyId, std::move(key).value(), lastResort);
    return serialize(signedPrekey);
}

Result<std::vector<Bytes>, IdentityError>
EphemeralKeyPool::generate(const NodeIdentity& owner, std::size_t count, RandomSource& random) {
    std::vector<Bytes> uploads;
    uploads.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        CINDER_TRY_ASSIGN(auto signedPrekey, add(owner, false, random));
        uploads.push_back(std::move(signedPrekey));
    }
    return uploads;
}

Result<Bytes, IdentityError> EphemeralKeyPool::generateLastResort(const NodeIdentity& owner,
                                                                  RandomSource& random) {
    std::erase_if(m_entries, [](const auto& entry) { return entry.second.lastResort; });
    return add(owner, true, random);
}

void EphemeralKeyPool::insert(const PrekeyId& id, KeyPair key, bool lastResort) {
    m_entries.insert_or_assign(id, Entry{std::move(key), lastResort});
}

const EphemeralKeyPool::Entry* EphemeralKeyPool::find(const PrekeyId& id) const {
    const auto it = m_entries.find(id);
    return it == m_entries.end() ? nullptr : &it->second;
}

void EphemeralKeyPool::consume(const PrekeyId& id) {
    const auto it = m_entries.find(id);
    if (it != m_entries.end() && !it->second.lastResort) {
        m_entries.erase(it); // EVP_PKEY_free clears the private scalar
    }
}

} // namespace cinder::crypto
