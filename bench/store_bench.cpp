// SPDX-License-Identifier: Apache-2.0
// The client store (issue 4, "Benchmark"): unlock time at the default scrypt cost, loading the
// newest 50 messages of a conversation that holds 1,000,000 (goal <= 5 ms), and inserting
// received messages in batches (goal >= 5,000/s). The 1M-message database is generated once
// per process into a temporary directory (CINDER_BENCH_DIR, else the current directory) and
// reused by every benchmark that needs it. Prints numbers; asserts nothing.

#include "storage/Database.h"
#include "storage/KeyVault.h"
#include "storage/Store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <memory>

using namespace cinder;
using namespace cinder::storage;

namespace {

constexpr std::uint32_t kLargeConversationSize = 1'000'000;
constexpr std::size_t kGenerateBatch = 10'000;
constexpr std::int64_t kBaseTimeMs = 1'700'000'000'000;

QString benchDirectory() {
    const QString configured = qEnvironmentVariable("CINDER_BENCH_DIR");
    return (configured.isEmpty() ? QDir::currentPath() : configured) +
           QStringLiteral("/store_bench-XXXXXX");
}

// Never expires during the run (ttl is capped at a year; the clock is pinned below).
std::int64_t pinnedClock() {
    return kBaseTimeMs;
}

MessageRecord benchMessage(std::uint64_t n, const crypto::ConversationId& conversation) {
    MessageRecord m;
    std::memcpy(m.id.data(), &n, sizeof(n));
    m.id[15] = 0xbe;
    m.conversationId = conversation;
    m.senderRootId.fill(0x11);
    m.senderNodeId.fill(0x22);
    m.sequence = n + 1;
    m.sentAtMs = kBaseTimeMs - 3'600'000 + static_cast<std::int64_t>(n); // 1 ms apart
    m.receivedAtMs = m.sentAtMs + 40;
    m.body = crypto::Bytes(120, static_cast<std::uint8_t>('a' + n % 26)); // a short text
    m.ephemerality = {crypto::kMaxTtlSeconds, false, 0};
    return m;
}

ConversationRecord benchConversation(std::uint8_t n) {
    ConversationRecord c;
    c.id.fill(n);
    c.title = "bench";
    c.defaults = {crypto::kMaxTtlSeconds, false, 0};
    c.createdAtMs = kBaseTimeMs;
    return c;
}

struct LargeStore {
    QTemporaryDir dir{benchDirectory()};
    std::unique_ptr<Store> store;
    ConversationRecord conversation = benchConversation(1);
};

// Builds the 1M-message store once; later calls return it.
LargeStore* largeStore() {
    static std::unique_ptr<LargeStore> cached;
    if (cached) {
        return cached->store ? cached.get() : nullptr;
    }
    cached = std::make_unique<LargeStore>();
    auto opened = Store::open(cached->dir.path(), crypto::systemRandom().secret(32), pinnedClock);
    if (!opened || !(*opened)->conversations().save(cached->conversation)) {
        return nullptr;
    }
    QElapsedTimer timer;
    timer.start();
    std::vector<MessageRecord> batch;
    batch.reserve(kGenerateBatch);
    for (std::uint32_t n = 0; n < kLargeConversationSize; ++n) {
        batch.push_back(benchMessage(n, cached->conversation.id));
        if (batch.size() == kGenerateBatch) {
            if (!(*opened)->messages().insertBatch(batch)) {
                return nullptr;
            }
            batch.clear();
        }
    }
    if (!(*opened)->checkpoint()) {
        return nullptr;
    }
    std::fprintf(stderr, "generated %u messages in %.1f s\n", kLargeConversationSize,
                 static_cast<double>(timer.elapsed()) / 1000.0);
    cached->store = std::move(opened).value();
    return cached.get();
}

void BM_Unlock(benchmark::State& state) {
    QTemporaryDir dir(benchDirectory());
    const crypto::ScryptCost cost = KeyVault::defaultCost();
    const auto passphrase = crypto::asBytes("correct horse battery staple");
    if (!KeyVault::create(dir.path(), crypto::asBytes("bench-account"),
                          crypto::systemRandom().secret(32), passphrase, cost)) {
        state.SkipWithError("cannot create the vault");
        return;
    }
    for (auto _ : state) {
        auto unlocked = KeyVault::unlock(dir.path(), passphrase);
        if (!unlocked) {
            state.SkipWithError("unlock failed");
            return;
        }
        benchmark::DoNotOptimize(unlocked->klds.data());
    }
    state.counters["log2N"] = cost.log2N;
    state.counters["r"] = cost.r;
}
BENCHMARK(BM_Unlock)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

// Opening an existing store with a raw key (no KDF in SQLCipher) and its expiry sweep.
void BM_OpenStore(benchmark::State& state) {
    QTemporaryDir dir(benchDirectory());
    const crypto::SecureBuffer key = crypto::systemRandom().secret(32);
    if (!Store::open(dir.path(), key, pinnedClock)) {
        state.SkipWithError("cannot create the store");
        return;
    }
    for (auto _ : state) {
        auto store = Store::open(dir.path(), key, pinnedClock);
        if (!store) {
            state.SkipWithError("open failed");
            return;
        }
    }
}
BENCHMARK(BM_OpenStore)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_NewestPageOf1M(benchmark::State& state) {
    LargeStore* large = largeStore();
    if (!large) {
        state.SkipWithError("cannot build the 1M-message store");
        return;
    }
    const int limit = static_cast<int>(state.range(0));
    for (auto _ : state) {
        auto page = large->store->messages().page(large->conversation.id, std::nullopt, limit);
        if (!page || page->size() != static_cast<std::size_t>(limit)) {
            state.SkipWithError("page failed");
            return;
        }
        benchmark::DoNotOptimize(page->data());
    }
}
BENCHMARK(BM_NewestPageOf1M)->Arg(50)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Scrolling back: a page that starts half-way through the million.
void BM_OlderPageOf1M(benchmark::State& state) {
    LargeStore* large = largeStore();
    if (!large) {
        state.SkipWithError("cannot build the 1M-message store");
        return;
    }
    const MessageRecord middle = benchMessage(kLargeConversationSize / 2, large->conversation.id);
    const MessageCursor cursor{middle.sentAtMs, kLargeConversationSize / 2 + 1};
    for (auto _ : state) {
        auto page = large->store->messages().page(large->conversation.id, cursor, 50);
        if (!page || page->size() != 50) {
            state.SkipWithError("page failed");
            return;
        }
        benchmark::DoNotOptimize(page->data());
    }
}
BENCHMARK(BM_OlderPageOf1M)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Received messages in batches (one transaction per batch), into a store that already holds
// the million: items_per_second is the insert rate.
void BM_InsertReceived(benchmark::State& state) {
    LargeStore* large = largeStore();
    if (!large) {
        state.SkipWithError("cannot build the 1M-message store");
        return;
    }
    static std::uint64_t next = kLargeConversationSize;
    const auto batchSize = static_cast<std::size_t>(state.range(0));
    std::vector<MessageRecord> batch(batchSize);
    for (auto _ : state) {
        state.PauseTiming();
        for (std::size_t i = 0; i < batchSize; ++i) {
            batch[i] = benchMessage(next++, large->conversation.id);
        }
        state.ResumeTiming();
        auto inserted = large->store->messages().insertBatch(batch);
        if (!inserted || *inserted != batchSize) {
            state.SkipWithError("insert failed");
            return;
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batchSize));
}
BENCHMARK(BM_InsertReceived)
    ->Arg(1)
    ->Arg(100)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Which SQL engine this build of the store runs on, as the engine itself reports it.
std::string engineDescription() {
    QTemporaryDir dir(benchDirectory());
    auto db = detail::Database::open(dir.filePath(QStringLiteral("probe.db")),
                                     crypto::systemRandom().secret(32));
    if (!db) {
        return "unknown (the probe store did not open)";
    }
    auto first = [&](const char* sql) -> std::string {
        auto statement = (*db)->prepare(sql);
        if (!statement) {
            return "?";
        }
        auto row = statement->step();
        return row && *row ? statement->text(0) : "?";
    };
#ifdef CINDER_STORE_ENGINE_SQLCIPHER3
    return "SQLCipher " + first("PRAGMA cipher_version;") + " (SQLCipher 3 format) on SQLite " +
           first("SELECT sqlite_version();");
#else
    return first("SELECT sqlite3mc_version();") + " (SQLCipher 4 format) on SQLite " +
           first("SELECT sqlite_version();");
#endif
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    benchmark::AddCustomContext("store_engine", engineDescription());
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
