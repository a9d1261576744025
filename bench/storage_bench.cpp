// SPDX-License-Identifier: Apache-2.0
// Relay storage throughput with SQLite (WAL, synchronous=FULL: one fsync per commit): 1 KiB
// single-recipient rows written by Repository::enqueue in batches of 1, 64 and 512 messages,
// then acknowledged (deleted) in one call per batch, as the server does. items_per_second is
// rows enqueued and acknowledged per second. The database is created in the current
// directory (a real disk, unlike a tmpfs /tmp); CINDER_BENCH_DIR overrides it.

#include "server/storage/SqlRepository.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <memory>

using namespace cinder::server;

namespace {

QString benchDirectory() {
    const QString configured = qEnvironmentVariable("CINDER_BENCH_DIR");
    return configured.isEmpty() ? QDir::currentPath() : configured;
}

void enqueueAcknowledge(benchmark::State& state, Repository* repository) {
    if (!repository || !repository->migrate()) {
        state.SkipWithError("cannot open the database");
        return;
    }
    const QByteArray recipient(32, 'r');
    const auto batch = static_cast<std::size_t>(state.range(0));
    std::vector<NewMessage> messages(batch);
    for (std::size_t i = 0; i < batch; ++i) {
        messages[i].packet = QByteArray(1024, static_cast<char>('a' + i % 26));
        messages[i].senderRootId = QByteArray(32, 's');
        messages[i].senderNodeId = QByteArray(32, 't');
        messages[i].recipientNodeIds = {recipient};
        messages[i].receivedAtMs = 1;
        messages[i].expiresAtMs = 1'000'000'000;
    }
    std::vector<std::uint64_t> ids;
    ids.reserve(batch);
    for (auto _ : state) {
        auto rows = repository->enqueue(messages);
        if (!rows) {
            state.SkipWithError("enqueue failed");
            return;
        }
        ids.clear();
        for (const PendingDelivery& row : *rows)
            ids.push_back(row.deliveryId);
        auto acknowledged = repository->acknowledge(recipient, ids);
        if (!acknowledged || *acknowledged != static_cast<int>(batch)) {
            state.SkipWithError("acknowledge failed");
            return;
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

void BM_SqliteEnqueueAcknowledge(benchmark::State& state) {
    QTemporaryDir dir(benchDirectory() + QStringLiteral("/storage_bench-XXXXXX"));
    enqueueAcknowledge(state, openSqliteRepository(dir.filePath(QStringLiteral("bench.db"))).get());
}
BENCHMARK(BM_SqliteEnqueueAcknowledge)->Arg(1)->Arg(64)->Arg(512)->UseRealTime();

// Enqueue alone: what the sender waits for before its acknowledgement.
void BM_SqliteEnqueue(benchmark::State& state) {
    QTemporaryDir dir(benchDirectory() + QStringLiteral("/storage_bench-XXXXXX"));
    auto repository = openSqliteRepository(dir.filePath(QStringLiteral("bench.db")));
    if (!repository || !repository->migrate()) {
        state.SkipWithError("cannot open the SQLite database");
        return;
    }
    const auto batch = static_cast<std::size_t>(state.range(0));
    std::vector<NewMessage> messages(batch);
    for (std::size_t i = 0; i < batch; ++i) {
        messages[i].packet = QByteArray(1024, 'p');
        messages[i].senderRootId = QByteArray(32, 's');
        messages[i].senderNodeId = QByteArray(32, 't');
        messages[i].recipientNodeIds = {QByteArray(32, static_cast<char>('a' + i % 26))};
        messages[i].receivedAtMs = 1;
        messages[i].expiresAtMs = 1'000'000'000;
    }
    for (auto _ : state) {
        if (!repository->enqueue(messages)) {
            state.SkipWithError("enqueue failed");
            return;
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}
BENCHMARK(BM_SqliteEnqueue)->Arg(1)->Arg(64)->Arg(512)->UseRealTime();

// PostgreSQL, when CINDER_TEST_PG names a database (as for tst_repository; see
// scripts/pg-test-cluster, whose cluster runs with fsync off).
void BM_PostgresEnqueueAcknowledge(benchmark::State& state) {
    QString host, database, user;
    int port = 5432;
    for (const QString& item :
         qEnvironmentVariable("CINDER_TEST_PG").split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString value = item.section(QLatin1Char('='), 1);
        if (item.startsWith(QLatin1String("host=")))
            host = value;
        else if (item.startsWith(QLatin1String("port=")))
            port = value.toInt();
        else if (item.startsWith(QLatin1String("dbname=")))
            database = value;
        else if (item.startsWith(QLatin1String("user=")))
            user = value;
    }
    enqueueAcknowledge(state, openPostgresRepository(host, port, database, user, {}).get());
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv); // Qt SQL loads its drivers as plugins
    if (!qEnvironmentVariableIsEmpty("CINDER_TEST_PG")) {
        benchmark::RegisterBenchmark("BM_PostgresEnqueueAcknowledge", BM_PostgresEnqueueAcknowledge)
            ->Arg(1)
            ->Arg(64)
            ->Arg(512)
            ->UseRealTime();
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
