// SPDX-License-Identifier: Apache-2.0
// The store's SQL engine through its C API: SQLite3 Multiple Ciphers with SQLCipher's scheme
// (third_party/sqlite3mc, docs/DEPENDENCIES.md). The database is keyed with the raw 256-bit Klds
// (PRAGMA key = "x'<64 hex>'", so no passphrase KDF runs over it); every cipher parameter is set
// explicitly before the key, so that no engine default decides the file format; temporary tables
// and indices stay in memory, never in an unencrypted temp file.

#include "storage/Database.h"

#include "storage/StorageLogging.h"

#ifdef CINDER_STORE_ENGINE_SQLCIPHER3
// Only bench/store_engine_compare builds this: the store on the engine it replaced (Debian 12's
// SQLCipher 3.4), to measure the change side by side. Cinder itself never does.
#include <sqlcipher/sqlite3.h>
#else
#include <sqlite3mc/sqlite3.h>
#endif

#include <array>
#include <cstring>
#include <utility>

namespace cinder::storage::detail {

namespace {

// SQLCipher 4's parameters: 4096-byte pages, HMAC-SHA512 over each page with its number, the
// HMAC key from the page key by PBKDF2-HMAC-SHA512 with 2 rounds over the salt XOR 0x3a. With a
// raw key, kdf_iter is never used; it is stated anyway so the format depends on no default.
// memory_security = FILL (process-wide in the engine, so stated with each scheme): freed engine
// memory, such as decrypted pages and bound values, is overwritten.
constexpr const char* kSqlCipher4Pragmas = "PRAGMA cipher = 'sqlcipher';"
                                           "PRAGMA legacy = 4;"
                                           "PRAGMA legacy_page_size = 4096;"
                                           "PRAGMA kdf_iter = 256000;"
                                           "PRAGMA fast_kdf_iter = 2;"
                                           "PRAGMA hmac_use = 1;"
                                           "PRAGMA hmac_pgno = 1;"
                                           "PRAGMA hmac_salt_mask = 58;"
                                           "PRAGMA kdf_algorithm = 2;"
                                           "PRAGMA hmac_algorithm = 2;"
                                           "PRAGMA hmac_algorithm_compat = 1;"
                                           "PRAGMA plaintext_header_size = 0;"
                                           "PRAGMA memory_security = FILL;";
// What Cinder wrote with Debian 12's SQLCipher 3.4 until the engine changed: the same scheme
// with HMAC-SHA1 and PBKDF2-HMAC-SHA1. Only ever opened to be migrated (StoreFormatMigration).
constexpr const char* kSqlCipher3Pragmas = "PRAGMA cipher = 'sqlcipher';"
                                           "PRAGMA legacy = 3;"
                                           "PRAGMA legacy_page_size = 4096;"
                                           "PRAGMA kdf_iter = 64000;"
                                           "PRAGMA fast_kdf_iter = 2;"
                                           "PRAGMA hmac_use = 1;"
                                           "PRAGMA hmac_pgno = 1;"
                                           "PRAGMA hmac_salt_mask = 58;"
                                           "PRAGMA kdf_algorithm = 0;"
                                           "PRAGMA hmac_algorithm = 0;"
                                           "PRAGMA hmac_algorithm_compat = 1;"
                                           "PRAGMA memory_security = FILL;";
// SQLCipher 3.4 itself takes its parameters after the key, under its own names.
[[maybe_unused]] constexpr const char* kLegacyEnginePragmas = "PRAGMA cipher_page_size = 4096;"
                                                              "PRAGMA kdf_iter = 64000;"
                                                              "PRAGMA cipher_use_hmac = ON;";
constexpr const char* kSessionPragmas = "PRAGMA journal_mode = WAL;"
                                        "PRAGMA synchronous = NORMAL;"
                                        "PRAGMA secure_delete = ON;"
                                        "PRAGMA foreign_keys = ON;"
                                        "PRAGMA temp_store = MEMORY;"
                                        "PRAGMA cache_size = -16384;"; // KiB: decrypted pages
constexpr int kBusyTimeoutMs = 5000;

// Expected outcomes (a duplicate, a wrong key) are debug output; anything else is a warning.
// Only SQLite's generic text is logged, never a value.
void logFailure(const char* what, int code) {
    const int primary = code & 0xff;
    if (primary == SQLITE_CONSTRAINT || primary == SQLITE_NOTADB) {
        qCDebug(lcDb) << what << "refused:" << sqlite3_errstr(code);
    } else {
        qCWarning(lcDb) << what << "failed:" << sqlite3_errstr(code);
    }
}

} // namespace

StoreError errorFromCode(int code) {
    switch (code & 0xff) {
    case SQLITE_NOTADB:
        return StoreError::WrongKey;
    case SQLITE_CORRUPT:
        return StoreError::Corrupt;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return StoreError::Io;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return StoreError::Busy;
    case SQLITE_CONSTRAINT:
        if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
            return StoreError::Duplicate;
        }
        return StoreError::InvalidArgument;
    default:
        return StoreError::Backend;
    }
}

Statement::~Statement() {
    if (!m_statement) {
        return;
    }
    if (m_lifetime == Lifetime::Once) {
        sqlite3_finalize(m_statement);
        return;
    }
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

Statement& Statement::bindValueOf(int index, const Statement& row, int column) {
    sqlite3_bind_value(m_statement, index, sqlite3_column_value(row.m_statement, column));
    return *this;
}

int Statement::columnCount() const {
    return sqlite3_column_count(m_statement);
}

std::string Statement::columnName(int column) const {
    const char* name = sqlite3_column_name(m_statement, column);
    return name ? std::string(name) : std::string();
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

Statement& Statement::bind(int index, crypto::ByteView blob) {
    // A zero-length blob, not NULL, for empty input.
    static const std::uint8_t empty = 0;
    const void* data = blob.empty() ? &empty : blob.data();
    sqlite3_bind_blob64(m_statement, index, data, blob.size(), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindText(int index, std::string_view text) {
    sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
    return *this;
}

Statement& Statement::bindNull(int index) {
    sqlite3_bind_null(m_statement, index);
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bind(int index, const std::optional<crypto::Bytes>& blob) {
    return blob ? bind(index, crypto::ByteView(*blob)) : bindNull(index);
}

StoreResult<bool> Statement::step() {
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    const int extended = sqlite3_extended_errcode(sqlite3_db_handle(m_statement));
    logFailure("statement", extended);
    return crypto::fail(errorFromCode(extended));
}

StoreResult<void> Statement::run() {
    CINDER_TRY(step());
    return {};
}

void Statement::reset() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(m_statement, column);
}

crypto::Bytes Statement::blob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_statement, column));
    const int size = sqlite3_column_bytes(m_statement, column);
    if (!data || size <= 0) {
        return {};
    }
    return crypto::Bytes(data, data + size);
}

crypto::SecureBuffer Statement::secret(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_statement, column));
    const int size = sqlite3_column_bytes(m_statement, column);
    if (!data || size <= 0) {
        return {};
    }
    return crypto::SecureBuffer::copyOf(crypto::ByteView(data, static_cast<std::size_t>(size)));
}

std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(m_statement, column);
    const int size = sqlite3_column_bytes(m_statement, column);
    if (!data || size <= 0) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> Statement::optionalInteger(int column) const {
    if (isNull(column)) {
        return std::nullopt;
    }
    return integer(column);
}

std::optional<crypto::Bytes> Statement::optionalBlob(int column) const {
    if (isNull(column)) {
        return std::nullopt;
    }
    return blob(column);
}

StoreResult<std::unique_ptr<Database>>
Database::open(const QString& path, const crypto::SecureBuffer& key, FileFormat format) {
    if (key.size() != crypto::kSymmetricKeySize) {
        return crypto::fail(StoreError::KeyLength);
    }
    sqlite3* handle = nullptr;
    const QByteArray nativePath = path.toUtf8();
    // An old-format file is only ever opened, never created.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                      (format == FileFormat::SqlCipher4 ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(nativePath.constData(), &handle, flags, nullptr);
    std::unique_ptr<Database> db(new Database(handle));
    if (rc != SQLITE_OK) {
        return crypto::fail(errorFromCode(rc));
    }
    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, kBusyTimeoutMs);
#ifndef CINDER_STORE_ENGINE_SQLCIPHER3
    // The scheme is chosen before the key: the engine reads its parameters when keyed.
    CINDER_TRY(
        db->exec(format == FileFormat::SqlCipher4 ? kSqlCipher4Pragmas : kSqlCipher3Pragmas));
#endif

    // PRAGMA key = "x'<hex>'"; built in wiped memory (SQLCipher wipes its own copies).
    static constexpr std::string_view prefix = "PRAGMA key = \"x'";
    static constexpr std::string_view suffix = "'\";";
    static constexpr char digits[] = "0123456789abcdef";
    crypto::SecureBytes statement(prefix.size() + 2 * key.size() + suffix.size() + 1, 0);
    std::size_t at = 0;
    for (char c : prefix) {
        statement[at++] = static_cast<std::uint8_t>(c);
    }
    for (std::uint8_t byte : key.view()) {
        statement[at++] = static_cast<std::uint8_t>(digits[byte >> 4]);
        statement[at++] = static_cast<std::uint8_t>(digits[byte & 0x0f]);
    }
    for (char c : suffix) {
        statement[at++] = static_cast<std::uint8_t>(c);
    }
    if (sqlite3_exec(handle, reinterpret_cast<const char*>(statement.data()), nullptr, nullptr,
                     nullptr) != SQLITE_OK) {
        return crypto::fail(StoreError::Backend);
    }
#ifdef CINDER_STORE_ENGINE_SQLCIPHER3
    CINDER_TRY(db->exec(kLegacyEnginePragmas));
#endif
    // The first read decrypts page 1: a wrong key (or a file that is no database) fails here.
    CINDER_TRY(db->exec("SELECT count(*) FROM sqlite_master;"));
    CINDER_TRY(db->exec(kSessionPragmas));
    return db;
}

Database::~Database() {
    for (auto& [sql, statement] : m_cache) {
        sqlite3_finalize(statement);
    }
    if (m_handle) {
        sqlite3_close_v2(m_handle);
    }
}

StoreResult<void> Database::exec(const char* sql) {
    const int rc = sqlite3_exec(m_handle, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        const int extended = sqlite3_extended_errcode(m_handle);
        logFailure("exec", extended);
        return crypto::fail(errorFromCode(extended));
    }
    return {};
}

StoreResult<Statement> Database::prepare(const char* sql) {
    auto found = m_cache.find(sql);
    if (found != m_cache.end()) {
        return Statement(found->second);
    }
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v2(m_handle, sql, -1, &statement, nullptr);
    if (rc != SQLITE_OK) {
        qCWarning(lcDb) << "prepare failed:" << sqlite3_errmsg(m_handle);
        sqlite3_finalize(statement);
        return crypto::fail(errorFromCode(sqlite3_extended_errcode(m_handle)));
    }
    m_cache.emplace(sql, statement);
    return Statement(statement);
}

StoreResult<Statement> Database::prepareOnce(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v2(m_handle, sql.c_str(), -1, &statement, nullptr);
    if (rc != SQLITE_OK) {
        qCWarning(lcDb) << "prepare failed:" << sqlite3_errmsg(m_handle);
        sqlite3_finalize(statement);
        return crypto::fail(errorFromCode(sqlite3_extended_errcode(m_handle)));
    }
    return Statement(statement, Statement::Lifetime::Once);
}

std::int64_t Database::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_handle);
}

int Database::changes() const {
    return sqlite3_changes(m_handle);
}

StoreResult<void> Database::checkpoint() {
    int logFrames = 0;
    int checkpointed = 0;
    const int rc = sqlite3_wal_checkpoint_v2(m_handle, nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                             &logFrames, &checkpointed);
    if (rc != SQLITE_OK) {
        return crypto::fail(errorFromCode(rc));
    }
    return {};
}

StoreResult<void> Database::expectChanges(StoreError error) const {
    if (changes() == 0) {
        return crypto::fail(error);
    }
    return {};
}

StoreResult<Database::Transaction> Database::begin() {
    CINDER_TRY(exec(m_transactionDepth == 0 ? "BEGIN IMMEDIATE;" : "SAVEPOINT nested;"));
    ++m_transactionDepth;
    return Transaction(*this);
}

void Database::end(const char* outermost, const char* nested) {
    --m_transactionDepth;
    sqlite3_exec(m_handle, m_transactionDepth == 0 ? outermost : nested, nullptr, nullptr, nullptr);
}

Database::Transaction::~Transaction() {
    if (m_db) {
        m_db->end("ROLLBACK;", "ROLLBACK TO nested; RELEASE nested;");
    }
}

StoreResult<void> Database::Transaction::commit() {
    Database* db = std::exchange(m_db, nullptr);
    const bool outermost = db->m_transactionDepth == 1;
    if (auto committed = db->exec(outermost ? "COMMIT;" : "RELEASE nested;"); !committed) {
        db->end("ROLLBACK;", "ROLLBACK TO nested; RELEASE nested;");
        return crypto::fail(committed.error());
    }
    --db->m_transactionDepth;
    return {};
}

} // namespace cinder::storage::detail
