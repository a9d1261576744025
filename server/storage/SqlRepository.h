// SPDX-License-Identifier: Apache-2.0
#pragma once

// Repository over Qt SQL, for SQLite (QSQLITE: one file in WAL mode with synchronous=FULL, so a
// committed write survives kill -9 and power loss) and PostgreSQL (QPSQL: several server
// processes share one database and wake each other with NOTIFY cinder_delivery).
//
// One object per connection and thread: create, use and destroy it on the storage thread.
// Prepared statements are kept for the life of the object. A failed statement rolls the whole
// operation back and returns StoreError::Unavailable (Conflict for a taken unique key). The log
// (category cinder.server.db) carries counts and error codes only, never identities or data.

#include "server/storage/Repository.h"
#include "server/storage/SqlSchema.h"
#include "server/storage/SqliteCheckpointer.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>

namespace cinder::server {

class SqlRepository final : public Repository {
public:
    // Takes over the open connection named connectionName and removes it when destroyed.
    SqlRepository(const QString& connectionName, SqlDialect dialect);
    ~SqlRepository() override;
    SqlRepository(const SqlRepository&) = delete;
    SqlRepository& operator=(const SqlRepository&) = delete;

    [[nodiscard]] SqlDialect dialect() const { return m_dialect; }
    // SQLite in WAL mode: checkpoints on their own thread from now on (SqliteCheckpointer),
    // stopped before this repository closes its connection.
    void setCheckpointer(std::unique_ptr<SqliteCheckpointer> checkpointer) {
        m_checkpointer = std::move(checkpointer);
    }

    Result<void, StoreError> migrate() override;

    Result<void, StoreError> createAccount(const AccountRecord& account,
                                           const std::vector<NodeRecord>& nodes) override;
    Result<AccountRecord, StoreError> accountByUsername(const QString& username) override;
    Result<AccountRecord, StoreError> accountByRootId(const QByteArray& rootId) override;
    Result<std::vector<AccountRecord>, StoreError>
    accountsByDiscoveryHash(const std::vector<QByteArray>& hashes) override;
    Result<std::vector<QByteArray>, StoreError>
    replaceDeviceList(const QByteArray& rootId, std::uint64_t version, const QByteArray& deviceList,
                      const std::vector<NodeRecord>& nodes) override;
    Result<NodeRecord, StoreError> node(const QByteArray& nodeId) override;
    Result<std::vector<NodeRecord>, StoreError> nodesOf(const QByteArray& rootId) override;

    Result<RecoveryAttempts, StoreError> recoveryAttempts(const QByteArray& rootId) override;
    Result<void, StoreError> setRecoveryAttempts(const QByteArray& rootId,
                                                 const RecoveryAttempts& attempts) override;

    Result<int, StoreError> addPrekeys(const QByteArray& nodeId,
                                       const std::vector<StoredPrekey>& prekeys,
                                       const std::optional<QByteArray>& lastResort) override;
    Result<PrekeyTake, StoreError> takePrekey(const QByteArray& nodeId) override;
    Result<int, StoreError> prekeyCount(const QByteArray& nodeId) override;
    Result<bool, StoreError> hasLastResort(const QByteArray& nodeId) override;

    Result<std::vector<PendingDelivery>, StoreError>
    enqueue(const std::vector<NewMessage>& messages) override;
    Result<std::vector<PendingDelivery>, StoreError>
    pending(const QByteArray& nodeId, std::uint64_t afterId, int limit) override;
    Result<int, StoreError> pendingCount(const QByteArray& nodeId) override;
    Result<int, StoreError> acknowledge(const QByteArray& nodeId,
                                        const std::vector<std::uint64_t>& deliveryIds) override;
    Result<std::vector<int>, StoreError>
    acknowledgeMany(const std::vector<Acknowledgement>& acks) override;
    Result<RelayCommit, StoreError> commitRelay(const std::vector<NewMessage>& messages,
                                                const std::vector<Acknowledgement>& acks) override;

    Result<void, StoreError> setFanout(const QByteArray& ownerNodeId, const QByteArray& fanoutId,
                                       const std::vector<QByteArray>& nodeIds) override;
    Result<std::vector<QByteArray>, StoreError> fanout(const QByteArray& ownerNodeId,
                                                       const QByteArray& fanoutId) override;

    Result<BlobRecord, StoreError> createBlob(const BlobRecord& blob) override;
    Result<BlobRecord, StoreError> blob(const QByteArray& blobId) override;
    Result<BlobRecord, StoreError> appendBlob(const QByteArray& blobId, std::uint64_t offset,
                                              const QByteArray& data) override;
    Result<QByteArray, StoreError> readBlob(const QByteArray& blobId, std::uint64_t offset,
                                            std::uint32_t length) override;

    Result<void, StoreError> recordEvent(const QByteArray& rootId, const QString& kind,
                                         std::int64_t atMs) override;
    Result<int, StoreError> eventCount(const QByteArray& rootId) override;
    Result<PurgeCounts, StoreError> purgeExpired(std::int64_t nowMs,
                                                 std::int64_t eventCutoffMs) override;

    void setRemoteDeliveryListener(std::function<void(const QByteArray& nodeId)> listener) override;

private:
    class Transaction;
    // Inserts one row per recipient of each message inside the caller's transaction (with
    // PostgreSQL, after taking the recipients' locks, in multi-row statements) and appends
    // them to rows.
    bool insertDeliveries(const std::vector<NewMessage>& messages,
                          std::vector<PendingDelivery>& rows);
    bool insertDeliveriesPostgres(const std::vector<NewMessage>& messages,
                                  std::vector<PendingDelivery>& rows);
    // Deletes one device's acknowledged rows inside the caller's transaction.
    Result<int, StoreError> deleteAcknowledged(const QByteArray& nodeId,
                                               const std::vector<std::uint64_t>& deliveryIds);

    // The cached prepared statement for sql; nullptr (logged) when it does not prepare.
    QSqlQuery* statement(const QString& sql);
    // Runs q; on failure logs the error code under operation and returns false.
    bool run(QSqlQuery& q, const char* operation);
    bool runText(const QString& sql, const char* operation);
    StoreError failure(const QSqlQuery& q, const char* operation) const;
    Result<AccountRecord, StoreError> accountWhere(const QString& column, const QVariant& key);
    Result<int, StoreError> countWhere(const QString& sql, const QByteArray& key,
                                       const char* operation);
    Result<BlobRecord, StoreError> blobRow(const QByteArray& blobId, bool forUpdate);
    bool lockRecipients(const std::vector<NewMessage>& messages);
    bool notifyRecipients(const std::vector<PendingDelivery>& rows);
    void handleNotification(const QString& name, const QVariant& payload);

    QString m_connectionName;
    SqlDialect m_dialect;
    QSqlDatabase m_db;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    std::unique_ptr<QSqlQuery> m_text; // BEGIN / COMMIT / ROLLBACK and other unprepared text
    QByteArray m_instanceId;           // tags our own NOTIFY payloads, so we can skip them
    QString m_listenConnectionName;    // PostgreSQL: an idle connection that only LISTENs
    QSqlDatabase m_listenDb;
    std::function<void(const QByteArray&)> m_remoteListener;
    std::unique_ptr<SqliteCheckpointer> m_checkpointer;
};

// Opens (creating it if needed) the SQLite file at path. nullptr, logged, when it cannot.
[[nodiscard]] std::unique_ptr<Repository> openSqliteRepository(const QString& path);

// Connects to PostgreSQL; host may be a unix socket directory. nullptr, logged, on failure.
[[nodiscard]] std::unique_ptr<Repository> openPostgresRepository(const QString& host, int port,
                                                                 const QString& database,
                                                                 const QString& user,
                                                                 const QString& password);

} // namespace cinder::server
