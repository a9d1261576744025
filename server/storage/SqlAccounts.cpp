// SPDX-License-Identifier: Apache-2.0
// SqlRepository: accounts, device lists, nodes and recovery attempts.
#include "server/storage/SqlRepositoryDetail.h"

#include <QSqlError>

namespace cinder::server {

using namespace sql;

namespace {

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

} // namespace

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
        "DELETE FROM fanout_members WHERE owner_node_id = ?",
        "DELETE FROM fanouts WHERE owner_node_id = ?",
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

} // namespace cinder::server
