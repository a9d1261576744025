// SPDX-License-Identifier: Apache-2.0
#include "server/storage/SqlRepository.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSqlDriver>
#include <QSqlError>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>

Q_LOGGING_CATEGORY(lcDb, "cinder.server.db", QtInfoMsg)

namespace cinder::server {

namespace {

const QString kDeliveryChannel = QStringLiteral("cinder_delivery");

// An arbitrary constant: the PostgreSQL advisory lock that serialises migrations.
constexpr qint64 kMigrationLock = 0x43494e4445520001;

// SQLite waits this long for another connection's write lock before giving up.
constexpr int kSqliteBusyTimeoutMs = 10000;

QString nextConnectionName(const char* kind) {
    static std::atomic<unsigned> counter{0};
    return QStringLiteral("cinder-%1-%2").arg(QLatin1String(kind)).arg(++counter);
}

// Binds bytes as a zero-length blob rather than NULL when empty.
QVariant bytes(const QByteArray& value) {
    return value.isNull() ? QVariant(QByteArray("")) : QVariant(value);
}

QVariant integer(std::int64_t value) {
    return QVariant(static_cast<qlonglong>(value));
}

QVariant unsignedInteger(std::uint64_t value) {
    return QVariant(
        static_cast<qlonglong>(std::min<std::uint64_t>(value, std::numeric_limits<qint64>::max())));
}

std::int64_t int64At(const QSqlQuery& q, int column) {
    return q.value(column).toLongLong();
}

std::uint64_t uint64At(const QSqlQuery& q, int column) {
    return static_cast<std::uint64_t>(std::max<qlonglong>(0, q.value(column).toLongLong()));
}

bool isUniqueViolation(const QSqlError& error) {
    const QString code = error.nativeErrorCode();
    if (code == QLatin1String("23505")) // PostgreSQL unique_violation
        return true;
    if (code == QLatin1String("2067") || code == QLatin1String("1555")) // SQLite extended codes
        return true;
    return code == QLatin1String("19") && error.databaseText().contains(QLatin1String("UNIQUE"));
}

// A stable 64-bit key for a node id (the same in every process, unlike qHash).
qint64 lockKeyOf(const QByteArray& nodeId) {
    const QByteArray digest = QCryptographicHash::hash(nodeId, QCryptographicHash::Sha256);
    qint64 key = 0;
    std::memcpy(&key, digest.constData(), sizeof key);
    return key;
}

const QString kAccountColumns = QStringLiteral(
    "SELECT username, root_id, root_public_key, device_list, device_list_version, "
    "recovery_bundle, recovery_verifier_hash, recovery_kdf_parameters, discovery_hash, "
    "created_at_ms FROM accounts ");

AccountRecord accountFrom(const QSqlQuery& q) {
    AccountRecord a;
    a.username = q.value(0).toString();
    a.rootId = q.value(1).toByteArray();
    a.rootPublicKey = q.value(2).toByteArray();
    a.deviceList = q.value(3).toByteArray();
    a.deviceListVersion = uint64At(q, 4);
    a.recoveryBundle = q.value(5).toByteArray();
    a.recoveryVerifierHash = q.value(6).toByteArray();
    a.recoveryKdfParameters = q.value(7).toByteArray();
    a.discoveryHash = q.value(8).toByteArray();
    a.createdAtMs = int64At(q, 9);
    return a;
}

NodeRecord nodeFrom(const QSqlQuery& q) {
    return NodeRecord{q.value(0).toByteArray(), q.value(1).toByteArray(), q.value(2).toByteArray(),
                      q.value(3).toByteArray()};
}

// PostgreSQL writes rows in multi-row INSERTs of a power-of-two size up to this (so at most
// seven prepared statements), one round trip each instead of one per row.
constexpr std::size_t kPostgresInsertChunk = 64;

QString postgresInsertSql(std::size_t rows) {
    QString sql = QStringLiteral("INSERT INTO deliveries (recipient_node_id, sender_root_id, "
                                 "sender_node_id, packet, received_at_ms, expires_at_ms) VALUES ");
    for (std::size_t i = 0; i < rows; ++i)
        sql +=
            i == 0 ? QStringLiteral("(?, ?, ?, ?, ?, ?)") : QStringLiteral(", (?, ?, ?, ?, ?, ?)");
    return sql + QStringLiteral(" RETURNING delivery_id");
}

// "{1,2,3}": a bigint[] literal (digits and commas only, nothing to escape).
QString postgresIdArray(const std::vector<std::uint64_t>& ids) {
    QString list;
    list.reserve(static_cast<qsizetype>(ids.size() * 12 + 2));
    list += QLatin1Char('{');
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0)
            list += QLatin1Char(',');
        list +=
            QString::number(std::min<std::uint64_t>(ids[i], std::numeric_limits<qint64>::max()));
    }
    return list + QLatin1Char('}');
}

} // namespace

// A write transaction that rolls back unless committed. SQLite takes the write lock at BEGIN
// (IMMEDIATE), so two connections never deadlock upgrading a read lock.
class SqlRepository::Transaction {
public:
    explicit Transaction(SqlRepository& repository) : m_repository(repository) {}
    ~Transaction() {
        if (m_active)
            m_repository.runText(QStringLiteral("ROLLBACK"), "rollback");
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    [[nodiscard]] bool begin() {
        m_active = m_repository.runText(m_repository.m_dialect == SqlDialect::Sqlite
                                            ? QStringLiteral("BEGIN IMMEDIATE")
                                            : QStringLiteral("BEGIN"),
                                        "begin");
        return m_active;
    }
    [[nodiscard]] bool commit() {
        if (!m_repository.runText(QStringLiteral("COMMIT"), "commit"))
            return false; // still active: the destructor rolls back
        m_active = false;
        return true;
    }

private:
    SqlRepository& m_repository;
    bool m_active = false;
};

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

// --- Accounts and devices ----------------------------------------------------------------

Result<void, StoreError> SqlRepository::createAccount(const AccountRecord& account,
                                                      const std::vector<NodeRecord>& nodes) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    QSqlQuery* insert = statement(QStringLiteral(
        "INSERT INTO accounts (root_id, username, root_public_key, device_list, "
        "device_list_version, recovery_bundle, recovery_verifier_hash, recovery_kdf_parameters, "
        "discovery_hash, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!insert)
        return fail(StoreError::Unavailable);
    insert->bindValue(0, bytes(account.rootId));
    insert->bindValue(1, account.username);
    insert->bindValue(2, bytes(account.rootPublicKey));
    insert->bindValue(3, bytes(account.deviceList));
    insert->bindValue(4, unsignedInteger(account.deviceListVersion));
    insert->bindValue(5, bytes(account.recoveryBundle));
    insert->bindValue(6, bytes(account.recoveryVerifierHash));
    insert->bindValue(7, bytes(account.recoveryKdfParameters));
    insert->bindValue(8, bytes(account.discoveryHash));
    insert->bindValue(9, integer(account.createdAtMs));
    if (!run(*insert, "create account"))
        return fail(failure(*insert, "create account"));

    QSqlQuery* insertNode = statement(QStringLiteral(
        "INSERT INTO nodes (node_id, root_id, node_public_key, certificate) VALUES (?, ?, ?, ?)"));
    if (!insertNode)
        return fail(StoreError::Unavailable);
    for (const NodeRecord& n : nodes) {
        insertNode->bindValue(0, bytes(n.nodeId));
        insertNode->bindValue(1, bytes(account.rootId));
        insertNode->bindValue(2, bytes(n.nodePublicKey));
        insertNode->bindValue(3, bytes(n.certificate));
        if (!run(*insertNode, "create account node"))
            return fail(failure(*insertNode, "create account node"));
    }
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return {};
}

Result<AccountRecord, StoreError> SqlRepository::accountWhere(const QString& column,
                                                              const QVariant& key) {
    QSqlQuery* q = statement(kAccountColumns + QStringLiteral("WHERE %1 = ?").arg(column));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, key);
    if (!run(*q, "account lookup"))
        return fail(StoreError::Unavailable);
    if (!q->next()) {
        q->finish();
        return fail(StoreError::NotFound);
    }
    AccountRecord account = accountFrom(*q);
    q->finish();
    return account;
}

Result<AccountRecord, StoreError> SqlRepository::accountByUsername(const QString& username) {
    return accountWhere(QStringLiteral("username"), username);
}

Result<AccountRecord, StoreError> SqlRepository::accountByRootId(const QByteArray& rootId) {
    return accountWhere(QStringLiteral("root_id"), bytes(rootId));
}

Result<std::vector<AccountRecord>, StoreError>
SqlRepository::accountsByDiscoveryHash(const std::vector<QByteArray>& hashes) {
    std::vector<AccountRecord> found;
    QSqlQuery* q = statement(kAccountColumns + QStringLiteral("WHERE discovery_hash = ?"));
    if (!q)
        return fail(StoreError::Unavailable);
    for (const QByteArray& hash : hashes) {
        if (hash.isEmpty())
            continue;
        q->bindValue(0, bytes(hash));
        if (!run(*q, "discovery"))
            return fail(StoreError::Unavailable);
        while (q->next())
            found.push_back(accountFrom(*q));
        q->finish();
    }
    return found;
}

Result<std::vector<QByteArray>, StoreError>
SqlRepository::replaceDeviceList(const QByteArray& rootId, std::uint64_t version,
                                 const QByteArray& deviceList,
                                 const std::vector<NodeRecord>& nodes) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    QSqlQuery* current = statement(
        m_dialect == SqlDialect::Postgres
            ? QStringLiteral(
                  "SELECT device_list_version FROM accounts WHERE root_id = ? FOR UPDATE")
            : QStringLiteral("SELECT device_list_version FROM accounts WHERE root_id = ?"));
    if (!current)
        return fail(StoreError::Unavailable);
    current->bindValue(0, bytes(rootId));
    if (!run(*current, "device list version"))
        return fail(StoreError::Unavailable);
    if (!current->next()) {
        current->finish();
        return fail(StoreError::NotFound);
    }
    const std::uint64_t stored = uint64At(*current, 0);
    current->finish();
    if (version <= stored)
        return fail(StoreError::Conflict);

    QSqlQuery* update = statement(QStringLiteral(
        "UPDATE accounts SET device_list = ?, device_list_version = ? WHERE root_id = ?"));
    if (!update)
        return fail(StoreError::Unavailable);
    update->bindValue(0, bytes(deviceList));
    update->bindValue(1, unsignedInteger(version));
    update->bindValue(2, bytes(rootId));
    if (!run(*update, "device list update"))
        return fail(StoreError::Unavailable);

    QSqlQuery* listed = statement(QStringLiteral("SELECT node_id FROM nodes WHERE root_id = ?"));
    if (!listed)
        return fail(StoreError::Unavailable);
    listed->bindValue(0, bytes(rootId));
    if (!run(*listed, "device list nodes"))
        return fail(StoreError::Unavailable);
    std::vector<QByteArray> removed;
    while (listed->next()) {
        QByteArray id = listed->value(0).toByteArray();
        const bool kept = std::any_of(nodes.begin(), nodes.end(),
                                      [&](const NodeRecord& n) { return n.nodeId == id; });
        if (!kept)
            removed.push_back(std::move(id));
    }
    listed->finish();

    static const char* const kRemovals[] = {
        "DELETE FROM nodes WHERE node_id = ?",
        "DELETE FROM prekeys WHERE node_id = ?",
        "DELETE FROM last_resort WHERE node_id = ?",
        "DELETE FROM deliveries WHERE recipient_node_id = ?",
    };
    for (const char* sql : kRemovals) {
        QSqlQuery* q = statement(QString::fromLatin1(sql));
        if (!q)
            return fail(StoreError::Unavailable);
        for (const QByteArray& id : removed) {
            q->bindValue(0, bytes(id));
            if (!run(*q, "device removal"))
                return fail(StoreError::Unavailable);
        }
    }

    // A node id that belongs to another account is not taken over: the WHERE leaves it alone
    // and the missing row count turns into Conflict.
    QSqlQuery* upsert = statement(QStringLiteral(
        "INSERT INTO nodes (node_id, root_id, node_public_key, certificate) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (node_id) DO UPDATE SET node_public_key = excluded.node_public_key, "
        "certificate = excluded.certificate WHERE nodes.root_id = excluded.root_id"));
    if (!upsert)
        return fail(StoreError::Unavailable);
    for (const NodeRecord& n : nodes) {
        upsert->bindValue(0, bytes(n.nodeId));
        upsert->bindValue(1, bytes(rootId));
        upsert->bindValue(2, bytes(n.nodePublicKey));
        upsert->bindValue(3, bytes(n.certificate));
        if (!run(*upsert, "device upsert"))
            return fail(StoreError::Unavailable);
        if (upsert->numRowsAffected() != 1)
            return fail(StoreError::Conflict);
    }
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return removed;
}

Result<NodeRecord, StoreError> SqlRepository::node(const QByteArray& nodeId) {
    QSqlQuery* q = statement(QStringLiteral(
        "SELECT node_id, root_id, node_public_key, certificate FROM nodes WHERE node_id = ?"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(nodeId));
    if (!run(*q, "node lookup"))
        return fail(StoreError::Unavailable);
    if (!q->next()) {
        q->finish();
        return fail(StoreError::NotFound);
    }
    NodeRecord n = nodeFrom(*q);
    q->finish();
    return n;
}

Result<std::vector<NodeRecord>, StoreError> SqlRepository::nodesOf(const QByteArray& rootId) {
    QSqlQuery* q =
        statement(QStringLiteral("SELECT node_id, root_id, node_public_key, certificate FROM nodes "
                                 "WHERE root_id = ? ORDER BY node_id"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(rootId));
    if (!run(*q, "nodes lookup"))
        return fail(StoreError::Unavailable);
    std::vector<NodeRecord> nodes;
    while (q->next())
        nodes.push_back(nodeFrom(*q));
    q->finish();
    return nodes;
}

// --- Recovery ----------------------------------------------------------------------------

Result<RecoveryAttempts, StoreError> SqlRepository::recoveryAttempts(const QByteArray& rootId) {
    QSqlQuery* q = statement(QStringLiteral("SELECT consecutive_failures, locked_until_ms "
                                            "FROM recovery_attempts WHERE root_id = ?"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(rootId));
    if (!run(*q, "recovery attempts"))
        return fail(StoreError::Unavailable);
    RecoveryAttempts attempts;
    if (q->next()) {
        attempts.consecutiveFailures = q->value(0).toInt();
        attempts.lockedUntilMs = int64At(*q, 1);
    }
    q->finish();
    return attempts;
}

Result<void, StoreError> SqlRepository::setRecoveryAttempts(const QByteArray& rootId,
                                                            const RecoveryAttempts& attempts) {
    QSqlQuery* q = statement(QStringLiteral(
        "INSERT INTO recovery_attempts (root_id, consecutive_failures, locked_until_ms) "
        "VALUES (?, ?, ?) ON CONFLICT (root_id) DO UPDATE SET "
        "consecutive_failures = excluded.consecutive_failures, "
        "locked_until_ms = excluded.locked_until_ms"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(rootId));
    q->bindValue(1, attempts.consecutiveFailures);
    q->bindValue(2, integer(attempts.lockedUntilMs));
    if (!run(*q, "set recovery attempts"))
        return fail(StoreError::Unavailable);
    return {};
}

// --- Prekeys -----------------------------------------------------------------------------

Result<int, StoreError> SqlRepository::countWhere(const QString& sql, const QByteArray& key,
                                                  const char* operation) {
    QSqlQuery* q = statement(sql);
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(key));
    if (!run(*q, operation) || !q->next())
        return fail(StoreError::Unavailable);
    const int count = q->value(0).toInt();
    q->finish();
    return count;
}

Result<int, StoreError> SqlRepository::addPrekeys(const QByteArray& nodeId,
                                                  const std::vector<StoredPrekey>& prekeys,
                                                  const std::optional<QByteArray>& lastResort) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    QSqlQuery* insert = statement(
        QStringLiteral("INSERT INTO prekeys (node_id, prekey_id, signed_prekey) VALUES (?, ?, ?) "
                       "ON CONFLICT (node_id, prekey_id) DO NOTHING"));
    if (!insert)
        return fail(StoreError::Unavailable);
    for (const StoredPrekey& prekey : prekeys) {
        insert->bindValue(0, bytes(nodeId));
        insert->bindValue(1, bytes(prekey.prekeyId));
        insert->bindValue(2, bytes(prekey.signedPrekey));
        if (!run(*insert, "add prekey"))
            return fail(StoreError::Unavailable);
    }
    if (lastResort) {
        QSqlQuery* upsert = statement(
            QStringLiteral("INSERT INTO last_resort (node_id, signed_prekey) VALUES (?, ?) "
                           "ON CONFLICT (node_id) DO UPDATE SET "
                           "signed_prekey = excluded.signed_prekey"));
        if (!upsert)
            return fail(StoreError::Unavailable);
        upsert->bindValue(0, bytes(nodeId));
        upsert->bindValue(1, bytes(*lastResort));
        if (!run(*upsert, "set last resort"))
            return fail(StoreError::Unavailable);
    }
    auto count = countWhere(QStringLiteral("SELECT COUNT(*) FROM prekeys WHERE node_id = ?"),
                            nodeId, "prekey count");
    if (!count)
        return count;
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return count;
}

Result<PrekeyTake, StoreError> SqlRepository::takePrekey(const QByteArray& nodeId) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    PrekeyTake take;
    if (m_dialect == SqlDialect::Postgres) {
        // SKIP LOCKED: concurrent takers in other processes pick different rows instead of
        // waiting for (and then failing to delete) the same one.
        QSqlQuery* q = statement(QStringLiteral(
            "DELETE FROM prekeys WHERE node_id = ? AND prekey_id = (SELECT prekey_id FROM prekeys "
            "WHERE node_id = ? LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING signed_prekey"));
        if (!q)
            return fail(StoreError::Unavailable);
        q->bindValue(0, bytes(nodeId));
        q->bindValue(1, bytes(nodeId));
        if (!run(*q, "take prekey"))
            return fail(StoreError::Unavailable);
        if (q->next())
            take.signedPrekey = q->value(0).toByteArray();
        q->finish();
    } else {
        // BEGIN IMMEDIATE holds the database's write lock: no other connection runs this
        // between the SELECT and the DELETE.
        QSqlQuery* pick = statement(QStringLiteral(
            "SELECT prekey_id, signed_prekey FROM prekeys WHERE node_id = ? LIMIT 1"));
        QSqlQuery* remove =
            statement(QStringLiteral("DELETE FROM prekeys WHERE node_id = ? AND prekey_id = ?"));
        if (!pick || !remove)
            return fail(StoreError::Unavailable);
        pick->bindValue(0, bytes(nodeId));
        if (!run(*pick, "take prekey"))
            return fail(StoreError::Unavailable);
        if (pick->next()) {
            const QByteArray prekeyId = pick->value(0).toByteArray();
            take.signedPrekey = pick->value(1).toByteArray();
            pick->finish();
            remove->bindValue(0, bytes(nodeId));
            remove->bindValue(1, bytes(prekeyId));
            if (!run(*remove, "take prekey"))
                return fail(StoreError::Unavailable);
        } else {
            pick->finish();
        }
    }
    if (take.signedPrekey.isNull()) {
        QSqlQuery* q =
            statement(QStringLiteral("SELECT signed_prekey FROM last_resort WHERE node_id = ?"));
        if (!q)
            return fail(StoreError::Unavailable);
        q->bindValue(0, bytes(nodeId));
        if (!run(*q, "last resort"))
            return fail(StoreError::Unavailable);
        if (q->next()) {
            take.signedPrekey = q->value(0).toByteArray();
            take.lastResort = true;
        }
        q->finish();
    }
    auto remaining = countWhere(QStringLiteral("SELECT COUNT(*) FROM prekeys WHERE node_id = ?"),
                                nodeId, "prekey count");
    if (!remaining)
        return fail(remaining.error());
    take.remaining = *remaining;
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return take;
}

Result<int, StoreError> SqlRepository::prekeyCount(const QByteArray& nodeId) {
    return countWhere(QStringLiteral("SELECT COUNT(*) FROM prekeys WHERE node_id = ?"), nodeId,
                      "prekey count");
}

Result<bool, StoreError> SqlRepository::hasLastResort(const QByteArray& nodeId) {
    auto count = countWhere(QStringLiteral("SELECT COUNT(*) FROM last_resort WHERE node_id = ?"),
                            nodeId, "last resort count");
    if (!count)
        return fail(count.error());
    return *count > 0;
}

// --- Relay -------------------------------------------------------------------------------

// PostgreSQL: the sequence hands out ids at insert time, but rows become visible at commit. Two
// processes writing to the same node could commit out of id order, and a reader that already
// passed the higher id would skip the lower one. A transaction-scoped advisory lock per
// recipient, taken in sorted order (no deadlocks), makes each node's rows commit in id order.
bool SqlRepository::lockRecipients(const std::vector<NewMessage>& messages) {
    std::vector<qint64> keys;
    for (const NewMessage& m : messages) {
        for (const QByteArray& id : m.recipientNodeIds)
            keys.push_back(lockKeyOf(id));
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    QString list;
    list.reserve(static_cast<qsizetype>(keys.size() * 21));
    for (qint64 key : keys) {
        if (!list.isEmpty())
            list += QLatin1Char(',');
        list += QString::number(key);
    }
    return runText(QStringLiteral("SELECT pg_advisory_xact_lock(k) FROM "
                                  "unnest(ARRAY[%1]::bigint[]) WITH ORDINALITY AS t(k, n) "
                                  "ORDER BY n")
                       .arg(list),
                   "recipient locks");
}

// Queued inside the transaction: PostgreSQL delivers NOTIFY at commit, and drops it on
// rollback. Payload "<node id hex>:<instance id hex>"; the instance lets us skip our own.
bool SqlRepository::notifyRecipients(const std::vector<PendingDelivery>& rows) {
    std::vector<QByteArray> nodes;
    nodes.reserve(rows.size());
    for (const PendingDelivery& row : rows)
        nodes.push_back(row.recipientNodeId);
    std::sort(nodes.begin(), nodes.end());
    nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
    QString sql = QStringLiteral("SELECT 1");
    for (const QByteArray& node : nodes) {
        // Hex digits only: nothing to escape.
        sql += QStringLiteral(", pg_notify('%1', '%2:%3')")
                   .arg(kDeliveryChannel, QString::fromLatin1(node.toHex()),
                        QString::fromLatin1(m_instanceId));
    }
    return runText(sql, "notify");
}

bool SqlRepository::insertDeliveries(const std::vector<NewMessage>& messages,
                                     std::vector<PendingDelivery>& rows) {
    std::size_t total = 0;
    for (const NewMessage& m : messages)
        total += m.recipientNodeIds.size();
    if (total == 0)
        return true;
    rows.reserve(rows.size() + total);
    if (m_dialect == SqlDialect::Postgres)
        return insertDeliveriesPostgres(messages, rows);

    QSqlQuery* insert =
        statement(QStringLiteral("INSERT INTO deliveries (recipient_node_id, sender_root_id, "
                                 "sender_node_id, packet, received_at_ms, expires_at_ms) "
                                 "VALUES (?, ?, ?, ?, ?, ?)"));
    if (!insert)
        return false;
    for (const NewMessage& m : messages) {
        const QVariant senderRoot = bytes(m.senderRootId);
        const QVariant senderNode = bytes(m.senderNodeId);
        const QVariant packet = bytes(m.packet);
        const QVariant receivedAt = integer(m.receivedAtMs);
        const QVariant expiresAt = integer(m.expiresAtMs);
        for (const QByteArray& recipient : m.recipientNodeIds) {
            insert->bindValue(0, bytes(recipient));
            insert->bindValue(1, senderRoot);
            insert->bindValue(2, senderNode);
            insert->bindValue(3, packet);
            insert->bindValue(4, receivedAt);
            insert->bindValue(5, expiresAt);
            if (!run(*insert, "enqueue"))
                return false;
            rows.push_back(PendingDelivery{
                static_cast<std::uint64_t>(insert->lastInsertId().toLongLong()), recipient,
                m.senderRootId, m.senderNodeId, m.packet, m.receivedAtMs});
        }
    }
    return true;
}

// Multi-row INSERTs of up to kPostgresInsertChunk rows. The sequence numbers a statement's rows
// in VALUES order, so its returned ids, sorted, belong to its rows in order (RETURNING itself
// promises no order).
bool SqlRepository::insertDeliveriesPostgres(const std::vector<NewMessage>& messages,
                                             std::vector<PendingDelivery>& rows) {
    if (!lockRecipients(messages))
        return false;
    struct Row {
        const NewMessage* message;
        const QByteArray* recipient;
    };
    std::vector<Row> pending;
    for (const NewMessage& m : messages) {
        for (const QByteArray& recipient : m.recipientNodeIds)
            pending.push_back(Row{&m, &recipient});
    }
    std::vector<qlonglong> ids;
    for (std::size_t done = 0; done < pending.size();) {
        std::size_t chunk = kPostgresInsertChunk;
        while (chunk > pending.size() - done)
            chunk /= 2;
        QSqlQuery* insert = statement(postgresInsertSql(chunk));
        if (!insert)
            return false;
        for (std::size_t i = 0; i < chunk; ++i) {
            const Row& row = pending[done + i];
            const int base = static_cast<int>(i * 6);
            insert->bindValue(base, bytes(*row.recipient));
            insert->bindValue(base + 1, bytes(row.message->senderRootId));
            insert->bindValue(base + 2, bytes(row.message->senderNodeId));
            insert->bindValue(base + 3, bytes(row.message->packet));
            insert->bindValue(base + 4, integer(row.message->receivedAtMs));
            insert->bindValue(base + 5, integer(row.message->expiresAtMs));
        }
        if (!run(*insert, "enqueue"))
            return false;
        ids.clear();
        while (insert->next())
            ids.push_back(insert->value(0).toLongLong());
        insert->finish();
        if (ids.size() != chunk)
            return false;
        std::sort(ids.begin(), ids.end());
        for (std::size_t i = 0; i < chunk; ++i) {
            const NewMessage& m = *pending[done + i].message;
            rows.push_back(PendingDelivery{static_cast<std::uint64_t>(ids[i]),
                                           *pending[done + i].recipient, m.senderRootId,
                                           m.senderNodeId, m.packet, m.receivedAtMs});
        }
        done += chunk;
    }
    return true;
}

Result<std::vector<PendingDelivery>, StoreError>
SqlRepository::enqueue(const std::vector<NewMessage>& messages) {
    auto commit = commitRelay(messages, {});
    if (!commit)
        return fail(commit.error());
    return std::move(commit->rows);
}

Result<std::vector<PendingDelivery>, StoreError>
SqlRepository::pending(const QByteArray& nodeId, std::uint64_t afterId, int limit) {
    QSqlQuery* q = statement(
        QStringLiteral("SELECT delivery_id, sender_root_id, sender_node_id, packet, received_at_ms "
                       "FROM deliveries WHERE recipient_node_id = ? AND delivery_id > ? "
                       "AND expires_at_ms > ? ORDER BY delivery_id LIMIT ?"));
    if (!q)
        return fail(StoreError::Unavailable);
    // An expired row is never delivered, even before the periodic purge removes it.
    q->bindValue(0, bytes(nodeId));
    q->bindValue(1, unsignedInteger(afterId));
    q->bindValue(2, QVariant::fromValue<qint64>(QDateTime::currentMSecsSinceEpoch()));
    q->bindValue(3, std::max(0, limit));
    if (!run(*q, "pending"))
        return fail(StoreError::Unavailable);
    std::vector<PendingDelivery> rows;
    while (q->next()) {
        rows.push_back(PendingDelivery{uint64At(*q, 0), nodeId, q->value(1).toByteArray(),
                                       q->value(2).toByteArray(), q->value(3).toByteArray(),
                                       int64At(*q, 4)});
    }
    q->finish();
    return rows;
}

Result<int, StoreError> SqlRepository::pendingCount(const QByteArray& nodeId) {
    return countWhere(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE recipient_node_id = ?"),
                      nodeId, "pending count");
}

Result<int, StoreError>
SqlRepository::deleteAcknowledged(const QByteArray& nodeId,
                                  const std::vector<std::uint64_t>& deliveryIds) {
    if (m_dialect == SqlDialect::Postgres) {
        // One statement (one round trip) for all of them.
        if (deliveryIds.empty())
            return 0;
        QSqlQuery* q =
            statement(QStringLiteral("DELETE FROM deliveries WHERE recipient_node_id = ? "
                                     "AND delivery_id = ANY(CAST(? AS bigint[]))"));
        if (!q)
            return fail(StoreError::Unavailable);
        q->bindValue(0, bytes(nodeId));
        q->bindValue(1, postgresIdArray(deliveryIds));
        if (!run(*q, "acknowledge"))
            return fail(StoreError::Unavailable);
        return std::max(0, q->numRowsAffected());
    }
    QSqlQuery* q = statement(
        QStringLiteral("DELETE FROM deliveries WHERE recipient_node_id = ? AND delivery_id = ?"));
    if (!q)
        return fail(StoreError::Unavailable);
    int deleted = 0;
    const QVariant node = bytes(nodeId);
    for (std::uint64_t id : deliveryIds) {
        q->bindValue(0, node);
        q->bindValue(1, unsignedInteger(id));
        if (!run(*q, "acknowledge"))
            return fail(StoreError::Unavailable);
        deleted += std::max(0, q->numRowsAffected());
    }
    return deleted;
}

Result<int, StoreError> SqlRepository::acknowledge(const QByteArray& nodeId,
                                                   const std::vector<std::uint64_t>& deliveryIds) {
    if (deliveryIds.empty())
        return 0;
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    auto deleted = deleteAcknowledged(nodeId, deliveryIds);
    if (!deleted || !tx.commit())
        return fail(StoreError::Unavailable);
    return deleted;
}

Result<std::vector<int>, StoreError>
SqlRepository::acknowledgeMany(const std::vector<Acknowledgement>& acks) {
    auto commit = commitRelay({}, acks);
    if (!commit)
        return fail(commit.error());
    return std::move(commit->deleted);
}

Result<RelayCommit, StoreError>
SqlRepository::commitRelay(const std::vector<NewMessage>& messages,
                           const std::vector<Acknowledgement>& acks) {
    RelayCommit commit;
    const bool hasRows = std::any_of(messages.begin(), messages.end(), [](const NewMessage& m) {
        return !m.recipientNodeIds.empty();
    });
    if (!hasRows && acks.empty())
        return commit;
    Transaction tx(*this);
    if (!tx.begin() || !insertDeliveries(messages, commit.rows))
        return fail(StoreError::Unavailable);
    commit.deleted.reserve(acks.size());
    for (const Acknowledgement& ack : acks) {
        auto one = deleteAcknowledged(ack.nodeId, ack.deliveryIds);
        if (!one)
            return fail(StoreError::Unavailable);
        commit.deleted.push_back(*one);
    }
    if (m_dialect == SqlDialect::Postgres && !commit.rows.empty() && !notifyRecipients(commit.rows))
        return fail(StoreError::Unavailable);
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return commit;
}

// --- Fan-out lists -----------------------------------------------------------------------

Result<void, StoreError> SqlRepository::setFanout(const QByteArray& fanoutId,
                                                  const QByteArray& ownerRootId,
                                                  const std::vector<QByteArray>& nodeIds) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    // Claims the id for ownerRootId, or keeps it; another owner's list is not replaced.
    QSqlQuery* claim =
        statement(QStringLiteral("INSERT INTO fanouts (fanout_id, owner_root_id) VALUES (?, ?) "
                                 "ON CONFLICT (fanout_id) DO NOTHING"));
    QSqlQuery* owner =
        statement(QStringLiteral("SELECT owner_root_id FROM fanouts WHERE fanout_id = ?"));
    QSqlQuery* clear = statement(QStringLiteral("DELETE FROM fanout_members WHERE fanout_id = ?"));
    QSqlQuery* add = statement(QStringLiteral(
        "INSERT INTO fanout_members (fanout_id, position, node_id) VALUES (?, ?, ?)"));
    if (!claim || !owner || !clear || !add)
        return fail(StoreError::Unavailable);
    claim->bindValue(0, bytes(fanoutId));
    claim->bindValue(1, bytes(ownerRootId));
    if (!run(*claim, "fanout claim"))
        return fail(StoreError::Unavailable);
    owner->bindValue(0, bytes(fanoutId));
    if (!run(*owner, "fanout owner") || !owner->next())
        return fail(StoreError::Unavailable);
    const bool ours = owner->value(0).toByteArray() == ownerRootId;
    owner->finish();
    if (!ours)
        return fail(StoreError::Conflict);
    clear->bindValue(0, bytes(fanoutId));
    if (!run(*clear, "fanout clear"))
        return fail(StoreError::Unavailable);
    qlonglong position = 0;
    for (const QByteArray& node : nodeIds) {
        add->bindValue(0, bytes(fanoutId));
        add->bindValue(1, position++);
        add->bindValue(2, bytes(node));
        if (!run(*add, "fanout member"))
            return fail(StoreError::Unavailable);
    }
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return {};
}

Result<std::vector<QByteArray>, StoreError> SqlRepository::fanout(const QByteArray& fanoutId) {
    auto exists = countWhere(QStringLiteral("SELECT COUNT(*) FROM fanouts WHERE fanout_id = ?"),
                             fanoutId, "fanout lookup");
    if (!exists)
        return fail(exists.error());
    if (*exists == 0)
        return fail(StoreError::NotFound);
    QSqlQuery* q = statement(
        QStringLiteral("SELECT node_id FROM fanout_members WHERE fanout_id = ? ORDER BY position"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(fanoutId));
    if (!run(*q, "fanout members"))
        return fail(StoreError::Unavailable);
    std::vector<QByteArray> nodes;
    while (q->next())
        nodes.push_back(q->value(0).toByteArray());
    q->finish();
    return nodes;
}

// --- Blobs -------------------------------------------------------------------------------

Result<BlobRecord, StoreError> SqlRepository::createBlob(const BlobRecord& blob) {
    QSqlQuery* q = statement(
        QStringLiteral("INSERT INTO blobs (blob_id, owner_node_id, size, received, sha256, "
                       "expires_at_ms) VALUES (?, ?, ?, 0, ?, ?)"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(blob.blobId));
    q->bindValue(1, bytes(blob.ownerNodeId));
    q->bindValue(2, unsignedInteger(blob.size));
    q->bindValue(3, bytes(blob.sha256));
    q->bindValue(4, integer(blob.expiresAtMs));
    if (!run(*q, "create blob"))
        return fail(failure(*q, "create blob"));
    BlobRecord created = blob;
    created.received = 0;
    return created;
}

Result<BlobRecord, StoreError> SqlRepository::blobRow(const QByteArray& blobId, bool forUpdate) {
    const QString select = QStringLiteral("SELECT blob_id, owner_node_id, size, received, sha256, "
                                          "expires_at_ms FROM blobs WHERE blob_id = ?");
    QSqlQuery* q = statement(forUpdate && m_dialect == SqlDialect::Postgres
                                 ? select + QStringLiteral(" FOR UPDATE")
                                 : select);
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(blobId));
    if (!run(*q, "blob lookup"))
        return fail(StoreError::Unavailable);
    if (!q->next()) {
        q->finish();
        return fail(StoreError::NotFound);
    }
    BlobRecord b;
    b.blobId = q->value(0).toByteArray();
    b.ownerNodeId = q->value(1).toByteArray();
    b.size = uint64At(*q, 2);
    b.received = uint64At(*q, 3);
    b.sha256 = q->value(4).toByteArray();
    b.expiresAtMs = int64At(*q, 5);
    q->finish();
    return b;
}

Result<BlobRecord, StoreError> SqlRepository::blob(const QByteArray& blobId) {
    return blobRow(blobId, false);
}

Result<BlobRecord, StoreError>
SqlRepository::appendBlob(const QByteArray& blobId, std::uint64_t offset, const QByteArray& data) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    auto found = blobRow(blobId, true);
    if (!found)
        return found;
    BlobRecord b = std::move(found).value();
    const auto length = static_cast<std::uint64_t>(data.size());
    if (offset != b.received || length > b.size - b.received)
        return fail(StoreError::Invalid);
    if (length == 0)
        return b;
    QSqlQuery* chunk = statement(QStringLiteral(
        "INSERT INTO blob_chunks (blob_id, chunk_offset, chunk_size, data) VALUES (?, ?, ?, ?)"));
    QSqlQuery* advance =
        statement(QStringLiteral("UPDATE blobs SET received = ? WHERE blob_id = ?"));
    if (!chunk || !advance)
        return fail(StoreError::Unavailable);
    chunk->bindValue(0, bytes(blobId));
    chunk->bindValue(1, unsignedInteger(offset));
    chunk->bindValue(2, unsignedInteger(length));
    chunk->bindValue(3, bytes(data));
    if (!run(*chunk, "blob chunk"))
        return fail(StoreError::Unavailable);
    b.received += length;
    advance->bindValue(0, unsignedInteger(b.received));
    advance->bindValue(1, bytes(blobId));
    if (!run(*advance, "blob advance"))
        return fail(StoreError::Unavailable);
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return b;
}

Result<QByteArray, StoreError> SqlRepository::readBlob(const QByteArray& blobId,
                                                       std::uint64_t offset, std::uint32_t length) {
    auto found = blobRow(blobId, false);
    if (!found)
        return fail(found.error());
    const BlobRecord& b = *found;
    if (offset > b.received)
        return fail(StoreError::Invalid);
    const std::uint64_t end = std::min<std::uint64_t>(offset + length, b.received);
    QByteArray out;
    if (end == offset)
        return out;
    out.reserve(static_cast<qsizetype>(end - offset));
    QSqlQuery* q = statement(QStringLiteral(
        "SELECT chunk_offset, data FROM blob_chunks WHERE blob_id = ? AND chunk_offset < ? "
        "AND chunk_offset + chunk_size > ? ORDER BY chunk_offset"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(blobId));
    q->bindValue(1, unsignedInteger(end));
    q->bindValue(2, unsignedInteger(offset));
    if (!run(*q, "blob read"))
        return fail(StoreError::Unavailable);
    std::uint64_t position = offset;
    while (q->next() && position < end) {
        const std::uint64_t chunkOffset = uint64At(*q, 0);
        const QByteArray data = q->value(1).toByteArray();
        const std::uint64_t chunkEnd = chunkOffset + static_cast<std::uint64_t>(data.size());
        if (chunkOffset > position || chunkEnd <= position)
            break; // a gap: reported below
        const std::uint64_t take = std::min(chunkEnd, end) - position;
        out.append(data.constData() + (position - chunkOffset), static_cast<qsizetype>(take));
        position += take;
    }
    q->finish();
    if (position != end) {
        qCWarning(lcDb) << "blob chunks are not contiguous";
        return fail(StoreError::Unavailable);
    }
    return out;
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
