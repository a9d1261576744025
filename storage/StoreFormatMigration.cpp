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
StoreResult<std::vector<SchemaObject>> schemaOf(Database& db) {
    CINDER_TRY_ASSIGN(auto query, db.prepareOnce("SELECT type, name, sql FROM sqlite_master WHERE "
                                                 "sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' "
                                                 "ESCAPE '\\' ORDER BY rowid;"));
    return collectRows<SchemaObject>(query, [](const Statement& row) -> StoreResult<SchemaObject> {
        return SchemaObject{row.text(0), row.text(1), row.text(2)};
    });
}

// The first column of the first row of sql.
StoreResult<Statement> firstRowOf(Database& db, const std::string& sql) {
    CINDER_TRY_ASSIGN(auto query, db.prepareOnce(sql));
    CINDER_TRY_ASSIGN(const bool found, query.step());
    if (!found) {
        return fail(StoreError::Backend);
    }
    return query;
}

StoreResult<std::int64_t> integerOf(Database& db, const std::string& sql) {
    CINDER_TRY_ASSIGN(const auto row, firstRowOf(db, sql));
    return row.integer(0);
}

StoreResult<std::string> textOf(Database& db, const std::string& sql) {
    CINDER_TRY_ASSIGN(const auto row, firstRowOf(db, sql));
    return row.text(0);
}

StoreResult<bool> hasTable(Database& db, const char* name) {
    CINDER_TRY_ASSIGN(auto query,
                      db.prepareOnce("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                     "name = ?;"));
    return query.bindText(1, name).step();
}

// Every row of table, values copied as they are stored (type and bytes), with its rowid where it
// has one, so that nothing that refers to a row by rowid points elsewhere after the move.
StoreResult<void> copyRows(Database& from, Database& to, const std::string& table, bool withRowid) {
    CINDER_TRY_ASSIGN(auto select, from.prepareOnce(std::string(withRowid ? "SELECT rowid, * FROM "
                                                                          : "SELECT * FROM ") +
                                                    quoted(table) + ";"));
    const int columns = select.columnCount();
    std::string insertSql = "INSERT INTO " + quoted(table) + " (";
    for (int i = 0; i < columns; ++i) {
        insertSql += i == 0 ? "" : ", ";
        insertSql += withRowid && i == 0 ? std::string("rowid") : quoted(select.columnName(i));
    }
    insertSql += ") VALUES (";
    for (int i = 0; i < columns; ++i) {
        insertSql += i == 0 ? "?" : ", ?";
    }
    insertSql += ");";
    CINDER_TRY_ASSIGN(auto insert, to.prepareOnce(insertSql));
    for (;;) {
        CINDER_TRY_ASSIGN(const bool found, select.step());
        if (!found) {
            return {};
        }
        for (int i = 0; i < columns; ++i) {
            insert.bindValueOf(i + 1, select, i);
        }
        CINDER_TRY(insert.run());
        insert.reset();
    }
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

// Step 2: the copy, in one transaction on the new file (rolled back on any failure).
StoreResult<void> writeCopy(Database& from, Database& to, const std::vector<SchemaObject>& schema,
                            const MigrationHook& hook) {
    CINDER_TRY_ASSIGN(auto transaction, to.begin());
    for (const SchemaObject& object : schema) {
        // A virtual table (a full-text index) keeps its rows in shadow tables of its own; this
        // copy does not know how to move one, so it refuses rather than guess.
        if (object.type == "table" && object.sql.rfind("CREATE VIRTUAL TABLE", 0) == 0) {
            return fail(logged("copying a virtual table", StoreError::Backend));
        }
    }
    for (const SchemaObject& object : schema) {
        if (object.type == "table") {
            CINDER_TRY(to.exec(object.sql.c_str()));
        }
    }
    bool first = true;
    for (const SchemaObject& object : schema) {
        if (object.type != "table") {
            continue;
        }
        const bool withRowid = object.sql.find("WITHOUT ROWID") == std::string::npos;
        CINDER_TRY(copyRows(from, to, object.name, withRowid));
        if (first) {
            first = false;
            reach(hook, MigrationStep::CopyStarted);
        }
    }
    // AUTOINCREMENT counters: the table exists in the copy once a table that needs it does.
    CINDER_TRY_ASSIGN(const bool sequenced, hasTable(from, "sqlite_sequence"));
    if (sequenced) {
        CINDER_TRY(to.exec("DELETE FROM sqlite_sequence;"));
        CINDER_TRY(copyRows(from, to, "sqlite_sequence", false));
    }
    // Indices, triggers and views after the rows, so no trigger fires on the copy itself.
    for (const SchemaObject& object : schema) {
        if (object.type != "table") {
            CINDER_TRY(to.exec(object.sql.c_str()));
        }
    }
    CINDER_TRY_ASSIGN(const std::int64_t userVersion, integerOf(from, "PRAGMA user_version;"));
    const std::string setVersion = "PRAGMA user_version = " + std::to_string(userVersion) + ";";
    CINDER_TRY(to.exec(setVersion.c_str()));
    return transaction.commit();
}

// Step 3: the copy is sound and holds what the old file holds.
StoreResult<void> verifyCopy(Database& from, Database& to,
                             const std::vector<SchemaObject>& schema) {
    CINDER_TRY_ASSIGN(const std::string integrity, textOf(to, "PRAGMA integrity_check;"));
    if (integrity != "ok") {
        return fail(logged("the copy's integrity check", StoreError::Corrupt));
    }
    CINDER_TRY_ASSIGN(const auto copiedSchema, schemaOf(to));
    // The same objects with the same SQL; the copy made them in another order.
    auto byName = [](std::vector<SchemaObject> objects) {
        std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) {
            return std::tie(a.type, a.name) < std::tie(b.type, b.name);
        });
        return objects;
    };
    if (byName(copiedSchema) != byName(schema)) {
        return fail(logged("comparing the copy's schema", StoreError::Corrupt));
    }
    for (const SchemaObject& object : schema) {
        if (object.type != "table") {
            continue;
        }
        const std::string count = "SELECT count(*) FROM " + quoted(object.name) + ";";
        CINDER_TRY_ASSIGN(const std::int64_t before, integerOf(from, count));
        CINDER_TRY_ASSIGN(const std::int64_t after, integerOf(to, count));
        if (before != after) {
            qCWarning(lcDb) << "store format migration: table" << object.name.c_str() << "has"
                            << before << "rows, the copy" << after;
            return fail(StoreError::Corrupt);
        }
    }
    return {};
}

StoreResult<void> migrateFromSqlCipher3(const QString& path, const crypto::SecureBuffer& key,
                                        const MigrationHook& hook) {
    const QString copyPath = path + QLatin1String(kMigratingSuffix);
    CINDER_TRY(removeWithSidecars(copyPath));
    CINDER_TRY_ASSIGN(auto old, Database::open(path, key, FileFormat::SqlCipher3));
    qCInfo(lcDb) << "store: moving the file from the SQLCipher 3 to the SQLCipher 4 format";

    // 1. Fold the log into the old file and leave it without one.
    if (auto folded = old->exec("PRAGMA wal_checkpoint(TRUNCATE);"); !folded) {
        return fail(logged("folding the old log", folded.error()));
    }
    auto mode = textOf(*old, "PRAGMA journal_mode = DELETE;");
    if (!mode || *mode != "delete") {
        return fail(logged("leaving WAL mode", mode ? StoreError::Busy : mode.error()));
    }
    reach(hook, MigrationStep::OldLogFolded);

    // 2. The copy, synced on commit, without foreign-key checks while tables fill in any order.
    auto opened = Database::open(copyPath, key, FileFormat::SqlCipher4);
    if (!opened) {
        return fail(logged("creating the copy", opened.error()));
    }
    std::unique_ptr<Database> copy = std::move(opened).value();
    auto copyMode = textOf(*copy, "PRAGMA journal_mode = DELETE;");
    if (!copyMode || *copyMode != "delete") {
        return fail(logged("setting up the copy", copyMode ? StoreError::Busy : copyMode.error()));
    }
    if (auto set = copy->exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;"); !set) {
        return fail(logged("setting up the copy", set.error()));
    }
    auto schema = schemaOf(*old);
    if (!schema) {
        return fail(logged("reading the old schema", schema.error()));
    }
    if (auto written = writeCopy(*old, *copy, *schema, hook); !written) {
        return fail(logged("writing the copy", written.error()));
    }
    reach(hook, MigrationStep::CopyWritten);

    // 3.
    CINDER_TRY(verifyCopy(*old, *copy, *schema));
    reach(hook, MigrationStep::CopyVerified);

    // 4. Both closed; the old file has no log (step 1), so nothing stale can meet the new file.
    copy.reset();
    old.reset();
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
            CINDER_TRY(removeWithSidecars(path + QLatin1String(kMigratingSuffix)));
        }
        return current;
    }
    // The failed attempt has closed its connection already (Database::open owns it until success).
    CINDER_TRY(migrateFromSqlCipher3(path, key, hook));
    return Database::open(path, key, FileFormat::SqlCipher4);
}

} // namespace cinder::storage::detail

#endif // CINDER_STORE_ENGINE_SQLCIPHER3
