// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the files of SqlRepository (one per area of the schema: SqlRepository.cpp for the
// connection, schema, expiry and opening; SqlAccounts, SqlPrekeys, SqlRelay, SqlBlobs), never
// by its users: how values are bound and read back, the write transaction, the NOTIFY channel.

#include "server/storage/SqlRepository.h"

#include <QLoggingCategory>
#include <QVariant>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <mutex>

Q_DECLARE_LOGGING_CATEGORY(lcDb)

namespace cinder::server {

namespace sql {

inline const QString kDeliveryChannel = QStringLiteral("cinder_delivery");

// Binds bytes as a zero-length blob rather than NULL when empty.
inline QVariant bytes(const QByteArray& value) {
    return value.isNull() ? QVariant(QByteArray("")) : QVariant(value);
}

inline QVariant integer(std::int64_t value) {
    return QVariant(static_cast<qlonglong>(value));
}

inline QVariant unsignedInteger(std::uint64_t value) {
    return QVariant(
        static_cast<qlonglong>(std::min<std::uint64_t>(value, std::numeric_limits<qint64>::max())));
}

inline std::int64_t int64At(const QSqlQuery& q, int column) {
    return q.value(column).toLongLong();
}

inline std::uint64_t uint64At(const QSqlQuery& q, int column) {
    return static_cast<std::uint64_t>(std::max<qlonglong>(0, q.value(column).toLongLong()));
}

} // namespace sql

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
        if (m_repository.m_checkpointer)
            m_gate = std::unique_lock(m_repository.m_checkpointer->writerGate());
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
        if (m_gate.owns_lock())
            m_gate.unlock();
        return true;
    }

private:
    SqlRepository& m_repository;
    std::unique_lock<std::mutex> m_gate; // see SqliteCheckpointer; released after ROLLBACK too
    bool m_active = false;
};

} // namespace cinder::server
