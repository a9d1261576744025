// SPDX-License-Identifier: Apache-2.0
// Every Repository behaviour, run against SQLite in a temporary directory and, when
// CINDER_TEST_PG names a PostgreSQL database ("host=... port=... dbname=... user=..."), against
// PostgreSQL too. With --pg only the PostgreSQL rows run, and a missing CINDER_TEST_PG fails.
// The PostgreSQL database is emptied of Cinder's tables before each case.

#include "server/storage/SqlRepository.h"
#include "server/storage/SqlSchema.h"
#include "server/storage/StorageWorker.h"
#include "tests/support/TestDatabase.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <set>
#include <thread>

using namespace cinder::server;

namespace {

const QString kSqlite = QStringLiteral("sqlite");
const QString kPostgres = QStringLiteral("postgres");

struct PgParams {
    QString host;
    int port = 5432;
    QString database;
    QString user;
    QString password;
};

std::optional<PgParams> pgParamsFromEnvironment() {
    const QString text = qEnvironmentVariable("CINDER_TEST_PG");
    if (text.trimmed().isEmpty())
        return std::nullopt;
    PgParams p;
    for (const QString& item : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        if (eq < 0)
            continue;
        const QString key = item.left(eq);
        const QString value = item.mid(eq + 1);
        if (key == QLatin1String("host"))
            p.host = value;
        else if (key == QLatin1String("port"))
            p.port = value.toInt();
        else if (key == QLatin1String("dbname"))
            p.database = value;
        else if (key == QLatin1String("user"))
            p.user = value;
        else if (key == QLatin1String("password"))
            p.password = value;
    }
    return p;
}

QByteArray id(char fill, int index = 0) {
    QByteArray bytes(32, fill);
    bytes[0] = static_cast<char>(index);
    return bytes;
}

AccountRecord account(const QString& username, const QByteArray& rootId) {
    AccountRecord a;
    a.username = username;
    a.rootId = rootId;
    a.rootPublicKey = QByteArray(33, 'P');
    a.deviceList = "device-list-v1";
    a.deviceListVersion = 1;
    a.recoveryBundle = "bundle";
    a.recoveryVerifierHash = QByteArray(32, 'V');
    a.recoveryKdfParameters = "kdf";
    a.discoveryHash = QByteArray(32, 'D') + username.toUtf8();
    a.createdAtMs = 1000;
    return a;
}

NodeRecord node(const QByteArray& nodeId, const QByteArray& rootId) {
    return NodeRecord{nodeId, rootId, QByteArray(33, 'K'), QByteArray("certificate")};
}

// Far in the future, so rows are pending; pending() never returns rows that expired.
constexpr std::int64_t kNotExpired = 4'000'000'000'000;

NewMessage message(const QByteArray& packet, std::vector<QByteArray> recipients,
                   std::int64_t expiresAtMs = kNotExpired) {
    NewMessage m;
    m.packet = packet;
    m.senderRootId = id('s');
    m.senderNodeId = id('t');
    m.recipientNodeIds = std::move(recipients);
    m.receivedAtMs = 500;
    m.expiresAtMs = expiresAtMs;
    return m;
}

} // namespace

class TestRepository : public QObject {
    Q_OBJECT
public:
    explicit TestRepository(bool postgresOnly) : m_postgresOnly(postgresOnly) {}

private slots:
    void initTestCase();
    void cleanupTestCase();

    void migrateTwice_data() { backends(); }
    void migrateTwice();
    void unmigratedIsUnavailable_data() { backends(); }
    void unmigratedIsUnavailable();
    void createAccount_data() { backends(); }
    void createAccount();
    void discovery_data() { backends(); }
    void discovery();
    void replaceDeviceList_data() { backends(); }
    void replaceDeviceList();
    void recoveryAttempts_data() { backends(); }
    void recoveryAttempts();
    void prekeys_data() { backends(); }
    void prekeys();
    void takePrekeyConcurrently_data() { backends(); }
    void takePrekeyConcurrently();
    void enqueueAndPending_data() { backends(); }
    void enqueueAndPending();
    void acknowledgeOwnRowsOnly_data() { backends(); }
    void acknowledgeOwnRowsOnly();
    void commitRelayWritesAndDeletes_data() { backends(); }
    void commitRelayWritesAndDeletes();
    void fanout_data() { backends(); }
    void fanout();
    void blobs_data() { backends(); }
    void blobs();
    void events_data() { backends(); }
    void events();
    void purgeExpired_data() { backends(); }
    void purgeExpired();
    void persistsAcrossReopen_data() { backends(); }
    void persistsAcrossReopen();
    void workerGroupCommit_data() { backends(); }
    void workerGroupCommit();
    void workerCommitsAcknowledgementsWithSends_data() { backends(); }
    void workerCommitsAcknowledgementsWithSends();
    void workerRunDropsResultForDestroyedContext_data() { backends(); }
    void workerRunDropsResultForDestroyedContext();
    void remoteDeliveryNotification_data() { backends(); }
    void remoteDeliveryNotification();

private:
    void backends();
    // A repository over an empty, migrated store for the current row's backend.
    std::unique_ptr<Repository> fresh();
    // Another connection to the store fresh() made last (not migrated, not emptied).
    std::unique_ptr<Repository> reopen();
    StorageWorker::Factory factory();
    bool resetPostgres();

    bool m_postgresOnly = false;
    std::optional<PgParams> m_pg;
    QTemporaryDir m_dir;
    int m_files = 0;
    QString m_backend;
    QString m_sqlitePath;
};

void TestRepository::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_pg = pgParamsFromEnvironment();
    if (m_postgresOnly && !m_pg) {
        QSKIP(cinder::test::kPostgresMissing);
    }
    if (m_pg) {
        auto probe = openPostgresRepository(m_pg->host, m_pg->port, m_pg->database, m_pg->user,
                                            m_pg->password);
        QVERIFY2(probe != nullptr, "CINDER_TEST_PG is set but PostgreSQL cannot be reached");
    } else {
        qInfo("CINDER_TEST_PG is not set: PostgreSQL rows are not run here (see "
              "tst_repository_pg)");
    }
}

void TestRepository::cleanupTestCase() {
    QSqlDatabase::removeDatabase(QStringLiteral("tst-pg-admin"));
}

void TestRepository::backends() {
    QTest::addColumn<QString>("backend");
    if (!m_postgresOnly)
        QTest::newRow("sqlite") << kSqlite;
    if (m_pg)
        QTest::newRow("postgres") << kPostgres;
}

bool TestRepository::resetPostgres() {
    const QString name = QStringLiteral("tst-pg-admin");
    QSqlDatabase db = QSqlDatabase::contains(name)
                          ? QSqlDatabase::database(name)
                          : QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    if (!db.isOpen()) {
        db.setHostName(m_pg->host);
        db.setPort(m_pg->port);
        db.setDatabaseName(m_pg->database);
        db.setUserName(m_pg->user);
        db.setPassword(m_pg->password);
        if (!db.open())
            return false;
        QSqlQuery(db).exec(QStringLiteral("SET client_min_messages = warning"));
    }
    QSqlQuery q(db);
    return q.exec(QStringLiteral("DROP TABLE IF EXISTS %1 CASCADE")
                      .arg(schemaTables().join(QStringLiteral(", "))));
}

std::unique_ptr<Repository> TestRepository::fresh() {
    QFETCH(QString, backend);
    m_backend = backend;
    if (backend == kPostgres) {
        if (!resetPostgres())
            return nullptr;
    } else {
        m_sqlitePath = m_dir.filePath(QStringLiteral("store-%1.db").arg(++m_files));
    }
    auto repository = reopen();
    if (repository && !repository->migrate())
        return nullptr;
    return repository;
}

std::unique_ptr<Repository> TestRepository::reopen() {
    return factory()();
}

StorageWorker::Factory TestRepository::factory() {
    if (m_backend == kPostgres) {
        const PgParams p = *m_pg;
        return
            [p] { return openPostgresRepository(p.host, p.port, p.database, p.user, p.password); };
    }
    const QString path = m_sqlitePath;
    return [path] { return openSqliteRepository(path); };
}

// --- Schema ------------------------------------------------------------------------------

void TestRepository::migrateTwice() {
    auto repo = fresh();
    QVERIFY(repo);
    QVERIFY(repo->migrate().ok());
    auto other = reopen();
    QVERIFY(other);
    QVERIFY(other->migrate().ok());
}

void TestRepository::unmigratedIsUnavailable() {
    QFETCH(QString, backend);
    m_backend = backend;
    if (backend == kPostgres)
        QVERIFY(resetPostgres());
    else
        m_sqlitePath = m_dir.filePath(QStringLiteral("store-%1.db").arg(++m_files));
    auto repo = reopen();
    QVERIFY(repo);
    auto r = repo->accountByUsername(QStringLiteral("alice"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error(), StoreError::Unavailable);
    auto e = repo->enqueue({message("p", {id('a')})});
    QVERIFY(!e.ok());
    QCOMPARE(e.error(), StoreError::Unavailable);
}

// --- Accounts ----------------------------------------------------------------------------

void TestRepository::createAccount() {
    auto repo = fresh();
    QVERIFY(repo);
    const AccountRecord alice = account(QStringLiteral("alice"), id('r', 1));
    QVERIFY(repo->createAccount(alice, {node(id('n', 1), alice.rootId)}).ok());

    auto byName = repo->accountByUsername(QStringLiteral("alice"));
    QVERIFY(byName.ok());
    QCOMPARE(byName->rootId, alice.rootId);
    QCOMPARE(byName->rootPublicKey, alice.rootPublicKey);
    QCOMPARE(byName->deviceList, alice.deviceList);
    QCOMPARE(byName->deviceListVersion, alice.deviceListVersion);
    QCOMPARE(byName->recoveryBundle, alice.recoveryBundle);
    QCOMPARE(byName->recoveryVerifierHash, alice.recoveryVerifierHash);
    QCOMPARE(byName->recoveryKdfParameters, alice.recoveryKdfParameters);
    QCOMPARE(byName->discoveryHash, alice.discoveryHash);
    QCOMPARE(byName->createdAtMs, alice.createdAtMs);
    auto byRoot = repo->accountByRootId(alice.rootId);
    QVERIFY(byRoot.ok());
    QCOMPARE(byRoot->username, QStringLiteral("alice"));

    auto n = repo->node(id('n', 1));
    QVERIFY(n.ok());
    QCOMPARE(n->rootId, alice.rootId);
    QCOMPARE(n->certificate, QByteArray("certificate"));
    auto nodes = repo->nodesOf(alice.rootId);
    QVERIFY(nodes.ok());
    QCOMPARE(nodes->size(), std::size_t(1));

    // Same username, other root.
    auto sameName = repo->createAccount(account(QStringLiteral("alice"), id('r', 2)),
                                        {node(id('n', 2), id('r', 2))});
    QVERIFY(!sameName.ok());
    QCOMPARE(sameName.error(), StoreError::Conflict);
    // Same root, other username: nothing of it is stored.
    auto sameRoot =
        repo->createAccount(account(QStringLiteral("bob"), alice.rootId), {node(id('n', 3), {})});
    QVERIFY(!sameRoot.ok());
    QCOMPARE(sameRoot.error(), StoreError::Conflict);
    QCOMPARE(repo->accountByUsername(QStringLiteral("bob")).error(), StoreError::NotFound);
    QCOMPARE(repo->node(id('n', 2)).error(), StoreError::NotFound);
    QCOMPARE(repo->node(id('n', 3)).error(), StoreError::NotFound);

    QCOMPARE(repo->accountByUsername(QStringLiteral("carol")).error(), StoreError::NotFound);
    QCOMPARE(repo->accountByRootId(id('x')).error(), StoreError::NotFound);
    QCOMPARE(repo->node(id('x')).error(), StoreError::NotFound);
    auto none = repo->nodesOf(id('x'));
    QVERIFY(none.ok());
    QVERIFY(none->empty());
}

void TestRepository::discovery() {
    auto repo = fresh();
    QVERIFY(repo);
    const AccountRecord alice = account(QStringLiteral("alice"), id('r', 1));
    const AccountRecord bob = account(QStringLiteral("bob"), id('r', 2));
    QVERIFY(repo->createAccount(alice, {node(id('n', 1), alice.rootId)}).ok());
    QVERIFY(repo->createAccount(bob, {node(id('n', 2), bob.rootId)}).ok());
    auto found = repo->accountsByDiscoveryHash(
        {alice.discoveryHash, QByteArray(32, 'z'), bob.discoveryHash});
    QVERIFY(found.ok());
    QCOMPARE(found->size(), std::size_t(2));
    QCOMPARE((*found)[0].username, QStringLiteral("alice"));
    QCOMPARE((*found)[1].username, QStringLiteral("bob"));
    auto nothing = repo->accountsByDiscoveryHash({});
    QVERIFY(nothing.ok());
    QVERIFY(nothing->empty());
}

void TestRepository::replaceDeviceList() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray root = id('r', 1);
    const QByteArray keep = id('n', 1);
    const QByteArray drop = id('n', 2);
    const QByteArray added = id('n', 3);
    QVERIFY(repo->createAccount(account(QStringLiteral("alice"), root),
                                {node(keep, root), node(drop, root)})
                .ok());
    QCOMPARE(*repo->addPrekeys(drop, {{"k1", "signed1"}}, QByteArray("last")), 1);
    QCOMPARE(*repo->addPrekeys(keep, {{"k1", "signed1"}}, std::nullopt), 1);
    QVERIFY(repo->enqueue({message("to-drop", {drop, keep})}).ok());

    auto replaced =
        repo->replaceDeviceList(root, 2, "device-list-v2", {node(keep, root), node(added, root)});
    QVERIFY(replaced.ok());
    QCOMPARE(replaced->size(), std::size_t(1));
    QCOMPARE(replaced->front(), drop);

    auto stored = repo->accountByRootId(root);
    QCOMPARE(stored->deviceListVersion, std::uint64_t(2));
    QCOMPARE(stored->deviceList, QByteArray("device-list-v2"));
    QCOMPARE(repo->node(drop).error(), StoreError::NotFound);
    QVERIFY(repo->node(added).ok());
    QCOMPARE(repo->nodesOf(root)->size(), std::size_t(2));
    QCOMPARE(*repo->prekeyCount(drop), 0);
    QCOMPARE(*repo->hasLastResort(drop), false);
    QCOMPARE(*repo->pendingCount(drop), 0);
    // The kept device keeps its keys and messages.
    QCOMPARE(*repo->prekeyCount(keep), 1);
    QCOMPARE(*repo->pendingCount(keep), 1);

    // Same and older versions are refused and change nothing.
    for (std::uint64_t version : {std::uint64_t(2), std::uint64_t(1)}) {
        auto refused = repo->replaceDeviceList(root, version, "stale", {node(keep, root)});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error(), StoreError::Conflict);
    }
    QCOMPARE(repo->accountByRootId(root)->deviceList, QByteArray("device-list-v2"));
    QCOMPARE(repo->nodesOf(root)->size(), std::size_t(2));

    // A node id of another account is not taken over.
    const QByteArray otherRoot = id('r', 2);
    QVERIFY(repo->createAccount(account(QStringLiteral("bob"), otherRoot),
                                {node(id('n', 9), otherRoot)})
                .ok());
    auto stolen =
        repo->replaceDeviceList(root, 3, "v3", {node(keep, root), node(id('n', 9), root)});
    QVERIFY(!stolen.ok());
    QCOMPARE(stolen.error(), StoreError::Conflict);
    QCOMPARE(repo->node(id('n', 9))->rootId, otherRoot);
    QCOMPARE(repo->accountByRootId(root)->deviceListVersion, std::uint64_t(2));

    QCOMPARE(repo->replaceDeviceList(id('x'), 5, "v", {}).error(), StoreError::NotFound);
}

void TestRepository::recoveryAttempts() {
    auto repo = fresh();
    QVERIFY(repo);
    auto none = repo->recoveryAttempts(id('r'));
    QVERIFY(none.ok());
    QCOMPARE(none->consecutiveFailures, 0);
    QCOMPARE(none->lockedUntilMs, std::int64_t(0));
    QVERIFY(repo->setRecoveryAttempts(id('r'), {3, 12345}).ok());
    QCOMPARE(repo->recoveryAttempts(id('r'))->consecutiveFailures, 3);
    QVERIFY(repo->setRecoveryAttempts(id('r'), {0, 0}).ok());
    QCOMPARE(repo->recoveryAttempts(id('r'))->consecutiveFailures, 0);
    QCOMPARE(repo->recoveryAttempts(id('r'))->lockedUntilMs, std::int64_t(0));
}

// --- Prekeys -----------------------------------------------------------------------------

void TestRepository::prekeys() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray n = id('n');
    QCOMPARE(*repo->prekeyCount(n), 0);
    QCOMPARE(*repo->hasLastResort(n), false);
    auto empty = repo->takePrekey(n);
    QVERIFY(empty.ok());
    QVERIFY(empty->signedPrekey.isEmpty());
    QVERIFY(!empty->lastResort);

    QCOMPARE(*repo->addPrekeys(n, {{"a", "sa"}, {"b", "sb"}, {"c", "sc"}}, QByteArray("last")), 3);
    // Duplicates by id are ignored and do not replace the stored key.
    QCOMPARE(*repo->addPrekeys(n, {{"a", "other"}, {"d", "sd"}}, std::nullopt), 4);
    QCOMPARE(*repo->prekeyCount(n), 4);
    QCOMPARE(*repo->hasLastResort(n), true);

    std::set<QByteArray> handedOut;
    for (int remaining = 3; remaining >= 0; --remaining) {
        auto take = repo->takePrekey(n);
        QVERIFY(take.ok());
        QVERIFY(!take->lastResort);
        QCOMPARE(take->remaining, remaining);
        QVERIFY(handedOut.insert(take->signedPrekey).second);
    }
    QCOMPARE(handedOut, (std::set<QByteArray>{"sa", "sb", "sc", "sd"}));

    for (int i = 0; i < 2; ++i) {
        auto last = repo->takePrekey(n);
        QVERIFY(last.ok());
        QVERIFY(last->lastResort);
        QCOMPARE(last->signedPrekey, QByteArray("last"));
        QCOMPARE(last->remaining, 0);
    }
    QCOMPARE(*repo->hasLastResort(n), true);
    QCOMPARE(*repo->addPrekeys(n, {}, QByteArray("newer")), 0);
    QCOMPARE(repo->takePrekey(n)->signedPrekey, QByteArray("newer"));
}

void TestRepository::takePrekeyConcurrently() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray n = id('n');
    constexpr int kKeys = 120;
    std::vector<StoredPrekey> keys;
    for (int i = 0; i < kKeys; ++i)
        keys.push_back({QByteArray::number(i), "signed-" + QByteArray::number(i)});
    QCOMPARE(*repo->addPrekeys(n, keys, QByteArray("last")), kKeys);

    // Two connections on two threads take until they get the last-resort key.
    const StorageWorker::Factory open = factory();
    std::vector<QByteArray> taken[2];
    bool failed[2] = {false, false};
    auto taker = [&](int which) {
        auto own = open();
        if (!own) {
            failed[which] = true;
            return;
        }
        for (;;) {
            auto take = own->takePrekey(n);
            if (!take.ok()) {
                failed[which] = true;
                return;
            }
            if (take->lastResort)
                return;
            taken[which].push_back(take->signedPrekey);
        }
    };
    std::thread first(taker, 0);
    std::thread second(taker, 1);
    first.join();
    second.join();
    QVERIFY(!failed[0]);
    QVERIFY(!failed[1]);
    std::set<QByteArray> all(taken[0].begin(), taken[0].end());
    all.insert(taken[1].begin(), taken[1].end());
    QCOMPARE(taken[0].size() + taken[1].size(), std::size_t(kKeys)); // none twice
    QCOMPARE(all.size(), std::size_t(kKeys));                        // none lost
    QCOMPARE(*repo->prekeyCount(n), 0);
}

// --- Relay -------------------------------------------------------------------------------

void TestRepository::enqueueAndPending() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray a = id('a');
    const QByteArray b = id('b');
    auto empty = repo->enqueue({});
    QVERIFY(empty.ok());
    QVERIFY(empty->empty());

    auto rows = repo->enqueue({message("m1", {a, b}), message("m2", {a}), message("m3", {b, a})});
    QVERIFY(rows.ok());
    QCOMPARE(rows->size(), std::size_t(5));
    QCOMPARE((*rows)[0].recipientNodeId, a);
    QCOMPARE((*rows)[1].recipientNodeId, b);
    QCOMPARE((*rows)[4].packet, QByteArray("m3"));
    QCOMPARE((*rows)[4].recipientNodeId, a);
    auto more = repo->enqueue({message("m4", {a})});
    QVERIFY(more.ok());

    auto forA = repo->pending(a, 0, 100);
    QVERIFY(forA.ok());
    QCOMPARE(forA->size(), std::size_t(4));
    const QByteArray expected[] = {"m1", "m2", "m3", "m4"};
    for (std::size_t i = 0; i < forA->size(); ++i) {
        const PendingDelivery& d = (*forA)[i];
        QCOMPARE(d.packet, expected[i]);
        QCOMPARE(d.recipientNodeId, a);
        QCOMPARE(d.senderRootId, id('s'));
        QCOMPARE(d.senderNodeId, id('t'));
        QCOMPARE(d.receivedAtMs, std::int64_t(500));
        if (i > 0)
            QVERIFY(d.deliveryId > (*forA)[i - 1].deliveryId);
    }
    QCOMPARE((*forA)[0].deliveryId, (*rows)[0].deliveryId);

    auto after = repo->pending(a, (*forA)[1].deliveryId, 100);
    QCOMPARE(after->size(), std::size_t(2));
    QCOMPARE(after->front().packet, QByteArray("m3"));
    auto limited = repo->pending(a, 0, 1);
    QCOMPARE(limited->size(), std::size_t(1));
    QCOMPARE(*repo->pendingCount(a), 4);
    QCOMPARE(*repo->pendingCount(b), 2);
    QCOMPARE(*repo->pendingCount(id('z')), 0);

    // Ids keep increasing after a node's queue was emptied completely.
    std::vector<std::uint64_t> all;
    for (const PendingDelivery& d : *forA)
        all.push_back(d.deliveryId);
    QCOMPARE(*repo->acknowledge(a, all), 4);
    auto later = repo->enqueue({message("m5", {a})});
    QVERIFY(later->front().deliveryId > all.back());
}

void TestRepository::acknowledgeOwnRowsOnly() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray a = id('a');
    const QByteArray b = id('b');
    auto rows = repo->enqueue({message("x", {a, b}), message("y", {a, b})});
    QVERIFY(rows.ok());
    std::vector<std::uint64_t> ofB;
    std::vector<std::uint64_t> ofA;
    for (const PendingDelivery& d : *rows)
        (d.recipientNodeId == a ? ofA : ofB).push_back(d.deliveryId);

    // a names b's rows: nothing happens.
    QCOMPARE(*repo->acknowledge(a, ofB), 0);
    QCOMPARE(*repo->pendingCount(b), 2);
    QCOMPARE(*repo->acknowledge(a, {ofA[0]}), 1);
    QCOMPARE(*repo->acknowledge(a, {ofA[0]}), 0); // already gone
    QCOMPARE(*repo->pendingCount(a), 1);
    QCOMPARE(repo->pending(a, 0, 10)->front().packet, QByteArray("y"));
    QCOMPARE(*repo->acknowledge(b, ofB), 2);
    QCOMPARE(*repo->acknowledge(b, {}), 0);
    QCOMPARE(*repo->pendingCount(b), 0);
    QCOMPARE(*repo->pendingCount(a), 1);
}

void TestRepository::commitRelayWritesAndDeletes() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray a = id('a');
    const QByteArray b = id('b');
    auto first = repo->enqueue({message("x", {a, b})});
    QVERIFY(first.ok());
    const std::uint64_t ofA = (*first)[0].deliveryId;
    const std::uint64_t ofB = (*first)[1].deliveryId;

    // New rows and acknowledgements in one call: rows in order, deletions per acknowledgement,
    // each limited to its own node's rows.
    auto commit = repo->commitRelay({message("y", {b}), message("z", {a, b})},
                                    {Acknowledgement{a, {ofA, ofB}}, Acknowledgement{b, {ofB}}});
    QVERIFY(commit.ok());
    QCOMPARE(commit->rows.size(), std::size_t(3));
    QCOMPARE(commit->rows[0].packet, QByteArray("y"));
    QCOMPARE(commit->rows[0].recipientNodeId, b);
    QCOMPARE(commit->rows[1].recipientNodeId, a);
    QCOMPARE(commit->rows[2].recipientNodeId, b);
    QVERIFY(commit->rows[0].deliveryId < commit->rows[2].deliveryId);
    QCOMPARE(commit->deleted, (std::vector<int>{1, 1}));
    QCOMPARE(*repo->pendingCount(a), 1);
    QCOMPARE(*repo->pendingCount(b), 2);
    QCOMPARE(repo->pending(a, 0, 10)->front().packet, QByteArray("z"));

    // Either side may be empty.
    auto onlyAcks = repo->commitRelay({}, {Acknowledgement{a, {commit->rows[1].deliveryId}}});
    QVERIFY(onlyAcks.ok());
    QVERIFY(onlyAcks->rows.empty());
    QCOMPARE(onlyAcks->deleted, std::vector<int>{1});
    auto nothing = repo->commitRelay({}, {});
    QVERIFY(nothing.ok());
    QVERIFY(nothing->rows.empty() && nothing->deleted.empty());
    QCOMPARE(*repo->pendingCount(a), 0);
}

// --- Fan-out and blobs -------------------------------------------------------------------

void TestRepository::fanout() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray list = id('f');
    QCOMPARE(repo->fanout(list).error(), StoreError::NotFound);
    QVERIFY(repo->setFanout(list, id('r', 1), {id('n', 1), id('n', 2)}).ok());
    QCOMPARE(*repo->fanout(list), (std::vector<QByteArray>{id('n', 1), id('n', 2)}));
    QVERIFY(repo->setFanout(list, id('r', 1), {id('n', 3)}).ok());
    QCOMPARE(*repo->fanout(list), (std::vector<QByteArray>{id('n', 3)}));
    auto other = repo->setFanout(list, id('r', 2), {id('n', 4)});
    QVERIFY(!other.ok());
    QCOMPARE(other.error(), StoreError::Conflict);
    QCOMPARE(*repo->fanout(list), (std::vector<QByteArray>{id('n', 3)}));
    QVERIFY(repo->setFanout(list, id('r', 1), {}).ok());
    QVERIFY(repo->fanout(list)->empty());
}

void TestRepository::blobs() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray blobId = id('b');
    QByteArray content;
    for (int i = 0; i < 100; ++i)
        content.append(static_cast<char>(i));
    BlobRecord record{blobId, id('n'), 100, 0, QByteArray(32, 'h'), 9'000};
    auto created = repo->createBlob(record);
    QVERIFY(created.ok());
    QCOMPARE(created->received, std::uint64_t(0));
    QVERIFY(!created->complete());
    QCOMPARE(repo->createBlob(record).error(), StoreError::Conflict);
    QCOMPARE(repo->blob(id('x')).error(), StoreError::NotFound);
    QCOMPARE(repo->appendBlob(id('x'), 0, "a").error(), StoreError::NotFound);

    QCOMPARE(repo->appendBlob(blobId, 0, content.left(30))->received, std::uint64_t(30));
    QCOMPARE(repo->appendBlob(blobId, 10, content.mid(10, 5)).error(), StoreError::Invalid);
    QCOMPARE(repo->appendBlob(blobId, 31, content.mid(31, 5)).error(), StoreError::Invalid);
    QCOMPARE(repo->appendBlob(blobId, 30, QByteArray(71, 'x')).error(), StoreError::Invalid);

    // Resume: a new connection sees how far the upload got.
    auto again = reopen();
    QVERIFY(again);
    auto status = again->blob(blobId);
    QCOMPARE(status->received, std::uint64_t(30));
    QCOMPARE(status->size, std::uint64_t(100));
    QCOMPARE(status->sha256, record.sha256);
    QCOMPARE(status->ownerNodeId, id('n'));
    QCOMPARE(again->appendBlob(blobId, 30, content.mid(30, 25))->received, std::uint64_t(55));
    // Reads of what has arrived so far, across chunk rows.
    QCOMPARE(*again->readBlob(blobId, 20, 20), content.mid(20, 20));
    QCOMPARE(*again->readBlob(blobId, 50, 20), content.mid(50, 5));
    QCOMPARE(*again->readBlob(blobId, 55, 20), QByteArray());
    QCOMPARE(again->readBlob(blobId, 56, 1).error(), StoreError::Invalid);
    auto done = again->appendBlob(blobId, 55, content.mid(55));
    QVERIFY(done.ok());
    QVERIFY(done->complete());
    QCOMPARE(*again->readBlob(blobId, 0, 1000), content);
    QCOMPARE(*again->readBlob(blobId, 29, 2), content.mid(29, 2));
    QCOMPARE(again->readBlob(id('x'), 0, 10).error(), StoreError::NotFound);
    QCOMPARE(again->appendBlob(blobId, 100, "z").error(), StoreError::Invalid);
}

// --- Events, expiry, durability ----------------------------------------------------------

void TestRepository::events() {
    auto repo = fresh();
    QVERIFY(repo);
    QCOMPARE(*repo->eventCount(id('r')), 0);
    QVERIFY(repo->recordEvent(id('r'), QStringLiteral("login"), 100).ok());
    QVERIFY(repo->recordEvent(id('r'), QStringLiteral("device-added"), 200).ok());
    QVERIFY(repo->recordEvent(id('q'), QStringLiteral("login"), 200).ok());
    QCOMPARE(*repo->eventCount(id('r')), 2);
}

void TestRepository::purgeExpired() {
    auto repo = fresh();
    QVERIFY(repo);
    const QByteArray a = id('a');
    QVERIFY(repo->enqueue({message("old", {a, id('b')}, 1'000), message("new", {a}, kNotExpired)})
                .ok());
    QVERIFY(repo->createBlob({id('x', 1), a, 10, 0, {}, 1'000}).ok());
    QVERIFY(repo->appendBlob(id('x', 1), 0, "0123456789").ok());
    QVERIFY(repo->createBlob({id('x', 2), a, 10, 0, {}, 5'000}).ok());
    QVERIFY(repo->appendBlob(id('x', 2), 0, "abcde").ok());
    QVERIFY(repo->recordEvent(id('r'), QStringLiteral("login"), 100).ok());
    QVERIFY(repo->recordEvent(id('r'), QStringLiteral("login"), 3'000).ok());

    // Expired but not yet purged: counted, never handed out.
    QCOMPARE(*repo->pendingCount(a), 2);
    QCOMPARE(repo->pending(a, 0, 10)->size(), std::size_t{1});
    auto purged = repo->purgeExpired(2'000, 2'000);
    QVERIFY(purged.ok());
    QCOMPARE(purged->deliveries, 2);
    QCOMPARE(purged->blobs, 1);
    QCOMPARE(purged->events, 1);
    QCOMPARE(*repo->pendingCount(a), 1);
    QCOMPARE(repo->pending(a, 0, 10)->front().packet, QByteArray("new"));
    QCOMPARE(repo->blob(id('x', 1)).error(), StoreError::NotFound);
    QCOMPARE(*repo->readBlob(id('x', 2), 0, 10), QByteArray("abcde"));
    QCOMPARE(*repo->eventCount(id('r')), 1);
    // Its chunks went too: a blob created again under the same id starts empty.
    QVERIFY(repo->createBlob({id('x', 1), a, 3, 0, {}, 9'000}).ok());
    QVERIFY(repo->appendBlob(id('x', 1), 0, "xyz").ok());
    QCOMPARE(*repo->readBlob(id('x', 1), 0, 10), QByteArray("xyz"));

    auto nothing = repo->purgeExpired(2'000, 2'000);
    QCOMPARE(nothing->deliveries + nothing->blobs + nothing->events, 0);
}

void TestRepository::persistsAcrossReopen() {
    QByteArray root = id('r');
    {
        auto repo = fresh();
        QVERIFY(repo);
        QVERIFY(repo->createAccount(account(QStringLiteral("alice"), root), {node(id('n'), root)})
                    .ok());
        QVERIFY(repo->enqueue({message("kept", {id('n')})}).ok());
        QCOMPARE(*repo->addPrekeys(id('n'), {{"k", "s"}}, std::nullopt), 1);
    }
    auto repo = reopen();
    QVERIFY(repo);
    QVERIFY(repo->migrate().ok());
    QCOMPARE(repo->accountByUsername(QStringLiteral("alice"))->rootId, root);
    QCOMPARE(repo->pending(id('n'), 0, 10)->front().packet, QByteArray("kept"));
    QCOMPARE(*repo->prekeyCount(id('n')), 1);
}

// --- StorageWorker -----------------------------------------------------------------------

void TestRepository::workerGroupCommit() {
    QVERIFY(fresh());
    StorageWorker worker(factory());
    QVERIFY(worker.start());

    // Hold the storage thread so the sends below pile up behind this job.
    bool held = false;
    worker.run(
        this,
        [](Repository&) {
            QThread::msleep(200);
            return true;
        },
        [&held](bool value) { held = value; });

    constexpr int kSends = 300;
    std::vector<std::optional<StorageWorker::EnqueueResult>> results(kSends);
    for (int i = 0; i < kSends; ++i) {
        const QByteArray recipient = id('a', i % 3);
        worker.enqueue(message("packet-" + QByteArray::number(i), {recipient, id('z')}), this,
                       [&results, i](StorageWorker::EnqueueResult r) { results[i].emplace(r); });
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(results.begin(), results.end(), [](const auto& r) { return r.has_value(); }),
        20000);
    QVERIFY(held);
    QVERIFY2(worker.enqueueBatches() <= 3,
             qPrintable(QStringLiteral("%1 batches").arg(worker.enqueueBatches())));
    for (int i = 0; i < kSends; ++i) {
        QVERIFY(results[i]->ok());
        const std::vector<PendingDelivery>& rows = results[i]->value();
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].packet, "packet-" + QByteArray::number(i));
        QCOMPARE(rows[0].recipientNodeId, id('a', i % 3));
        QCOMPARE(rows[1].recipientNodeId, id('z'));
    }

    int pendingZ = -1;
    worker.run(
        this, [](Repository& r) { return r.pendingCount(id('z')); },
        [&pendingZ](Result<int, StoreError> r) { pendingZ = r.ok() ? *r : -2; });
    QTRY_COMPARE(pendingZ, kSends);

    // Sends queued right before stop() are still written.
    bool lateWritten = false;
    worker.enqueue(message("late", {id('z')}), this,
                   [&lateWritten](StorageWorker::EnqueueResult r) { lateWritten = r.ok(); });
    worker.stop();
    worker.stop();
    QTRY_VERIFY(lateWritten);
    auto repo = reopen();
    QCOMPARE(*repo->pendingCount(id('z')), kSends + 1);
}

void TestRepository::workerCommitsAcknowledgementsWithSends() {
    QVERIFY(fresh());
    StorageWorker worker(factory());
    QVERIFY(worker.start());
    std::optional<StorageWorker::EnqueueResult> first;
    worker.enqueue(message("first", {id('a'), id('b')}), this,
                   [&first](StorageWorker::EnqueueResult r) { first.emplace(r); });
    QTRY_VERIFY(first.has_value());
    QVERIFY(first->ok());
    const std::vector<PendingDelivery> rows = first->value();

    // Hold the storage thread so the sends and acknowledgements below meet in one batch.
    worker.run(
        this,
        [](Repository&) {
            QThread::msleep(100);
            return true;
        },
        [](bool) {});
    std::optional<Result<int, StoreError>> ackedA;
    std::optional<Result<int, StoreError>> ackedB;
    std::optional<StorageWorker::EnqueueResult> second;
    worker.acknowledge(id('a'), {rows[0].deliveryId, rows[1].deliveryId}, this,
                       [&ackedA](Result<int, StoreError> r) { ackedA.emplace(r); });
    worker.enqueue(message("second", {id('a')}), this,
                   [&second](StorageWorker::EnqueueResult r) { second.emplace(r); });
    worker.acknowledge(id('b'), {rows[1].deliveryId}, this,
                       [&ackedB](Result<int, StoreError> r) { ackedB.emplace(r); });
    QTRY_VERIFY(ackedA && ackedB && second);
    QCOMPARE(**ackedA, 1); // a's own row only
    QCOMPARE(**ackedB, 1);
    QVERIFY(second->ok());
    QCOMPARE(second->value().size(), std::size_t(1));

    int pendingA = -1;
    worker.run(
        this, [](Repository& r) { return r.pendingCount(id('a')); },
        [&pendingA](Result<int, StoreError> r) { pendingA = r.ok() ? *r : -2; });
    QTRY_COMPARE(pendingA, 1);
    worker.stop();
}

void TestRepository::workerRunDropsResultForDestroyedContext() {
    QVERIFY(fresh());
    StorageWorker worker(factory());
    QVERIFY(worker.start());
    bool called = false;
    auto context = std::make_unique<QObject>();
    worker.run(
        context.get(),
        [](Repository& r) {
            QThread::msleep(50);
            return r.pendingCount(id('a'));
        },
        [&called](Result<int, StoreError>) { called = true; });
    context.reset();
    worker.stop();
    QTest::qWait(50);
    QVERIFY(!called);

    StorageWorker broken([] { return std::unique_ptr<Repository>(); });
    QVERIFY(!broken.start());
}

void TestRepository::remoteDeliveryNotification() {
    QFETCH(QString, backend);
    if (backend != kPostgres) {
        // SQLite serves one process: there is no peer, and our own writes are never echoed.
        auto repo = fresh();
        QVERIFY(repo);
        std::vector<QByteArray> heard;
        repo->setRemoteDeliveryListener([&heard](const QByteArray& n) { heard.push_back(n); });
        QVERIFY(repo->enqueue({message("p", {id('a')})}).ok());
        QTest::qWait(100);
        QVERIFY(heard.empty());
        return;
    }
    QVERIFY(fresh());
    auto listener = reopen();
    auto sender = reopen();
    QVERIFY(listener && sender);
    std::vector<QByteArray> heard;
    listener->setRemoteDeliveryListener([&heard](const QByteArray& n) { heard.push_back(n); });

    QVERIFY(sender->enqueue({message("p", {id('a'), id('b')}), message("q", {id('a')})}).ok());
    QTRY_COMPARE(heard.size(), std::size_t(2)); // one per node per batch
    std::sort(heard.begin(), heard.end());
    QCOMPARE(heard, (std::vector<QByteArray>{id('a'), id('b')}));

    // Its own sends do not wake the listener.
    heard.clear();
    QVERIFY(listener->enqueue({message("own", {id('c')})}).ok());
    QTest::qWait(300);
    QVERIFY(heard.empty());

    // Through two workers, as two server processes would.
    StorageWorker one(factory());
    StorageWorker two(factory());
    QVERIFY(one.start());
    QVERIFY(two.start());
    std::vector<QByteArray> woken;
    connect(&one, &StorageWorker::deliveriesAvailable, this,
            [&woken](const QByteArray& n) { woken.push_back(n); });
    bool sent = false;
    two.enqueue(message("cross", {id('d')}), this,
                [&sent](StorageWorker::EnqueueResult r) { sent = r.ok(); });
    QTRY_VERIFY(sent);
    QTRY_COMPARE(woken.size(), std::size_t(1));
    QCOMPARE(woken.front(), id('d'));
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments();
    const bool postgresOnly = arguments.removeAll(QStringLiteral("--pg")) > 0;
    TestRepository test(postgresOnly);
    return QTest::qExec(&test, arguments);
}

#include "tst_repository.moc"
