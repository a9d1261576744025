// SPDX-License-Identifier: Apache-2.0
// SqlRepository: prekey pools (each prekey handed out once) and last-resort keys.
#include "server/storage/SqlRepositoryDetail.h"

#include <QSqlError>

namespace cinder::server {

using namespace sql;

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
    CINDER_TRY_ASSIGN(auto remaining,
                      countWhere(QStringLiteral("SELECT COUNT(*) FROM prekeys WHERE node_id = ?"),
                                 nodeId, "prekey count"));
    take.remaining = remaining;
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return take;
}

Result<int, StoreError> SqlRepository::prekeyCount(const QByteArray& nodeId) {
    return countWhere(QStringLiteral("SELECT COUNT(*) FROM prekeys WHERE node_id = ?"), nodeId,
                      "prekey count");
}

Result<bool, StoreError> SqlRepository::hasLastResort(const QByteArray& nodeId) {
    CINDER_TRY_ASSIGN(
        auto count, countWhere(QStringLiteral("SELECT COUNT(*) FROM last_resort WHERE node_id = ?"),
                               nodeId, "last resort count"));
    return count > 0;
}

} // namespace cinder::server
