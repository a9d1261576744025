// SPDX-License-Identifier: Apache-2.0
#include "storage/DeliveryCommit.h"

#include "storage/Database.h"
#include "storage/MessageTable.h"
#include "storage/ReplayTable.h"

namespace cinder::storage {

StoreResult<std::size_t> DeliveryCommit::commit(std::span<const MessageRecord> messages,
                                                const crypto::Sha256Digest& packetHash,
                                                crypto::ReplayGuard* guard) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    CINDER_TRY_ASSIGN(const std::size_t inserted, m_messages.insertInTransaction(messages, true));
    CINDER_TRY(m_replay.recordHandledDelivery(packetHash, m_clock()));
    if (guard != nullptr) {
        CINDER_TRY(m_replay.write(*guard));
    }
    CINDER_TRY(transaction.commit());
    if (guard != nullptr) {
        guard->markSaved();
    }
    return inserted;
}

StoreResult<std::vector<bool>> DeliveryCommit::commitAll(std::span<const ReceivedMessage> received,
                                                         crypto::ReplayGuard* guard) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    const std::int64_t now = m_clock();
    std::vector<bool> inserted;
    inserted.reserve(received.size());
    for (const ReceivedMessage& one : received) {
        CINDER_TRY_ASSIGN(const std::size_t count,
                          m_messages.insertInTransaction(std::span(&one.record, 1), true));
        inserted.push_back(count == 1);
        CINDER_TRY(m_replay.recordHandledDelivery(one.packetHash, now));
    }
    if (guard != nullptr) {
        CINDER_TRY(m_replay.write(*guard));
    }
    CINDER_TRY(transaction.commit());
    if (guard != nullptr) {
        guard->markSaved();
    }
    return inserted;
}

} // namespace cinder::storage
