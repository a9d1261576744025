// SPDX-License-Identifier: Apache-2.0
#include "storage/DeliveryCommit.h"

#include "storage/Database.h"
#include "storage/MessageTable.h"
#include "storage/ReplayTable.h"

namespace cinder::storage {

namespace {
// What guard accepted goes into the same transaction, and counts as saved once that committed.
StoreResult<void> commitWithReplayState(detail::Database::Transaction& transaction,
                                        ReplayTable& replay, crypto::ReplayGuard* guard) {
    if (guard != nullptr) {
        CINDER_TRY(replay.write(*guard));
    }
    CINDER_TRY(transaction.commit());
    if (guard != nullptr) {
        guard->markSaved();
    }
    return {};
}
} // namespace

StoreResult<std::size_t> DeliveryCommit::commit(std::span<const MessageRecord> messages,
                                                const crypto::Sha256Digest& packetHash,
                                                crypto::ReplayGuard* guard) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    CINDER_TRY_ASSIGN(const std::size_t inserted, m_messages.insertInTransaction(messages, true));
    CINDER_TRY(m_replay.recordHandledDelivery(packetHash, m_clock()));
    CINDER_TRY(commitWithReplayState(transaction, m_replay, guard));
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
    CINDER_TRY(commitWithReplayState(transaction, m_replay, guard));
    return inserted;
}

} // namespace cinder::storage
