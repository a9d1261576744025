// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to libcinderstorage: a thin RAII layer over the C API of the
// store's SQL engine (SQLite3 Multiple Ciphers, SQLCipher scheme). No SQL leaves this
// library; the table owners that Store holds are the typed interface the rest of Cinder uses.

#include "crypto/Bytes.h"
#include "crypto/Identifiers.h"
#include "crypto/MessageMetadata.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"
#include "storage/StorageError.h"
#include "storage/StoreTypes.h"

#include <QString>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace cinder::storage::detail {

// Maps an SQLite result code to the store's error.
[[nodiscard]] StoreError errorFromCode(int code);

// A prepared statement borrowed from the database's cache; reset and unbound when it goes out
// of scope, so bound secrets do not linger in it. One made by Database::prepareOnce is its own
// and is finalized instead.
class Statement {
public:
    enum class Lifetime { Cached, Once };
    explicit Statement(sqlite3_stmt* statement, Lifetime lifetime = Lifetime::Cached)
        : m_statement(statement), m_lifetime(lifetime) {}
    Statement(Statement&& other) noexcept
        : m_statement(other.m_statement), m_lifetime(other.m_lifetime) {
        other.m_statement = nullptr;
    }
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are numbered from 1, as in SQL.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, crypto::ByteView blob);
    Statement& bindText(int index, std::string_view text);
    Statement& bindNull(int index);
    Statement& bind(int index, const std::optional<std::int64_t>& value);
    Statement& bind(int index, const std::optional<crypto::Bytes>& blob);
    // Binds the value of column of another statement's current row, as it is stored.
    Statement& bindValueOf(int index, const Statement& row, int column);

    // true when a row is available, false when the statement is done.
    [[nodiscard]] StoreResult<bool> step();
    // Runs a statement that returns no rows.
    [[nodiscard]] StoreResult<void> run();
    // Rewinds for another execution with new parameters.
    void reset();

    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] std::int64_t integer(int column) const;
    [[nodiscard]] crypto::Bytes blob(int column) const;
    [[nodiscard]] crypto::SecureBuffer secret(int column) const;
    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInteger(int column) const;
    [[nodiscard]] std::optional<crypto::Bytes> optionalBlob(int column) const;
    [[nodiscard]] int columnCount() const;
    [[nodiscard]] std::string columnName(int column) const;

private:
    sqlite3_stmt* m_statement;
    Lifetime m_lifetime;
};

// Every row of a statement, each turned into a record by parse(statement) -> StoreResult<Record>.
template <typename Record, typename Parse>
[[nodiscard]] StoreResult<std::vector<Record>> collectRows(Statement& statement, Parse parse) {
    std::vector<Record> out;
    for (;;) {
        CINDER_TRY_ASSIGN(const bool found, statement.step());
        if (!found) {
            return out;
        }
        CINDER_TRY_ASSIGN(auto record, parse(statement));
        out.push_back(std::move(record));
    }
}

// The first row of a statement as a record, or nothing when it has none.
template <typename Record, typename Parse>
[[nodiscard]] StoreResult<std::optional<Record>> firstRow(Statement& statement, Parse parse) {
    CINDER_TRY_ASSIGN(const bool found, statement.step());
    if (!found) {
        return std::optional<Record>();
    }
    CINDER_TRY_ASSIGN(auto record, parse(statement));
    return std::optional<Record>(std::move(record));
}

// The page encryption of a store file. SqlCipher4 is what Cinder writes; SqlCipher3 is what it
// wrote with Debian 12's SQLCipher 3.4 and is only opened to be migrated (StoreFormatMigration.h).
enum class FileFormat { SqlCipher4, SqlCipher3 };

class Database {
public:
    // Opens the encrypted database at path with the raw 256-bit key, sets the cipher parameters of
    // format explicitly and proves the key by reading sqlite_master. A SqlCipher4 file is created
    // if it does not exist; a SqlCipher3 file never is.
    static StoreResult<std::unique_ptr<Database>> open(const QString& path,
                                                       const crypto::SecureBuffer& key,
                                                       FileFormat format = FileFormat::SqlCipher4);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    [[nodiscard]] StoreResult<void> exec(const char* sql);
    [[nodiscard]] StoreResult<Statement> prepare(const char* sql);
    // A statement that is not kept in the cache: for SQL built at run time (the format
    // migration's table copy), which would otherwise fill the cache.
    [[nodiscard]] StoreResult<Statement> prepareOnce(const std::string& sql);
    [[nodiscard]] std::int64_t lastInsertRowId() const;
    [[nodiscard]] int changes() const;
    // Fails with error when the last statement changed no row.
    [[nodiscard]] StoreResult<void> expectChanges(StoreError error) const;
    // Copies the WAL into the database file and truncates the WAL.
    [[nodiscard]] StoreResult<void> checkpoint();

    // BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted. Inside another
    // transaction it is a savepoint of it: an owner's call joins a transaction that spans owners
    // (DeliveryCommit::commit), and its rollback undoes only its own changes.
    class Transaction {
    public:
        explicit Transaction(Database& db) : m_db(&db) {}
        Transaction(Transaction&& other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }
        Transaction& operator=(Transaction&&) = delete;
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        ~Transaction();
        [[nodiscard]] StoreResult<void> commit();

    private:
        Database* m_db;
    };
    [[nodiscard]] StoreResult<Transaction> begin();

private:
    explicit Database(sqlite3* handle) : m_handle(handle) {}
    void end(const char* outermost, const char* nested);
    sqlite3* m_handle;
    int m_transactionDepth = 0;
    std::unordered_map<std::string, sqlite3_stmt*> m_cache; // prepared once per SQL text
};

} // namespace cinder::storage::detail

namespace cinder::storage::detail {

// A stored integer as an unsigned 32-bit field, clamped.
[[nodiscard]] inline std::uint32_t toU32(std::int64_t value) {
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(value, 0, UINT32_MAX));
}

// Reads a fixed-size identifier column; false when the stored length is wrong.
template <std::size_t N>
[[nodiscard]] bool readFixed(const Statement& row, int column, std::array<std::uint8_t, N>& out) {
    const auto value = crypto::fixedFromBytes<N>(row.blob(column));
    if (!value) {
        return false;
    }
    out = *value;
    return true;
}

} // namespace cinder::storage::detail
