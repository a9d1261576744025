// SPDX-License-Identifier: Apache-2.0
// SqlRepository: relay rows (one per recipient node), acknowledgements and fan-out lists.
#include "server/storage/SqlRepositoryDetail.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QSqlError>

#include <cstring>

namespace cinder::server {

using namespace sql;

namespace {

// A stable 64-bit key for a node id (the same in every process, unlike qHash).
qint64 lockKeyOf(const QByteArray& nodeId) {
    const QByteArray digest = QCryptographicHash::hash(nodeId, QCryptographicHash::Sha256);
    qint64 key = 0;
    std::memcpy(&key, digest.constData(), sizeof key);
    return key;
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
    CINDER_TRY_ASSIGN(auto commit, commitRelay(messages, {}));
    return std::move(commit.rows);
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
    CINDER_TRY_ASSIGN(auto commit, commitRelay({}, acks));
    return std::move(commit.deleted);
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

Result<void, StoreError> SqlRepository::setFanout(const QByteArray& ownerNodeId,
                                                  const QByteArray& fanoutId,
                                                  const std::vector<QByteArray>& nodeIds) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    QSqlQuery* create =
        statement(QStringLiteral("INSERT INTO fanouts (owner_node_id, fanout_id) VALUES (?, ?) "
                                 "ON CONFLICT (owner_node_id, fanout_id) DO NOTHING"));
    QSqlQuery* clear = statement(
        QStringLiteral("DELETE FROM fanout_members WHERE owner_node_id = ? AND fanout_id = ?"));
    QSqlQuery* add = statement(
        QStringLiteral("INSERT INTO fanout_members (owner_node_id, fanout_id, position, node_id) "
                       "VALUES (?, ?, ?, ?)"));
    if (!create || !clear || !add)
        return fail(StoreError::Unavailable);
    for (QSqlQuery* q : {create, clear}) {
        q->bindValue(0, bytes(ownerNodeId));
        q->bindValue(1, bytes(fanoutId));
        if (!run(*q, "fanout set"))
            return fail(StoreError::Unavailable);
    }
    qlonglong position = 0;
    for (const QByteArray& node : nodeIds) {
        add->bindValue(0, bytes(ownerNodeId));
        add->bindValue(1, bytes(fanoutId));
        add->bindValue(2, position++);
        add->bindValue(3, bytes(node));
        if (!run(*add, "fanout member"))
            return fail(StoreError::Unavailable);
    }
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return {};
}

Result<std::vector<QByteArray>, StoreError> SqlRepository::fanout(const QByteArray& ownerNodeId,
                                                                  const QByteArray& fanoutId) {
    QSqlQuery* exists = statement(
        QStringLiteral("SELECT 1 FROM fanouts WHERE owner_node_id = ? AND fanout_id = ?"));
    QSqlQuery* q =
        statement(QStringLiteral("SELECT node_id FROM fanout_members WHERE "
                                 "owner_node_id = ? AND fanout_id = ? ORDER BY position"));
    if (!exists || !q)
        return fail(StoreError::Unavailable);
    exists->bindValue(0, bytes(ownerNodeId));
    exists->bindValue(1, bytes(fanoutId));
    if (!run(*exists, "fanout lookup"))
        return fail(StoreError::Unavailable);
    const bool found = exists->next();
    exists->finish();
    if (!found)
        return fail(StoreError::NotFound);
    q->bindValue(0, bytes(ownerNodeId));
    q->bindValue(1, bytes(fanoutId));
    if (!run(*q, "fanout members"))
        return fail(StoreError::Unavailable);
    std::vector<QByteArray> nodes;
    while (q->next())
        nodes.push_back(q->value(0).toByteArray());
    q->finish();
    return nodes;
}

} // namespace cinder::server
