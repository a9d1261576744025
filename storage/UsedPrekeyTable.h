// SPDX-License-Identifier: Apache-2.0
#pragma once

// Other devices' one-time prekeys this device has been handed (docs/ARCHITECTURE.md,
// "Storage"; docs/THREATS.md, a server handing out one prekey twice). A one-time prekey is
// encrypted to once: a server that serves one again, to this device, is misbehaving, and a
// message encrypted to it would have none of the forward secrecy a fresh key gives. Rows are
// forgotten once no packet made with them could still be delivered (crypto::kMaxDeliveryAgeMs).

#include "crypto/Identifiers.h"
#include "storage/StoreTypes.h"

namespace cinder::storage {

class UsedPrekeyTable {
public:
    UsedPrekeyTable(detail::Database& db, const Clock& clock) : m_db(db), m_clock(clock) {}

    // Records the prekey as handed to this device now. False when it was handed out before,
    // and then nothing changes.
    [[nodiscard]] StoreResult<bool> recordFirstUse(const crypto::NodeId& node,
                                                   const crypto::PrekeyId& prekey);
    // Forgets prekeys handed out before the delivery bound; returns how many.
    [[nodiscard]] StoreResult<std::int64_t> prune();
    [[nodiscard]] StoreResult<std::int64_t> count();

private:
    detail::Database& m_db;
    const Clock& m_clock;
};

} // namespace cinder::storage
