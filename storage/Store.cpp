// SPDX-License-Identifier: Apache-2.0
// Opening the store, migrations, settings and the expiry of messages (docs/ARCHITECTURE.md,
// "Storage": burn timers are enforced by the store itself: an expired or burned message is deleted
// (row and attachment file) on a timer and on every open, whether or not the UI is showing it)

#include "storage/Store.h"

#include "storage/Database.h"
#include "storage/Migrations.h"
#include "storage/StorageLogging.h"
#include "storage/StoreFormatMigration.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <set>

namespace cinder::storage {

using crypto::fail;
using detail::Database;

namespace {

QString latin1(std::string_view text) {
    return QString::fromLatin1(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

Store::Store(std::unique_ptr<Database> db, QString directory, Clock clock)
    : m_db(std::move(db)), m_directory(std::move(directory)),
      m_files(QDir(m_directory).filePath(latin1(kAttachmentsFolderName))),
      m_clock(std::move(clock)) {
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
    auto db = detail::openCurrentFormat(path, klds);
    if (!db) {
        return fail(db.error());
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!clock) {
        clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    }
    std::unique_ptr<Store> store(
        new Store(std::move(db).value(), accountDirectory, std::move(clock)));
    auto version = store->migrate();
    if (!version) {
        return fail(version.error());
    }
    if (auto swept = store->removeOrphanFiles(); !swept) {
        return fail(swept.error());
    }
    if (auto expired = store->deleteExpired(store->now()); !expired) {
        return fail(expired.error());
    }
    return store;
}

QString Store::databasePath() const {
    return QDir(m_directory).filePath(latin1(kDatabaseFileName));
}

StoreResult<int> Store::migrate() {
    auto version = detail::migrate(*m_db, now());
    if (version) {
        m_schemaVersion = *version;
    }
    return version;
}

StoreResult<void> Store::checkpoint() {
    return m_db->checkpoint();
}

// --- Settings ---

StoreResult<void> Store::setSetting(std::string_view key, crypto::ByteView value) {
    auto statement = m_db->prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?);");
    if (!statement) {
        return fail(statement.error());
    }
    return statement->bindText(1, key).bind(2, value).run();
}

StoreResult<std::optional<crypto::Bytes>> Store::setting(std::string_view key) {
    auto statement = m_db->prepare("SELECT value FROM settings WHERE key = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    auto row = statement->bindText(1, key).step();
    if (!row) {
        return fail(row.error());
    }
    if (!*row) {
        return std::optional<crypto::Bytes>();
    }
    return std::optional<crypto::Bytes>(statement->blob(0));
}

StoreResult<void> Store::removeSetting(std::string_view key) {
    auto statement = m_db->prepare("DELETE FROM settings WHERE key = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    return statement->bindText(1, key).run();
}

// --- Expiry ---

StoreResult<std::vector<crypto::MessageId>> Store::deleteExpired(std::int64_t nowMs) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    std::vector<crypto::MessageId> removedIds;
    std::vector<std::string> files;
    {
        auto expired = m_db->prepare("SELECT id, message_id FROM messages "
                                     "WHERE expires_at_ms <= ?1 OR burn_deadline_ms <= ?1;");
        if (!expired) {
            return fail(expired.error());
        }
        expired->bind(1, nowMs);
        std::vector<std::int64_t> rows;
        for (;;) {
            auto row = expired->step();
            if (!row) {
                return fail(row.error());
            }
            if (!*row) {
                break;
            }
            rows.push_back(expired->integer(0));
            crypto::MessageId id{};
            if (!detail::readFixed(*expired, 1, id)) {
                return fail(StoreError::Corrupt);
            }
            removedIds.push_back(id);
        }
        for (std::int64_t row : rows) {
            auto names = attachmentFilesOfMessage(row);
            if (!names) {
                return fail(names.error());
            }
            files.insert(files.end(), names->begin(), names->end());
        }
    }
    auto remove =
        m_db->prepare("DELETE FROM messages WHERE expires_at_ms <= ?1 OR burn_deadline_ms <= ?1;");
    if (!remove) {
        return fail(remove.error());
    }
    if (auto removed = remove->bind(1, nowMs).run(); !removed) {
        return fail(removed.error());
    }
    auto outbox = m_db->prepare("DELETE FROM outbox WHERE expires_at_ms <= ?1;");
    if (!outbox) {
        return fail(outbox.error());
    }
    if (auto removed = outbox->bind(1, nowMs).run(); !removed) {
        return fail(removed.error());
    }
    if (auto committed = transaction->commit(); !committed) {
        return fail(committed.error());
    }
    // After the commit: a crash in between leaves unreferenced files, swept on the next open.
    if (auto unlinked = removeFiles(files); !unlinked) {
        return fail(unlinked.error());
    }
    if (!removedIds.empty()) {
        qCDebug(lcDb) << "deleted" << removedIds.size() << "expired messages";
        emit messagesRemoved(removedIds);
    }
    return removedIds;
}

void Store::startExpiryTimer(std::chrono::milliseconds interval) {
    m_expiryTimer.start(interval);
}

void Store::stopExpiryTimer() {
    m_expiryTimer.stop();
}

StoreResult<std::vector<std::string>> Store::attachmentFilesOfMessage(std::int64_t messageRow) {
    auto statement = m_db->prepare(
        "SELECT local_name FROM attachments WHERE message = ? AND local_name IS NOT NULL;");
    if (!statement) {
        return fail(statement.error());
    }
    statement->bind(1, messageRow);
    std::vector<std::string> names;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        names.push_back(statement->text(0));
    }
    return names;
}

StoreResult<void> Store::removeFiles(const std::vector<std::string>& localNames) {
    bool failed = false;
    for (const std::string& name : localNames) {
        auto removed = m_files.remove(name);
        if (!removed && removed.error() != AttachmentError::NotFound) {
            failed = true; // the orphan sweep on the next open retries it
        }
    }
    if (failed) {
        return fail(StoreError::Attachment);
    }
    return {};
}

StoreResult<void> Store::removeOrphanFiles() {
    auto statement =
        m_db->prepare("SELECT local_name FROM attachments WHERE local_name IS NOT NULL;");
    if (!statement) {
        return fail(statement.error());
    }
    std::set<std::string> keep;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        keep.insert(statement->text(0));
    }
    m_files.removeAllExcept(keep);
    return {};
}

} // namespace cinder::storage
