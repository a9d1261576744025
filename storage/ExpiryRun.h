// SPDX-License-Identifier: Apache-2.0
#pragma once

// The expiry of messages (docs/ARCHITECTURE.md, "Storage"): an expired or burned message is
// deleted, row and attachment files, on a timer and on every open of the store, whether or not
// anything shows it; outbox items past their expiry go in the same transaction. It spans three
// table owners (messages, outbox, attachments), so it is an owner of its own rather than a
// method of one of them; the store runs it on open and the client's Expiry role starts its
// timer.

#include "crypto/Identifiers.h"
#include "storage/StoreTypes.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <vector>

namespace cinder::storage {

class AttachmentTable;
class MessageTable;
class OutboxTable;

class ExpiryRun : public QObject {
    Q_OBJECT
public:
    ExpiryRun(detail::Database& db, const Clock& clock, MessageTable& messages, OutboxTable& outbox,
              AttachmentTable& attachments);

    // Deletes every message expired or burned at nowMs (rows and attachment files) and every
    // expired outbox item. Returns the ids of the messages removed; emits messagesRemoved.
    [[nodiscard]] StoreResult<std::vector<crypto::MessageId>> deleteExpired(std::int64_t nowMs);
    // Runs deleteExpired on the store's clock every interval until stopped or destroyed.
    void startTimer(std::chrono::milliseconds interval);
    void stopTimer();
    [[nodiscard]] bool timerActive() const { return m_timer.isActive(); }

signals:
    // Messages deleted because they expired or burned, and the conversations they were in
    // (each once).
    void messagesRemoved(const std::vector<cinder::crypto::MessageId>& ids,
                         const std::vector<cinder::crypto::ConversationId>& conversations);

private:
    detail::Database& m_db;
    const Clock& m_clock;
    MessageTable& m_messages;
    OutboxTable& m_outbox;
    AttachmentTable& m_attachments;
    QTimer m_timer;
};

} // namespace cinder::storage
