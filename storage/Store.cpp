// SPDX-License-Identifier: Apache-2.0
// Opening the store, migrations, and the operations that span table owners (Store.h): the expiry
// of messages (docs/ARCHITECTURE.md, "Storage": an expired or burned message is deleted, row and
// attachment file, on a timer and on every open, whether or not the UI is showing it) and the
// commit of a received delivery.

#include "storage/Store.h"

#include "storage/Database.h"
#include "storage/Migrations.h"
#include "storage/StorageLogging.h"
#include "storage/StoreFormatMigration.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

namespace cinder::storage {

using crypto::fail;
using detail::Database;

namespace {

QString latin1(std::string_view text) {
    return QString::fromLatin1(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

Store::Store(std::unique_ptr<Database> db, QString directory, Clock clock)
    : m_db(std::move(db)), m_directory(std::move(directory)), m_clock(std::move(clock)),
      m_keys(*m_db, m_clock), m_contacts(*m_db),
      m_attachments(*m_db, QDir(m_directory).filePath(latin1(kAttachmentsFolderName))),
      m_conversations(*m_db, m_attachments), m_messages(*m_db, m_conversations, m_attachments),
      m_outbox(*m_db), m_replay(*m_db, m_clock), m_rooms(*m_db), m_settings(*m_db) {
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] {
        if (auto removed = deleteExpired(now()); !removed) {
            qCWarning(lcDb) << "expiry run failed:" << describe(removed.error()).data();
        }
    });
}

Store::~Store() = default;

StoreResult<std::unique_ptr<Store>> Store::open(const QString& accountDirectory,
                                                const crypto::SecureBuffer& klds, Clock clock) {
    if (klds.size() != crypto::kSymmetricKeySize) {
        return fail(StoreError::KeyLength);
    }
    if (!QDir().mkpath(accountDirectory)) {
        return fail(StoreError::Io);
    }
    QFile::setPermissions(accountDirectory,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString path = QDir(accountDirectory).filePath(latin1(kDatabaseFileName));
    CINDER_TRY_ASSIGN(auto db, detail::openCurrentFormat(path, klds));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!clock) {
        clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    }
    std::unique_ptr<Store> store(new Store(std::move(db), accountDirectory, std::move(clock)));
    CINDER_TRY(store->migrate());
    CINDER_TRY(store->m_attachments.removeOrphanFiles());
    CINDER_TRY(store->deleteExpired(store->now()));
    return store;
}

QString Store::databasePath() const {
    return QDir(m_directory).filePath(latin1(kDatabaseFileName));
}

StoreResult<int> Store::migrate() {
    CINDER_TRY_ASSIGN(m_schemaVersion, detail::migrate(*m_db, now()));
    return m_schemaVersion;
}

StoreResult<void> Store::checkpoint() {
    return m_db->checkpoint();
}

StoreResult<std::size_t> Store::commitReceived(std::span<const MessageRecord> messages,
                                               const crypto::Sha256Digest& packetHash,
                                               crypto::ReplayGuard* guard) {
    CINDER_TRY_ASSIGN(auto transaction, m_db->begin());
    CINDER_TRY_ASSIGN(const std::size_t inserted, m_messages.insertInTransaction(messages, true));
    CINDER_TRY(m_replay.recordHandledDelivery(packetHash, now()));
    if (guard != nullptr) {
        CINDER_TRY(m_replay.write(*guard));
    }
    CINDER_TRY(transaction.commit());
    if (guard != nullptr) {
        guard->markSaved();
    }
    return inserted;
}

StoreResult<std::vector<crypto::MessageId>> Store::deleteExpired(std::int64_t nowMs) {
    CINDER_TRY_ASSIGN(auto transaction, m_db->begin());
    CINDER_TRY_ASSIGN(auto expired, m_messages.deleteExpired(nowMs));
    CINDER_TRY(m_outbox.deleteExpired(nowMs));
    CINDER_TRY(transaction.commit());
    // After the commit: a crash in between leaves unreferenced files, swept on the next open.
    CINDER_TRY(m_attachments.removeFiles(expired.files));
    if (!expired.ids.empty()) {
        qCDebug(lcDb) << "deleted" << expired.ids.size() << "expired messages";
        emit messagesRemoved(expired.ids);
    }
    return std::move(expired.ids);
}

void Store::startExpiryTimer(std::chrono::milliseconds interval) {
    m_expiryTimer.start(interval);
}

void Store::stopExpiryTimer() {
    m_expiryTimer.stop();
}

} // namespace cinder::storage
