// SPDX-License-Identifier: Apache-2.0
#pragma once

// The replay state and the deliveries already handled (docs/ARCHITECTURE.md, "Storage";
// docs/PROTOCOL.md section 8.5).
//
// Replay state: one row per accepted message (sender node, message id, sent time) and one row
// per sender node with its sequence window. save() writes only what the in-memory
// crypto::ReplayGuard accepted since its last save, so its cost does not grow with the number
// of ids stored; ids older than the delivery bound (crypto::kMaxDeliveryAgeMs) are deleted,
// through the index on sent_at_ms, as the guard forgets them.
//
// Handled deliveries: packets already read (or dropped), by SHA-256, until the server has
// confirmed their acknowledgement. The server sends a delivery until it hears that
// acknowledgement; a copy must not be opened again, its one-time key is gone.

#include "crypto/Hash.h"
#include "crypto/ReplayGuard.h"
#include "storage/StoreTypes.h"

#include <span>

namespace cinder::storage {

class ReplayTable {
public:
    ReplayTable(detail::Database& db, const Clock& clock) : m_db(db), m_clock(clock) {}

    // The guard as stored, on the store's clock, after forgetting ids past the delivery bound.
    [[nodiscard]] StoreResult<crypto::ReplayGuard> load();
    // Writes what guard accepted since its last save (an id row per message, the window of
    // each sender that changed) and deletes the ids it forgot, then marks it saved.
    [[nodiscard]] StoreResult<void> save(crypto::ReplayGuard& guard);
    // save() without the transaction and without marking the guard saved: for a caller that
    // writes the guard in a transaction of its own (DeliveryCommit::commit).
    [[nodiscard]] StoreResult<void> write(crypto::ReplayGuard& guard);
    // How many ids are stored (tests and benchmarks).
    [[nodiscard]] StoreResult<std::int64_t> seenCount();

    [[nodiscard]] StoreResult<bool> deliveryHandled(const crypto::Sha256Digest& packetHash);
    // Recorded once the delivery was read (or dropped) and before it is acknowledged.
    [[nodiscard]] StoreResult<void> recordHandledDelivery(const crypto::Sha256Digest& packetHash,
                                                          std::int64_t nowMs);
    // The server confirmed the acknowledgement of these packets. Forgets those confirmed before
    // forgetConfirmedBeforeMs, and those never confirmed handled before forgetHandledBeforeMs.
    [[nodiscard]] StoreResult<void>
    settleHandledDeliveries(std::span<const crypto::Sha256Digest> packetHashes, std::int64_t nowMs,
                            std::int64_t forgetConfirmedBeforeMs,
                            std::int64_t forgetHandledBeforeMs);

private:
    detail::Database& m_db;
    const Clock& m_clock;
};

} // namespace cinder::storage
