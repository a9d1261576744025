// SPDX-License-Identifier: Apache-2.0
#pragma once

// One-time prekeys, both ways (docs/PROTOCOL.md, prekeys). This device's own pool: keeps the
// server stocked (a batch when it runs low, and a last-resort key), and deletes a private half
// as soon as a message that used it is read. Other devices' prekeys: fetched from the server,
// accepted only when signed by a device of the verified device list, and one kept ready for
// each device recently written to.

#include "client/ServerChannel.h"
#include "client/SessionError.h"

#include "crypto/DeviceList.h"
#include "crypto/EphemeralKeyPool.h"
#include "crypto/PacketDecoder.h"
#include "storage/KeyTable.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace cinder::client {

class DeviceDirectory;
struct SessionContext;

class PrekeyCache {
public:
    PrekeyCache(ServerChannel& channel, storage::KeyTable& keys, const SessionContext& context,
                const DeviceDirectory& directory, crypto::EphemeralKeyPool pool);

    // --- This device's pool ---
    // At login: refills when the server says it runs low.
    [[nodiscard]] SessionResult<void> refillAtLogin(const api::AuthResult& login);
    // Uploads a batch when the server holds fewer than the refill threshold (asked when
    // knownRemaining is not given).
    [[nodiscard]] SessionResult<void>
    refill(std::optional<std::uint32_t> knownRemaining = std::nullopt);
    // The server said the pool runs low, or the last-resort key was used.
    void wantRefill() { m_refillWanted = true; }
    [[nodiscard]] bool refillWanted() const { return m_refillWanted; }
    // A received message was opened with one of this device's prekeys: its private half goes
    // from disk too (forward secrecy); the last-resort key stays and a refill is due.
    void consumed(const crypto::DecodedMessage& decoded);
    [[nodiscard]] crypto::EphemeralKeyPool& pool() { return *m_pool; }

    // --- Other devices' prekeys ---
    // One verified prekey for each node that has one (cached, or fetched now); a prekey that
    // does not verify under its node's certificate is dropped.
    [[nodiscard]] SessionResult<std::vector<crypto::VerifiedPrekey>>
    take(const std::vector<const crypto::VerifiedNode*>& nodes);
    // Keeps one verified prekey ready for each device recently written to.
    void prefetch();
    [[nodiscard]] std::size_t cachedFor(const crypto::NodeId& node) const;

    // Signed out: drops the pool (wiping its private halves) and the cache.
    void clear();

private:
    ServerChannel& m_channel;
    storage::KeyTable& m_keys;
    const SessionContext& m_context;
    const DeviceDirectory& m_directory;
    std::unique_ptr<crypto::EphemeralKeyPool> m_pool;
    bool m_refillWanted = false;
    std::map<crypto::NodeId, std::deque<crypto::VerifiedPrekey>> m_prekeys;
    std::set<crypto::NodeId> m_prefetchWanted;
};

} // namespace cinder::client
