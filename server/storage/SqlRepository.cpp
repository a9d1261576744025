// SPDX-License-Identifier: Apache-2.0
// SqlRepository: the connection and its prepared statements, schema migration, expiry, wake-ups
// between server processes, and opening SQLite or PostgreSQL. The verbs' storage lives beside it
// by area: SqlAccounts, SqlPrekeys, SqlRelay and SqlBlobs.cpp.
#include "server/storage/SqlRepositoryDetail.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSqlDriver>
#include <QSqlError>

#include <algorithm>
#include <atomic>
#include <cstring>

Q_LOGGING_CATEGORY(lcDb, "cinder.server.db", QtInfoMsg)

namespace cinder::server {

using namespace sql;

namespace {

// An arbitrary constant: the PostgreSQL advisory lock that serialises migrations.
constexpr qint64 kMigrationLock = 0x43494e4445520001;

// SQLite waits this long for another connection's write lock before giving up.
constexpr int kSqliteBusyTimeoutMs = 10000;

QString nextConnectionName(const char* kind) {
    static std::atomic<unsigned> counter{0};
    return QStringLiteral("cinder-%1-%2").arg(QLatin1String(kind)).arg(++counter);
}

bool isUniqueViolation(const QSqlError& error) {
    const QString code = error.nativeErrorCode();
    if (code == QLatin1String("23505")) // PostgreSQL unique_violation
        return true;
    if (code == QLatin1String("2067") || code == QLatin1String("1555")) // SQLite extended codes
        return true;
    return code == QLatin1String("19") && error.databaseText().contains(QLatin1String("UNIQUE"));
}

} // namespace

SqlRepository::SqlRepository(const QString& connectionName, SqlDialect dialect)
    : m_connectionName(connectionName), m_dialect(dialect),
      m_db(QSqlDatabase::database(connectionName, false)),
      m_text(std::make_unique<QSqlQuery>(m_db)) {
    quint64 instance = QRandomGenerator::system()->generate64();
    m_instanceId = QByteArray(reinterpret_cast<const char*>(&instance), sizeof instance).toHex();
}

SqlRepository::~SqlRepository() {
    m_checkpointer.reset();
    m_statements.clear();
    m_text.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    if (!m_listenConnectionName.isEmpty()) {
        m_listenDb.close();
        m_listenDb = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_listenConnectionName);
    }
}

QSqlQuery* SqlRepository::statement(const QString& sql) {
    auto it = m_statements.constFind(sql);
    if (it != m_statements.constEnd())
        return it->get();
    auto q = std::make_shared<QSqlQuery>(m_db);
    q->setForwardOnly(true);
    if (!q->prepare(sql)) {
        qCWarning(lcDb) << "prepare failed, code" << q->lastError().nativeErrorCode();
        return nullptr;
    }
    m_statements.insert(sql, q);
    return q.get();
}

bool SqlRepository::run(QSqlQuery& q, const char* operation) {
    if (q.exec())
        return true;
    const QSqlError error = q.lastError();
    if (isUniqueViolation(error))
        qCDebug(lcDb) << operation << "hit a unique key";
    else
        qCWarning(lcDb) << operation << "failed, code" << error.nativeErrorCode() << "type"
                        << error.type();
    return false;
}

bool SqlRepository::runText(const QString& sql, const char* operation) {
    m_text->finish();
    if (m_text->exec(sql))
        return true;
    qCWarning(lcDb) << operation << "failed, code" << m_text->lastError().nativeErrorCode();
    return false;
}

StoreError SqlRepository::failure(const QSqlQuery& q, const char* operation) const {
    static_cast<void>(operation);
    return isUniqueViolation(q.lastError()) ? StoreError::Conflict : StoreError::Unavailable;
}

// --- Schema ------------------------------------------------------------------------------

Result<void, StoreError> SqlRepository::migrate() {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    if (m_dialect == SqlDialect::Postgres &&
        !runText(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kMigrationLock),
                 "migration lock"))
        return fail(StoreError::Unavailable);
    if (!runText(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                " version INTEGER PRIMARY KEY, applied_at_ms %1 NOT NULL)")
                     .arg(m_dialect == SqlDialect::Postgres ? QStringLiteral("BIGINT")
                                                            : QStringLiteral("INTEGER")),
                 "schema_version"))
        return fail(StoreError::Unavailable);
    if (!runText(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version"),
                 "schema version") ||
        !m_text->next())
        return fail(StoreError::Unavailable);
    const int current = m_text->value(0).toInt();
    m_text->finish();

    const std::vector<QStringList> migrations = schemaMigrations(m_dialect);
    const int known = static_cast<int>(migrations.size());
    if (current > known) {
        qCWarning(lcDb) << "database schema" << current << "is newer than this server's" << known;
        return fail(StoreError::Unavailable);
    }
    for (int version = current + 1; version <= known; ++version) {
        for (const QString& sql : migrations[static_cast<std::size_t>(version - 1)]) {
            if (!runText(sql, "migration"))
                return fail(StoreError::Unavailable);
        }
        if (!runText(QStringLiteral("INSERT INTO schema_version (version, applied_at_ms) "
                                    "VALUES (%1, %2)")
                         .arg(version)
                         .arg(QDateTime::currentMSecsSinceEpoch()),
                     "schema version"))
            return fail(StoreError::Unavailable);
    }
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    if (current < known)
        qCInfo(lcDb) << "schema migrated from version" << current << "to" << known;
    return {};
}

// --- Events and expiry -------------------------------------------------------------------

Result<void, StoreError> SqlRepository::recordEvent(const QByteArray& rootId, const QString& kind,
                                                    std::int64_t atMs) {
    QSqlQuery* q =
        statement(QStringLiteral("INSERT INTO events (root_id, kind, at_ms) VALUES (?, ?, ?)"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(rootId));
    q->bindValue(1, kind);
    q->bindValue(2, integer(atMs));
    if (!run(*q, "record event"))
        return fail(StoreError::Unavailable);
    return {};
}

Result<int, StoreError> SqlRepository::eventCount(const QByteArray& rootId) {
    return countWhere(QStringLiteral("SELECT COUNT(*) FROM events WHERE root_id = ?"), rootId,
                      "event count");
}

Result<PurgeCounts, StoreError> SqlRepository::purgeExpired(std::int64_t nowMs,
                                                            std::int64_t eventCutoffMs) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    QSqlQuery* deliveries =
        statement(QStringLiteral("DELETE FROM deliveries WHERE expires_at_ms <= ?"));
    QSqlQuery* chunks =
        statement(QStringLiteral("DELETE FROM blob_chunks WHERE blob_id IN "
                                 "(SELECT blob_id FROM blobs WHERE expires_at_ms <= ?)"));
    QSqlQuery* blobs = statement(QStringLiteral("DELETE FROM blobs WHERE expires_at_ms <= ?"));
    QSqlQuery* events = statement(QStringLiteral("DELETE FROM events WHERE at_ms < ?"));
    if (!deliveries || !chunks || !blobs || !events)
        return fail(StoreError::Unavailable);
    PurgeCounts counts;
    deliveries->bindValue(0, integer(nowMs));
    if (!run(*deliveries, "purge deliveries"))
        return fail(StoreError::Unavailable);
    counts.deliveries = std::max(0, deliveries->numRowsAffected());
    chunks->bindValue(0, integer(nowMs));
    if (!run(*chunks, "purge blob chunks"))
        return fail(StoreError::Unavailable);
    blobs->bindValue(0, integer(nowMs));
    if (!run(*blobs, "purge blobs"))
        return fail(StoreError::Unavailable);
    counts.blobs = std::max(0, blobs->numRowsAffected());
    events->bindValue(0, integer(eventCutoffMs));
    if (!run(*events, "purge events"))
        return fail(StoreError::Unavailable);
    counts.events = std::max(0, events->numRowsAffected());
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return counts;
}

// --- Wake-ups ----------------------------------------------------------------------------

void SqlRepository::setRemoteDeliveryListener(
    std::function<void(const QByteArray& nodeId)> listener) {
    m_remoteListener = std::move(listener);
    if (m_dialect != SqlDialect::Postgres || !m_listenConnectionName.isEmpty())
        return;
    // A connection of its own that stays idle: libpq reads notifications while a query runs
    // and Qt's socket notifier would then not see them until the next unrelated traffic.
    m_listenConnectionName = m_connectionName + QStringLiteral("-listen");
    m_listenDb = QSqlDatabase::cloneDatabase(m_db, m_listenConnectionName);
    if (!m_listenDb.open()) {
        qCWarning(lcDb) << "listen connection failed, code"
                        << m_listenDb.lastError().nativeErrorCode();
        return;
    }
    QSqlDriver* driver = m_listenDb.driver();
    QObject::connect(driver, &QSqlDriver::notification, driver,
                     [this](const QString& name, QSqlDriver::NotificationSource,
                            const QVariant& payload) { handleNotification(name, payload); });
    if (!driver->subscribeToNotification(kDeliveryChannel))
        qCWarning(lcDb) << "LISTEN failed, code" << driver->lastError().nativeErrorCode();
}

void SqlRepository::handleNotification(const QString& name, const QVariant& payload) {
    if (name != kDeliveryChannel || !m_remoteListener)
        return;
    const QStringList parts = payload.toString().split(QLatin1Char(':'));
    if (parts.size() != 2 || parts[1].toLatin1() == m_instanceId)
        return;
    const QByteArray nodeId = QByteArray::fromHex(parts[0].toLatin1());
    if (!nodeId.isEmpty())
        m_remoteListener(nodeId);
}

// --- Opening -----------------------------------------------------------------------------

std::unique_ptr<Repository> openSqliteRepository(const QString& path) {
    const QString name = nextConnectionName("sqlite");
    std::unique_ptr<SqliteCheckpointer> checkpointer;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kSqliteBusyTimeoutMs));
        bool ok = db.open();
        bool wal = false;
        if (ok) {
            QSqlQuery q(db);
            // WAL: readers do not block the writer. synchronous=FULL: every commit is on disk
            // before it returns, so an acknowledged message survives kill -9 and power loss.
            for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                                       "PRAGMA foreign_keys=OFF", "PRAGMA cache_size=-65536"}) {
                if (!q.exec(QString::fromLatin1(pragma))) {
                    ok = false;
                    break;
                }
                if (std::strcmp(pragma, "PRAGMA journal_mode=WAL") == 0)
                    wal = q.next() && q.value(0).toString() == QLatin1String("wal");
                q.finish();
            }
        }
        if (ok && wal) {
            checkpointer = std::make_unique<SqliteCheckpointer>(path);
            QSqlQuery q(db);
            if (!checkpointer->start() ||
                !q.exec(QStringLiteral("PRAGMA wal_autocheckpoint=%1")
                            .arg(SqliteCheckpointer::kWriterBackstopFrames)))
                checkpointer.reset(); // the writer keeps checkpointing by itself
        }
        if (!ok) {
            qCWarning(lcDb) << "cannot open the SQLite database, code"
                            << db.lastError().nativeErrorCode();
            db.close();
        }
        if (!ok) {
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
            return nullptr;
        }
    }
    auto repository = std::make_unique<SqlRepository>(name, SqlDialect::Sqlite);
    repository->setCheckpointer(std::move(checkpointer));
    return repository;
}

std::unique_ptr<Repository> openPostgresRepository(const QString& host, int port,
                                                   const QString& database, const QString& user,
                                                   const QString& password) {
    const QString name = nextConnectionName("postgres");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(host);
        db.setPort(port);
        db.setDatabaseName(database);
        db.setUserName(user);
        db.setPassword(password);
        if (!db.open()) {
            qCWarning(lcDb) << "cannot connect to PostgreSQL, code"
                            << db.lastError().nativeErrorCode();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
            return nullptr;
        }
        // Keeps "already exists, skipping" and similar notices out of the server's stderr.
        QSqlQuery q(db);
        q.exec(QStringLiteral("SET client_min_messages = warning"));
    }
    return std::make_unique<SqlRepository>(name, SqlDialect::Postgres);
}

} // namespace cinder::server
