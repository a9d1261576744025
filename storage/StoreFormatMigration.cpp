// SPDX-License-Identifier: Apache-2.0
// Moving a SQLCipher 3 store to the SQLCipher 4 format: copy, check, swap (StoreFormatMigration.h
// explains the steps and why a crash at any of them loses nothing).

#include "storage/StoreFormatMigration.h"

#include "storage/FileSync.h"
#include "storage/StorageLogging.h"

#ifdef CINDER_STORE_ENGINE_SQLCIPHER3
// bench/store_engine_compare's build on the engine the store replaced: nothing to migrate there.
namespace cinder::storage::detail {
StoreResult<std::unique_ptr<Database>>
openCurrentFormat(const QString& path, const crypto::SecureBuffer& key, const MigrationHook&) {
    return Database::open(path, key);
}
} // namespace cinder::storage::detail
#else

#include <sqlite3mc/sqlite3.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>

#include <algorithm>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#ifdef Q_OS_WIN
#include <windows.h>
#endif

namespace cinder::storage::detail {

namespace {

using crypto::fail;

// Long enough for another process to move a large store to the new format.
constexpr int kLockWaitMs = 5 * 60 * 1000;

// A statement of the migration's own, finalized when it goes out of scope.
class Query {
public:
    Query(sqlite3* db, const std::string& sql) : m_db(db) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_statement, nullptr) != SQLITE_OK) {
            sqlite3_finalize(m_statement);
            m_statement = nullptr;
        }
    }
    ~Query() { sqlite3_finalize(m_statement); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    [[nodiscard]] bool prepared() const { return m_statement != nullptr; }
    [[nodiscard]] sqlite3_stmt* get() const { return m_statement; }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_statement); }
    [[nodiscard]] std::string text(int column) const {
        const auto* data = sqlite3_column_text(m_statement, column);
        return data ? std::string(reinterpret_cast<const char*>(data)) : std::string();
    }
    [[nodiscard]] StoreError error() const { return errorFromCode(sqlite3_extended_errcode(m_db)); }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_statement = nullptr;
};

struct SchemaObject {
    std::string type;
    std::string name;
    std::string sql;
    friend bool operator==(const SchemaObject&, const SchemaObject&) = default;
};

StoreError logged(const char* what, StoreError error) {
    qCWarning(lcDb) << "store format migration:" << what << "failed:" << describe(error).data();
    return error;
}

std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

// Every object with SQL of its own, in creation order (tables before the indices on them).
// SQLite's internal tables (sqlite_sequence, sqlite_stat*) are created by SQLite itself.
StoreResult<std::vector<SchemaObject>> schemaOf(sqlite3* db) {
    Query query(db, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                    "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid;");
    if (!query.prepared()) {
        return fail(query.error());
    }
    std::vector<SchemaObject> objects;
    int rc = SQLITE_OK;
    while ((rc = query.step()) == SQLITE_ROW) {
        objects.push_back({query.text(0), query.text(1), query.text(2)});
    }
    if (rc != SQLITE_DONE) {
        return fail(query.error());
    }
    return objects;
}

StoreResult<std::int64_t> integerOf(sqlite3* db, const std::string& sql) {
    Query query(db, sql);
    if (!query.prepared() || query.step() != SQLITE_ROW) {
        return fail(query.error());
    }
    return sqlite3_column_int64(query.get(), 0);
}

StoreResult<std::string> textOf(sqlite3* db, const std::string& sql) {
    Query query(db, sql);
    if (!query.prepared() || query.step() != SQLITE_ROW) {
        return fail(query.error());
    }
    return query.text(0);
}

StoreResult<bool> hasTable(sqlite3* db, const char* name) {
    Query query(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?;");
    if (!query.prepared()) {
        return fail(query.error());
    }
    sqlite3_bind_text(query.get(), 1, name, -1, SQLITE_STATIC);
    const int rc = query.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return fail(query.error());
    }
    return rc == SQLITE_ROW;
}

// Every row of table, values copied as they are stored (type and bytes), with its rowid where it
// has one, so that nothing that refers to a row by rowid points elsewhere after the move.
StoreResult<void> copyRows(sqlite3* from, sqlite3* to, const std::string& table, bool withRowid) {
    Query select(from, std::string(withRowid ? "SELECT rowid, * FROM " : "SELECT * FROM ") +
                           quoted(table) + ";");
    if (!select.prepared()) {
        return fail(select.error());
    }
    const int columns = sqlite3_column_count(select.get());
    std::string insertSql = "INSERT INTO " + quoted(table) + " (";
    for (int i = 0; i < columns; ++i) {
        const char* name = sqlite3_column_name(select.get(), i);
        insertSql += i == 0 ? "" : ", ";
        insertSql += withRowid && i == 0 ? std::string("rowid") : quoted(name ? name : "");
    }
    insertSql += ") VALUES (";
    for (int i = 0; i < columns; ++i) {
        insertSql += i == 0 ? "?" : ", ?";
    }
    insertSql += ");";
    Query insert(to, insertSql);
    if (!insert.prepared()) {
        return fail(insert.error());
    }
    int rc = SQLITE_OK;
    while ((rc = select.step()) == SQLITE_ROW) {
        for (int i = 0; i < columns; ++i) {
            sqlite3_bind_value(insert.get(), i + 1, sqlite3_column_value(select.get(), i));
        }
        if (insert.step() != SQLITE_DONE) {
            return fail(insert.error());
        }
        sqlite3_reset(insert.get());
        sqlite3_clear_bindings(insert.get());
    }
    if (rc != SQLITE_DONE) {
        return fail(select.error());
    }
    return {};
}

// The file and every file SQLite may keep beside it.
StoreResult<void> removeWithSidecars(const QString& path) {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
        const QString file = path + QLatin1String(suffix);
        if (QFileInfo::exists(file) && !QFile::remove(file)) {
            return fail(logged("removing a leftover file", StoreError::Io));
        }
    }
    return {};
}

// An atomic replace of to by from, durable on return where the system offers it.
bool replaceFile(const QString& from, const QString& to) {
#ifdef Q_OS_WIN
    return MoveFileExW(reinterpret_cast<LPCWSTR>(from.utf16()),
                       reinterpret_cast<LPCWSTR>(to.utf16()),
                       MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) != 0;
#else
    std::error_code failed;
    std::filesystem::rename(std::filesystem::path(from.toStdU16String()),
                            std::filesystem::path(to.toStdU16String()), failed);
    return !failed;
#endif
}

void reach(const MigrationHook& hook, MigrationStep step) {
    if (hook) {
        hook(step);
    }
}

// Step 2: the copy, in one transaction on the new file.
StoreResult<void> writeCopy(sqlite3* from, sqlite3* to, const std::vector<SchemaObject>& schema,
                            const MigrationHook& hook) {
    if (sqlite3_exec(to, "BEGIN IMMEDIATE;", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return fail(errorFromCode(sqlite3_extended_errcode(to)));
    }
    auto rollback = [to](StoreError error) {
        sqlite3_exec(to, "ROLLBACK;", nullptr, nullptr, nullptr);
        return error;
    };
    for (const SchemaObject& object : schema) {
        // A virtual table (a full-text index) keeps its rows in shadow tables of its own; this
        // copy does not know how to move one, so it refuses rather than guess.
        if (object.type == "table" && object.sql.rfind("CREATE VIRTUAL TABLE", 0) == 0) {
            return fail(rollback(logged("copying a virtual table", StoreError::Backend)));
        }
    }
    for (const SchemaObject& object : schema) {
        if (object.type == "table" &&
            sqlite3_exec(to, object.sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            return fail(rollback(errorFromCode(sqlite3_extended_errcode(to))));
        }
    }
    bool first = true;
    for (const SchemaObject& object : schema) {
        if (object.type != "table") {
            continue;
        }
        const bool withRowid = object.sql.find("WITHOUT ROWID") == std::string::npos;
        if (auto copied = copyRows(from, to, object.name, withRowid); !copied) {
            return fail(rollback(copied.error()));
        }
        if (first) {
            first = false;
            reach(hook, MigrationStep::CopyStarted);
        }
    }
    // AUTOINCREMENT counters: the table exists in the copy once a table that needs it does.
    auto sequenced = hasTable(from, "sqlite_sequence");
    if (!sequenced) {
        return fail(rollback(sequenced.error()));
    }
    if (*sequenced) {
        if (sqlite3_exec(to, "DELETE FROM sqlite_sequence;", nullptr, nullptr, nullptr) !=
            SQLITE_OK) {
            return fail(rollback(errorFromCode(sqlite3_extended_errcode(to))));
        }
        if (auto copied = copyRows(from, to, "sqlite_sequence", false); !copied) {
            return fail(rollback(copied.error()));
        }
    }
    // Indices, triggers and views after the rows, so no trigger fires on the copy itself.
    for (const SchemaObject& object : schema) {
        if (object.type != "table" &&
            sqlite3_exec(to, object.sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            return fail(rollback(errorFromCode(sqlite3_extended_errcode(to))));
        }
    }
    auto userVersion = integerOf(from, "PRAGMA user_version;");
    if (!userVersion) {
        return fail(rollback(userVersion.error()));
    }
    const std::string setVersion = "PRAGMA user_version = " + std::to_string(*userVersion) + ";";
    if (sqlite3_exec(to, setVersion.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_exec(to, "COMMIT;", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return fail(rollback(errorFromCode(sqlite3_extended_errcode(to))));
    }
    return {};
}

// Step 3: the copy is sound and holds what the old file holds.
StoreResult<void> verifyCopy(sqlite3* from, sqlite3* to, const std::vector<SchemaObject>& schema) {
    auto integrity = textOf(to, "PRAGMA integrity_check;");
    if (!integrity) {
        return fail(integrity.error());
    }
    if (*integrity != "ok") {
        return fail(logged("the copy's integrity check", StoreError::Corrupt));
    }
    auto copiedSchema = schemaOf(to);
    if (!copiedSchema) {
        return fail(copiedSchema.error());
    }
    // The same objects with the same SQL; the copy made them in another order.
    auto byName = [](std::vector<SchemaObject> objects) {
        std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) {
            return std::tie(a.type, a.name) < std::tie(b.type, b.name);
        });
        return objects;
    };
    if (byName(*copiedSchema) != byName(schema)) {
        return fail(logged("comparing the copy's schema", StoreError::Corrupt));
    }
    for (const SchemaObject& object : schema) {
        if (object.type != "table") {
            continue;
        }
        const std::string count = "SELECT count(*) FROM " + quoted(object.name) + ";";
        auto before = integerOf(from, count);
        auto after = integerOf(to, count);
        if (!before || !after) {
            return fail(!before ? before.error() : after.error());
        }
        if (*before != *after) {
            qCWarning(lcDb) << "store format migration: table" << object.name.c_str() << "has"
                            << *before << "rows, the copy" << *after;
            return fail(StoreError::Corrupt);
        }
    }
    return {};
}

StoreResult<void> migrateFromSqlCipher3(const QString& path, const crypto::SecureBuffer& key,
                                        const MigrationHook& hook) {
    const QString copyPath = path + QLatin1String(kMigratingSuffix);
    if (auto removed = removeWithSidecars(copyPath); !removed) {
        return removed;
    }
    auto old = Database::open(path, key, FileFormat::SqlCipher3);
    if (!old) {
        return fail(old.error());
    }
    qCInfo(lcDb) << "store: moving the file from the SQLCipher 3 to the SQLCipher 4 format";

    // 1. Fold the log into the old file and leave it without one.
    if (auto folded = (*old)->exec("PRAGMA wal_checkpoint(TRUNCATE);"); !folded) {
        return fail(logged("folding the old log", folded.error()));
    }
    auto mode = textOf((*old)->handle(), "PRAGMA journal_mode = DELETE;");
    if (!mode || *mode != "delete") {
        return fail(logged("leaving WAL mode", mode ? StoreError::Busy : mode.error()));
    }
    reach(hook, MigrationStep::OldLogFolded);

    // 2. The copy, synced on commit, without foreign-key checks while tables fill in any order.
    auto copy = Database::open(copyPath, key, FileFormat::SqlCipher4);
    if (!copy) {
        return fail(logged("creating the copy", copy.error()));
    }
    auto copyMode = textOf((*copy)->handle(), "PRAGMA journal_mode = DELETE;");
    if (!copyMode || *copyMode != "delete") {
        return fail(logged("setting up the copy", copyMode ? StoreError::Busy : copyMode.error()));
    }
    if (auto set = (*copy)->exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;"); !set) {
        return fail(logged("setting up the copy", set.error()));
    }
    auto schema = schemaOf((*old)->handle());
    if (!schema) {
        return fail(logged("reading the old schema", schema.error()));
    }
    if (auto written = writeCopy((*old)->handle(), (*copy)->handle(), *schema, hook); !written) {
        return fail(logged("writing the copy", written.error()));
    }
    reach(hook, MigrationStep::CopyWritten);

    // 3.
    if (auto verified = verifyCopy((*old)->handle(), (*copy)->handle(), *schema); !verified) {
        return verified;
    }
    reach(hook, MigrationStep::CopyVerified);

    // 4. Both closed; the old file has no log (step 1), so nothing stale can meet the new file.
    copy->reset();
    old->reset();
    QFile::remove(path + QLatin1String("-shm"));
    if (QFileInfo::exists(path + QLatin1String("-wal")) ||
        QFileInfo::exists(path + QLatin1String("-journal"))) {
        return fail(logged("checking that the old log is gone", StoreError::Busy));
    }
    // The copy's contents were synced by its commit (synchronous = FULL); its name is synced
    // here, before it replaces the old one.
    const QString folder = QFileInfo(path).absolutePath();
    if (!syncFolder(folder)) {
        return fail(logged("syncing the folder before the swap", StoreError::Io));
    }
    if (!replaceFile(copyPath, path)) {
        return fail(logged("replacing the old file", StoreError::Io));
    }
    if (!syncFolder(folder)) {
        // The swap happened; the next open finds either file whole, so this is not fatal.
        qCWarning(lcDb) << "store format migration: the folder could not be synced";
    }
    reach(hook, MigrationStep::Swapped);
    qCInfo(lcDb) << "store: now in the SQLCipher 4 format";
    return {};
}

} // namespace

StoreResult<std::unique_ptr<Database>>
openCurrentFormat(const QString& path, const crypto::SecureBuffer& key, const MigrationHook& hook) {
    // Two processes (the app and cinder-cli on one profile) must not both move the same old file:
    // the second would delete the first's copy, or rename its own over the file the first has
    // opened. Every open takes this lock; a migration holds it from start to swap.
    QLockFile lock(path + QLatin1String(kLockSuffix));
    if (!lock.tryLock(kLockWaitMs)) {
        return fail(logged("waiting for the store's lock", StoreError::Busy));
    }
    const QFileInfo file(path);
    const bool existed = file.exists() && file.size() > 0;
    auto current = Database::open(path, key, FileFormat::SqlCipher4);
    if (current || !existed || current.error() != StoreError::WrongKey) {
        if (current) {
            // A copy left by a crash before its swap, or by a swap whose clean-up was cut short.
            if (auto removed = removeWithSidecars(path + QLatin1String(kMigratingSuffix));
                !removed) {
                return fail(removed.error());
            }
        }
        return current;
    }
    // The failed attempt has closed its connection already (Database::open owns it until success).
    if (auto migrated = migrateFromSqlCipher3(path, key, hook); !migrated) {
        return fail(migrated.error());
    }
    return Database::open(path, key, FileFormat::SqlCipher4);
}

} // namespace cinder::storage::detail

#endif // CINDER_STORE_ENGINE_SQLCIPHER3
