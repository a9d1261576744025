// SPDX-License-Identifier: Apache-2.0
// Opening the store and migrations (Store.h); the operations that span table owners are owners
// of their own (ExpiryRun.h, DeliveryCommit.h).

#include "storage/Store.h"

#include "storage/Database.h"
#include "storage/Migrations.h"
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
      m_outbox(*m_db), m_replay(*m_db, m_clock), m_rooms(*m_db), m_settings(*m_db),
      m_expiry(*m_db, m_clock, m_messages, m_outbox, m_attachments),
      m_deliveryCommit(*m_db, m_clock, m_messages, m_replay) {}

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
    CINDER_TRY(store->m_expiry.deleteExpired(store->now()));
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

} // namespace cinder::storage
