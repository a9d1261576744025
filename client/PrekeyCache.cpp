// SPDX-License-Identifier: Apache-2.0
// Prekeys: this device's pool kept stocked on the server, other devices' prekeys fetched,
// verified against the signed device list and kept ready.
#include "client/PrekeyCache.h"

#include "client/DeviceDirectory.h"
#include "client/SessionContext.h"
#include "client/SessionInternal.h"

#include <algorithm>

namespace cinder::client {

using crypto::fail;
using detail::orFail;
using detail::str;
using detail::view;

namespace {
// Below this many prekeys on the server, the device uploads a new batch at login.
constexpr std::uint32_t kPrekeyRefillBelow = 20;
} // namespace

PrekeyCache::PrekeyCache(ServerChannel& channel, storage::KeyTable& keys,
                         const SessionContext& context, const DeviceDirectory& directory,
                         crypto::EphemeralKeyPool pool)
    : m_channel(channel), m_keys(keys), m_context(context), m_directory(directory),
      m_pool(std::make_unique<crypto::EphemeralKeyPool>(std::move(pool))) {}

SessionResult<void> PrekeyCache::refillAtLogin(const api::AuthResult& login) {
    if (login.prekeys_low() || login.prekeys_remaining() < kPrekeyRefillBelow) {
        m_refillWanted = true;
    }
    if (m_refillWanted) {
        CINDER_TRY(refill(login.prekeys_remaining()));
    }
    return {};
}

SessionResult<void> PrekeyCache::refill(std::optional<std::uint32_t> knownRemaining) {
    // "Low" pushes can pile up while a refill runs; each would add a batch. Ask the server how
    // many are left (an empty upload answers that) and refill only when still low.
    if (!knownRemaining) {
        CINDER_TRY_ASSIGN(const auto current, detail::replyAs<api::PrekeyStatus>(m_channel.call(
                                                  api::VERB_UPLOAD_PREKEYS, api::UploadPrekeys())));
        if (current.remaining() >= kPrekeyRefillBelow && current.has_last_resort()) {
            m_refillWanted = false;
            return {};
        }
    }
    const crypto::NodeIdentity& node = *m_context.node;
    CINDER_TRY_ASSIGN(
        const auto batch,
        orFail(m_pool->generate(node, m_context.options.prekeyBatch), SessionError::CryptoFailure));
    api::UploadPrekeys upload;
    for (const crypto::Bytes& signedPrekey : batch) {
        upload.add_signed_prekeys(str(signedPrekey));
    }
    const bool hasLastResort =
        std::any_of(m_pool->entries().begin(), m_pool->entries().end(),
                    [](const auto& entry) { return entry.second.lastResort; });
    if (!hasLastResort) {
        CINDER_TRY_ASSIGN(const auto lastResort,
                          orFail(m_pool->generateLastResort(node), SessionError::CryptoFailure));
        upload.set_last_resort(str(lastResort));
    }
    // The private halves are on disk before the server can hand out a public one.
    CINDER_TRY(m_keys.savePrekeyPool(*m_pool));
    CINDER_TRY(detail::accepted(m_channel.call(api::VERB_UPLOAD_PREKEYS, upload)));
    m_refillWanted = false;
    qCInfo(lcSession) << "uploaded" << batch.size() << "prekeys";
    return {};
}

void PrekeyCache::consumed(const crypto::DecodedMessage& decoded) {
    if (decoded.usedLastResortKey) {
        m_refillWanted = true;
    } else if (auto deleted = m_keys.deletePrekey(decoded.usedPrekey);
               !deleted && deleted.error() != storage::StoreError::NotFound) {
        qCWarning(lcSession) << "used prekey not deleted:" << describe(deleted.error()).data();
    }
}

SessionResult<std::vector<crypto::VerifiedPrekey>>
PrekeyCache::take(const std::vector<const crypto::VerifiedNode*>& nodes) {
    std::vector<crypto::VerifiedPrekey> out;
    api::FetchPrekeysRequest request;
    std::map<crypto::NodeId, const crypto::VerifiedNode*> missing;
    for (const crypto::VerifiedNode* node : nodes) {
        auto cached = m_prekeys.find(node->nodeId());
        if (cached != m_prekeys.end() && !cached->second.empty()) {
            out.push_back(std::move(cached->second.front()));
            cached->second.pop_front();
        } else {
            missing.emplace(node->nodeId(), node);
            request.add_node_ids(str(node->nodeId()));
        }
        m_prefetchWanted.insert(node->nodeId());
    }
    if (missing.empty()) {
        return out;
    }
    CINDER_TRY_ASSIGN(const auto response, detail::replyAs<api::FetchPrekeysResponse>(
                                               m_channel.call(api::VERB_FETCH_PREKEYS, request)));
    std::vector<const crypto::VerifiedNode*> owners;
    std::vector<crypto::Bytes> signedPrekeys;
    for (const api::FetchedPrekey& fetched : response.prekeys()) {
        const auto nodeId = detail::idFrom<crypto::NodeId>(fetched.node_id());
        if (!nodeId || fetched.signed_prekey().empty()) {
            continue;
        }
        const auto owner = missing.find(*nodeId);
        if (owner == missing.end()) {
            continue; // not asked for
        }
        owners.push_back(owner->second);
        signedPrekeys.push_back(crypto::toBytes(view(fetched.signed_prekey())));
    }
    auto verified = crypto::verifyPrekeys(owners, signedPrekeys);
    std::set<crypto::NodeId> served;
    for (std::size_t i = 0; i < verified.size(); ++i) {
        if (!verified[i] || !served.insert(owners[i]->nodeId()).second) {
            qCWarning(lcSession) << "server handed out a prekey that does not verify";
            continue;
        }
        out.push_back(std::move(verified[i]).value());
    }
    return out;
}

void PrekeyCache::prefetch() {
    // Keep one verified prekey ready for each device recently written to, so the next message
    // to it is encrypted without a round trip.
    std::vector<crypto::NodeId> wanted;
    for (const crypto::NodeId& node : m_prefetchWanted) {
        auto cached = m_prekeys.find(node);
        if (cached == m_prekeys.end() || cached->second.empty()) {
            wanted.push_back(node);
        }
    }
    m_prefetchWanted.clear();
    if (wanted.empty() || !m_channel.isConnected()) {
        return;
    }
    auto fetched = take(m_directory.cachedNodes(wanted));
    m_prefetchWanted.clear();
    if (!fetched) {
        return;
    }
    for (crypto::VerifiedPrekey& prekey : *fetched) {
        m_prekeys[prekey.nodeId()].push_back(std::move(prekey));
    }
}

std::size_t PrekeyCache::cachedFor(const crypto::NodeId& node) const {
    const auto cached = m_prekeys.find(node);
    return cached == m_prekeys.end() ? 0 : cached->second.size();
}

void PrekeyCache::clear() {
    m_prekeys.clear();
    m_prefetchWanted.clear();
    // The private halves are freed (and wiped) with the pool.
    m_pool.reset();
}

} // namespace cinder::client
