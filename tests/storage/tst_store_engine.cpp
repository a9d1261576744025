// SPDX-License-Identifier: Apache-2.0
// The store's SQL engine and file format: the engine that runs is the pinned one (no silent
// fallback to another SQLite), the file it writes is SQLCipher 4 (checked by decrypting page 1
// with OpenSSL, independently of the engine), and a store written by the old SQLCipher 3 engine
// (tests/storage/data, made by Cinder before the change) is migrated in place without loss, also
// when the process dies at any step of the migration.

#include "StorageTestSupport.h"
#include "storage/Database.h"
#include "storage/Store.h"
#include "storage/StoreFormatMigration.h"

#include <QCryptographicHash>
#include <QTemporaryDir>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <sys/wait.h>
#include <unistd.h>

using namespace cinder;
using namespace cinder::storage;

namespace {

// The key the fixtures in tests/storage/data were written with (make_sqlcipher3_fixture.cpp.txt).
crypto::SecureBuffer fixtureKey() {
    static constexpr char key[] = "cinder-test-sqlcipher3-fixture!!";
    return crypto::SecureBuffer::copyOf(
        crypto::ByteView(reinterpret_cast<const std::uint8_t*>(key), 32));
}
// The fixtures' clock: their messages are a week from expiring at this time.
constexpr std::int64_t kFixtureNowMs = 1796000000000;

std::string asText(const crypto::Bytes& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

QString dataDir() {
    return QStringLiteral(CINDER_STORAGE_TEST_DATA);
}

QString storeFile(const QString& dir) {
    return QDir(dir).filePath(QStringLiteral("store.db"));
}

// Copies a fixture folder into dir.
bool copyFixture(const QString& name, const QString& dir) {
    const QDir from(QDir(dataDir()).filePath(name));
    for (const QString& file : from.entryList(QDir::Files)) {
        if (!QFile::copy(from.filePath(file), QDir(dir).filePath(file))) {
            return false;
        }
        QFile::setPermissions(QDir(dir).filePath(file),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    return true;
}

std::string queryText(detail::Database& db, const char* sql) {
    auto statement = db.prepare(sql);
    if (!statement) {
        return "<prepare failed>";
    }
    auto row = statement->step();
    if (!row || !*row) {
        return "<no row>";
    }
    return statement->text(0);
}

std::int64_t queryInteger(detail::Database& db, const char* sql) {
    auto statement = db.prepare(sql);
    if (!statement) {
        return -1;
    }
    auto row = statement->step();
    return row && *row ? statement->integer(0) : -1;
}

// The parameters of a SQLCipher major version, as its documentation states them.
struct SqlCipherScheme {
    const EVP_MD* (*digest)();
    int hmacSize;
    int reserve; // IV + HMAC, rounded up to the AES block
};
const SqlCipherScheme kSqlCipher4{EVP_sha512, 64, 80};
const SqlCipherScheme kSqlCipher3{EVP_sha1, 20, 48};
constexpr int kPageSize = 4096;
constexpr int kSaltSize = 16;

// Decrypts page 1 of a SQLCipher file keyed with a raw key, with OpenSSL alone: checks the page
// HMAC (key: PBKDF2(key, salt ^ 0x3a, 2 rounds); input: ciphertext || IV || page number LE) and
// returns the page's plaintext after the salt, or nothing when the HMAC does not match.
std::optional<QByteArray> decryptFirstPage(const QString& path, const crypto::SecureBuffer& key,
                                           const SqlCipherScheme& scheme) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    const QByteArray page = file.read(kPageSize);
    if (page.size() != kPageSize) {
        return std::nullopt;
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(page.constData());
    unsigned char salt[kSaltSize];
    for (int i = 0; i < kSaltSize; ++i) {
        salt[i] = bytes[i] ^ 0x3a;
    }
    unsigned char hmacKey[32];
    if (PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(key.data()), 32, salt, kSaltSize, 2,
                          scheme.digest(), sizeof hmacKey, hmacKey) != 1) {
        return std::nullopt;
    }
    const int cipherSize = kPageSize - kSaltSize - scheme.reserve;
    const unsigned char* iv = bytes + kSaltSize + cipherSize;
    const unsigned char* mac = iv + 16;
    const unsigned char pageNumber[4] = {1, 0, 0, 0};
    QByteArray macInput(reinterpret_cast<const char*>(bytes + kSaltSize), cipherSize + 16);
    macInput.append(reinterpret_cast<const char*>(pageNumber), 4);
    unsigned char computed[EVP_MAX_MD_SIZE];
    std::size_t computedSize = sizeof computed;
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, EVP_MD_get0_name(scheme.digest()), nullptr, hmacKey,
                  sizeof hmacKey, reinterpret_cast<const unsigned char*>(macInput.constData()),
                  static_cast<std::size_t>(macInput.size()), computed, sizeof computed,
                  &computedSize) == nullptr ||
        computedSize != static_cast<std::size_t>(scheme.hmacSize) ||
        std::memcmp(computed, mac, computedSize) != 0) {
        return std::nullopt;
    }
    QByteArray plain(cipherSize, 0);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int written = 0;
    const bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key.data(), iv) == 1 &&
                    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
                    EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(plain.data()), &written,
                                      bytes + kSaltSize, cipherSize) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok || written != cipherSize) {
        return std::nullopt;
    }
    return plain;
}

// The SQLite header fields that follow the 16 bytes the salt replaces: page size, format
// versions, then the reserved bytes per page, which SQLCipher uses for IV and HMAC.
void verifyHeader(const QByteArray& plain, int reserve) {
    QCOMPARE(static_cast<unsigned char>(plain[0]), 0x10); // 4096, big-endian
    QCOMPARE(static_cast<unsigned char>(plain[1]), 0x00);
    QCOMPARE(static_cast<int>(static_cast<unsigned char>(plain[4])), reserve);
    QCOMPARE(static_cast<unsigned char>(plain[5]), 64); // payload fractions, fixed by SQLite
    QCOMPARE(static_cast<unsigned char>(plain[6]), 32);
    QCOMPARE(static_cast<unsigned char>(plain[7]), 32);
}

std::unique_ptr<Store> openFixtureStore(const QString& dir) {
    auto store = Store::open(dir, fixtureKey(), [] { return kFixtureNowMs; });
    if (!store) {
        qWarning() << "open failed:" << describe(store.error()).data();
        return nullptr;
    }
    return std::move(store).value();
}

// What make_sqlcipher3_fixture wrote, read back through the store's API.
void verifyFixtureContent(Store& store, bool withLoggedMessage) {
    auto setting = store.settings().get("fixture");
    QVERIFY(setting && *setting);
    QCOMPARE(asText(**setting), std::string("written by SQLCipher 3.4.1"));
    auto bob = store.contacts().find(test::idOf<crypto::RootId>(7));
    QVERIFY(bob && *bob);
    QCOMPARE((*bob)->username, std::string("bob"));
    QCOMPARE((*bob)->displayName, std::string("Bob Fixture"));
    QVERIFY((*bob)->verified);
    QCOMPARE((*bob)->deviceListVersion, std::uint64_t{3});
    auto conversations = store.conversations().all();
    QVERIFY(conversations);
    QCOMPARE(conversations->size(), std::size_t{2});
    std::size_t messages = 0;
    for (std::uint8_t n = 1; n <= 2; ++n) {
        auto page = store.messages().page(test::conversation(n).id, std::nullopt, 100);
        QVERIFY(page);
        for (const MessageRecord& m : *page) {
            const std::string body = asText(m.body);
            QVERIFY2(body.find("before the engine change") != std::string::npos ||
                         body == "only in the write-ahead log",
                     body.c_str());
        }
        messages += page->size();
    }
    QCOMPARE(messages, std::size_t{withLoggedMessage ? 11u : 10u});
    auto logged = store.messages().find(test::message(999, test::conversation(1).id, 0).id);
    QVERIFY(logged);
    QCOMPARE(logged->has_value(), withLoggedMessage);
    auto outbox = store.outbox().peek();
    QVERIFY(outbox);
    QCOMPARE(outbox->size(), std::size_t{1});
    QCOMPARE(asText(outbox->front().payload), std::string("queued packet"));
    // The unread counters kept by triggers came across as they were.
    for (const ConversationRecord& c : *conversations) {
        QVERIFY(c.unreadCount >= 5);
    }
}

QByteArray sha256Of(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestStoreEngine : public QObject {
    Q_OBJECT
private slots:
    // The running engine is the pinned amalgamation, never a system SQLite or SQLCipher.
    void engineIsThePinnedOne() {
        QTemporaryDir dir;
        auto db = detail::Database::open(storeFile(dir.path()), test::freshKey());
        QVERIFY(db);
        QCOMPARE(queryText(**db, "SELECT sqlite_version();"), std::string(CINDER_SQLITE_VERSION));
        QCOMPARE(queryText(**db, "SELECT sqlite3mc_version();"),
                 "SQLite3 Multiple Ciphers " + std::string(CINDER_SQLITE3MC_VERSION));
        // The scheme and version the store selected, as the engine reports them.
        QCOMPARE(queryText(**db, "PRAGMA cipher;"), std::string("sqlcipher"));
        QCOMPARE(queryInteger(**db, "PRAGMA legacy;"), 4);
        QCOMPARE(queryInteger(**db, "PRAGMA hmac_algorithm;"), 2); // SHA-512
        QCOMPARE(queryInteger(**db, "PRAGMA kdf_algorithm;"), 2);
        QCOMPARE(queryInteger(**db, "PRAGMA secure_delete;"), 1);
        QCOMPARE(queryText(**db, "PRAGMA memory_security;"), std::string("1")); // FILL
        // Built with what the store relies on, without what it must not have.
        const std::string options = queryText(
            **db, "SELECT group_concat(compile_options, ' ') FROM pragma_compile_options;");
        for (const char* required :
             {"ENABLE_FTS5", "SECURE_DELETE", "TEMP_STORE=3", "OMIT_LOAD_EXTENSION"}) {
            QVERIFY2(options.find(required) != std::string::npos, required);
        }
        QVERIFY(queryText(**db, "SELECT sqlite_version();") >= std::string("3.45"));
        // FTS5 works, in memory (temp_store) as the store's future search index would.
        QVERIFY((*db)->exec("CREATE VIRTUAL TABLE temp.probe USING fts5(body);"));
        QVERIFY((*db)->exec("INSERT INTO temp.probe VALUES ('burn after reading');"));
        QCOMPARE(queryInteger(**db, "SELECT count(*) FROM temp.probe WHERE probe MATCH 'burn';"),
                 1);
    }

    // A transaction begun inside another is a savepoint of it: an owner's call can join a
    // transaction that spans owners, and its failure undoes its own changes only.
    void nestedTransactionsAreSavepoints() {
        QTemporaryDir dir;
        auto db = detail::Database::open(storeFile(dir.path()), test::freshKey());
        QVERIFY(db);
        QVERIFY((*db)->exec("CREATE TABLE t (v INTEGER);"));
        {
            auto outer = (*db)->begin();
            QVERIFY(outer);
            QVERIFY((*db)->exec("INSERT INTO t VALUES (1);"));
            {
                auto inner = (*db)->begin();
                QVERIFY(inner);
                QVERIFY((*db)->exec("INSERT INTO t VALUES (2);"));
            } // dropped: rolled back to the savepoint
            {
                auto inner = (*db)->begin();
                QVERIFY(inner);
                QVERIFY((*db)->exec("INSERT INTO t VALUES (3);"));
                QVERIFY(inner->commit());
            }
            QVERIFY(outer->commit());
        }
        QCOMPARE(queryInteger(**db, "SELECT group_concat(v) = '1,3' FROM t;"), 1);
        {
            auto outer = (*db)->begin();
            QVERIFY(outer);
            QVERIFY((*db)->exec("INSERT INTO t VALUES (4);"));
            auto inner = (*db)->begin();
            QVERIFY(inner);
            QVERIFY(inner->commit());
        } // the outer one dropped: nothing of it stays
        QCOMPARE(queryInteger(**db, "SELECT count(*) FROM t;"), 2);
        // No transaction is left open: a new one begins as the outermost.
        auto again = (*db)->begin();
        QVERIFY(again);
        QVERIFY(again->commit());
    }

    // The file the store writes is SQLCipher 4, verified with OpenSSL alone.
    void writesTheSqlCipher4Format() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        {
            auto store = Store::open(dir.path(), key);
            QVERIFY(store);
            QVERIFY((*store)->settings().set("a", crypto::asBytes("b")));
            QVERIFY((*store)->checkpoint());
        }
        const QString path = storeFile(dir.path());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.read(16).startsWith("SQLite format 3"));
        file.close();
        auto plain = decryptFirstPage(path, key, kSqlCipher4);
        QVERIFY2(plain, "page 1 does not authenticate as SQLCipher 4 (HMAC-SHA512)");
        verifyHeader(*plain, kSqlCipher4.reserve);
        QVERIFY(!decryptFirstPage(path, key, kSqlCipher3));
        QVERIFY(!decryptFirstPage(path, test::freshKey(), kSqlCipher4));
        // And the engine refuses it as the old format.
        auto asOld = detail::Database::open(path, key, detail::FileFormat::SqlCipher3);
        QVERIFY(!asOld);
        QCOMPARE(asOld.error(), StoreError::WrongKey);
    }

    // The fixtures are what the old engine wrote: the same check, SQLCipher 3's parameters.
    void fixtureIsTheSqlCipher3Format() {
        const QString path = storeFile(QDir(dataDir()).filePath("sqlcipher3-store"));
        auto plain = decryptFirstPage(path, fixtureKey(), kSqlCipher3);
        QVERIFY2(plain, "the fixture does not authenticate as SQLCipher 3 (HMAC-SHA1)");
        verifyHeader(*plain, kSqlCipher3.reserve);
        QVERIFY(!decryptFirstPage(path, fixtureKey(), kSqlCipher4));
    }

    void migratesAnOldStore_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<bool>("withLoggedMessage");
        QTest::newRow("checkpointed") << "sqlcipher3-store" << false;
        QTest::newRow("with a write-ahead log") << "sqlcipher3-store-with-wal" << true;
    }
    void migratesAnOldStore() {
        QFETCH(QString, fixture);
        QFETCH(bool, withLoggedMessage);
        QTemporaryDir dir;
        QVERIFY(copyFixture(fixture, dir.path()));
        const QString path = storeFile(dir.path());
        {
            auto store = openFixtureStore(dir.path());
            QVERIFY(store);
            verifyFixtureContent(*store, withLoggedMessage);
            // Writable as usual after the move.
            QVERIFY(store->settings().set("after", crypto::asBytes("migration")));
        }
        auto plain = decryptFirstPage(path, fixtureKey(), kSqlCipher4);
        QVERIFY2(plain, "the migrated file is not SQLCipher 4");
        QVERIFY(!QFileInfo::exists(path + detail::kMigratingSuffix));
        // A second open finds the new format directly and changes nothing.
        auto again = openFixtureStore(dir.path());
        QVERIFY(again);
        verifyFixtureContent(*again, withLoggedMessage);
        auto after = again->settings().get("after");
        QVERIFY(after && *after);
    }

    void oldStoreWithTheWrongKeyIsUntouched_data() {
        QTest::addColumn<QString>("fixture");
        QTest::newRow("checkpointed") << "sqlcipher3-store";
        QTest::newRow("with a write-ahead log") << "sqlcipher3-store-with-wal";
    }
    void oldStoreWithTheWrongKeyIsUntouched() {
        QFETCH(QString, fixture);
        QTemporaryDir dir;
        QVERIFY(copyFixture(fixture, dir.path()));
        const QString path = storeFile(dir.path());
        const QString log = path + QStringLiteral("-wal");
        const QByteArray before = sha256Of(path);
        const QByteArray logBefore = sha256Of(log);
        auto wrong = Store::open(dir.path(), test::freshKey());
        QVERIFY(!wrong);
        QCOMPARE(wrong.error(), StoreError::WrongKey);
        QCOMPARE(sha256Of(path), before);
        QCOMPARE(sha256Of(log), logBefore);
        QVERIFY(!QFileInfo::exists(path + detail::kMigratingSuffix));
        // And the right key still finds everything.
        auto store = openFixtureStore(dir.path());
        QVERIFY(store);
        verifyFixtureContent(*store, fixture.endsWith("wal"));
    }

    // The app and cinder-cli open the same old store at once: the second waits for the first's
    // migration instead of deleting its copy or renaming another over the file it opened.
    void twoProcessesMigrateOnce() {
        QTemporaryDir dir;
        QVERIFY(copyFixture("sqlcipher3-store-with-wal", dir.path()));
        const QString path = storeFile(dir.path());
        int started[2];
        int release[2];
        QVERIFY(pipe(started) == 0 && pipe(release) == 0);

        // The first stops half-way through its copy until the parent lets it go on.
        const pid_t first = fork();
        QVERIFY(first >= 0);
        if (first == 0) {
            auto opened =
                detail::openCurrentFormat(path, fixtureKey(), [&](detail::MigrationStep step) {
                    if (step == detail::MigrationStep::CopyStarted) {
                        char byte = 1;
                        if (write(started[1], &byte, 1) != 1 || read(release[0], &byte, 1) != 1) {
                            _exit(3);
                        }
                    }
                });
            _exit(opened && queryText(**opened, "SELECT value FROM settings WHERE key = "
                                                "'fixture';") == "written by SQLCipher 3.4.1"
                      ? 0
                      : 1);
        }
        char byte = 0;
        QCOMPARE(read(started[0], &byte, 1), ssize_t{1});

        const pid_t second = fork();
        QVERIFY(second >= 0);
        if (second == 0) {
            auto store = Store::open(dir.path(), fixtureKey(), [] { return kFixtureNowMs; });
            if (!store) {
                _exit(1);
            }
            auto setting = (*store)->settings().get("fixture");
            _exit(setting && *setting ? 0 : 2);
        }
        // Time for the second to do damage if nothing held it back; no outcome depends on it.
        QTest::qWait(500);
        QCOMPARE(write(release[1], &byte, 1), ssize_t{1});

        for (pid_t child : {first, second}) {
            int status = 0;
            QCOMPARE(waitpid(child, &status, 0), child);
            QVERIFY(WIFEXITED(status));
            QCOMPARE(WEXITSTATUS(status), 0);
        }
        for (int fd : {started[0], started[1], release[0], release[1]}) {
            close(fd);
        }
        auto store = openFixtureStore(dir.path());
        QVERIFY(store);
        verifyFixtureContent(*store, true);
        QVERIFY(!QFileInfo::exists(path + detail::kMigratingSuffix));
    }

    // The process dies right after each step (a child process ends itself there); the next open
    // finds exactly one readable store with everything in it, and finishes the move.
    void crashAtAnyStepLosesNothing_data() {
        QTest::addColumn<int>("step");
        QTest::addColumn<QString>("fixture");
        using Step = detail::MigrationStep;
        const std::pair<Step, const char*> steps[] = {
            {Step::OldLogFolded, "log folded"},  {Step::CopyStarted, "copy under way"},
            {Step::CopyWritten, "copy written"}, {Step::CopyVerified, "copy verified"},
            {Step::Swapped, "swapped"},
        };
        for (const auto& [step, name] : steps) {
            for (const char* fixture : {"sqlcipher3-store", "sqlcipher3-store-with-wal"}) {
                QTest::addRow("%s, %s", name, fixture) << static_cast<int>(step) << fixture;
            }
        }
    }
    void crashAtAnyStepLosesNothing() {
        QFETCH(int, step);
        QFETCH(QString, fixture);
        QTemporaryDir dir;
        QVERIFY(copyFixture(fixture, dir.path()));
        const QString path = storeFile(dir.path());

        constexpr int kDiedAtStep = 42;
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            auto opened = detail::openCurrentFormat(path, fixtureKey(),
                                                    [step](detail::MigrationStep reached) {
                                                        if (static_cast<int>(reached) == step) {
                                                            _exit(kDiedAtStep);
                                                        }
                                                    });
            _exit(opened ? 0 : 1);
        }
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), kDiedAtStep);

        auto store = openFixtureStore(dir.path());
        QVERIFY(store);
        verifyFixtureContent(*store, fixture.endsWith("wal"));
        store.reset();
        QVERIFY(decryptFirstPage(path, fixtureKey(), kSqlCipher4));
        QVERIFY(!QFileInfo::exists(path + detail::kMigratingSuffix));
        QVERIFY(!QFileInfo::exists(path + detail::kMigratingSuffix + QStringLiteral("-journal")));
    }
};

QTEST_GUILESS_MAIN(TestStoreEngine)
#include "tst_store_engine.moc"
