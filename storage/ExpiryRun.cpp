// SPDX-License-Identifier: Apache-2.0
// The expiry run (ExpiryRun.h): messages and outbox items in one transaction, then the files.

#include "storage/ExpiryRun.h"

#include "storage/AttachmentTable.h"
#include "storage/Database.h"
#include "storage/MessageTable.h"
#include "storage/OutboxTable.h"
#include "storage/StorageLogging.h"

namespace cinder::storage {

ExpiryRun::ExpiryRun(detail::Database& db, const Clock& clock, MessageTable& messages,
                     OutboxTable& outbox, AttachmentTable& attachments)
    : m_db(db), m_clock(clock), m_messages(messages), m_outbox(outbox), m_attachments(attachments) {
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (auto removed = deleteExpired(m_clock()); !removed) {
            qCWarning(lcDb) << "expiry run failed:" << describe(removed.error()).data();
        }
    });
}

StoreResult<std::vector<crypto::MessageId>> ExpiryRun::deleteExpired(std::int64_t nowMs) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    CINDER_TRY_ASSIGN(auto expired, m_messages.deleteExpired(nowMs));
    CINDER_TRY(m_outbox.deleteExpired(nowMs));
    CINDER_TRY(transaction.commit());
    // After the commit: a crash in between leaves unreferenced files, swept on the next open.
    CINDER_TRY(m_attachments.removeFiles(expired.files));
    if (!expired.ids.empty()) {
        qCDebug(lcDb) << "deleted" << expired.ids.size() << "expired messages";
        emit messagesRemoved(expired.ids, expired.conversations);
    }
    return std::move(expired.ids);
}

void ExpiryRun::startTimer(std::chrono::milliseconds interval) {
    m_timer.start(interval);
}

void ExpiryRun::stopTimer() {
    m_timer.stop();
}

} // namespace cinder::storage
