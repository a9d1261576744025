// SPDX-License-Identifier: Apache-2.0
// The replay state (issue 13): what persisting one accepted message costs when the store already
// holds N seen message ids (10k, 100k, 1M), and what loading the state at sign-in costs. The
// state is written incrementally (storage/ReplayTable.h): the write should not grow with N.
// Before, the client rewrote the whole state after each batch (saveReplayGuard, commit 80caf7d
// of this bench): 34 ms at 10k, 856 ms at 100k, 7.6 s at 1M. Prints numbers; asserts nothing.

#include "storage/Store.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>

using namespace cinder;
using namespace cinder::storage;

namespace {

constexpr std::int64_t kBaseTimeMs = 1'700'000'000'000;
constexpr int kSenders = 100;

std::int64_t pinnedClock() {
    return kBaseTimeMs;
}

QString benchDirectory() {
    const QString configured = qEnvironmentVariable("CINDER_BENCH_DIR");
    return (configured.isEmpty() ? QDir::currentPath() : configured) +
           QStringLiteral("/replay_bench-XXXXXX");
}

crypto::NodeId senderOf(std::uint64_t n) {
    crypto::NodeId node{};
    node.fill(0x33);
    node[0] = static_cast<std::uint8_t>(n % kSenders);
    return node;
}

crypto::MessageId messageIdOf(std::uint64_t n) {
    crypto::MessageId id{};
    std::memcpy(id.data(), &n, sizeof(n));
    id[15] = 0x7e;
    return id;
}

struct Recorded {
    QTemporaryDir dir{benchDirectory()};
    crypto::SecureBuffer key = crypto::SecureBuffer::copyOf(crypto::Bytes(32, 7));
    std::unique_ptr<Store> store;
    crypto::ReplayGuard guard{pinnedClock};
    std::uint64_t next = 0;
};

// A store whose replay state holds entries seen ids, spread over kSenders sender devices.
std::unique_ptr<Recorded> recorded(std::uint64_t entries) {
    auto out = std::make_unique<Recorded>();
    auto opened = Store::open(out->dir.path(), out->key, pinnedClock);
    if (!opened) {
        return nullptr;
    }
    out->store = std::move(opened).value();
    for (; out->next < entries; ++out->next) {
        out->guard.record(senderOf(out->next), messageIdOf(out->next), out->next / kSenders + 1,
                          kBaseTimeMs - 1000);
    }
    if (!out->store->replay().save(out->guard)) {
        return nullptr;
    }
    return out;
}

// One accepted message recorded and persisted, as the client does after a batch.
void BM_RecordOneMessage(benchmark::State& state) {
    auto fixture = recorded(static_cast<std::uint64_t>(state.range(0)));
    if (!fixture) {
        state.SkipWithError("fixture");
        return;
    }
    for (auto _ : state) {
        const std::uint64_t n = fixture->next++;
        fixture->guard.record(senderOf(n), messageIdOf(n), n / kSenders + 1, kBaseTimeMs - 1000);
        if (!fixture->store->replay().save(fixture->guard)) {
            state.SkipWithError("save");
            return;
        }
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordOneMessage)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The state read back at sign-in (ReplayTable::load), with N ids stored.
void BM_LoadAtSignIn(benchmark::State& state) {
    auto fixture = recorded(static_cast<std::uint64_t>(state.range(0)));
    if (!fixture) {
        state.SkipWithError("fixture");
        return;
    }
    for (auto _ : state) {
        auto loaded = fixture->store->replay().load();
        if (!loaded) {
            state.SkipWithError("load");
            return;
        }
        benchmark::DoNotOptimize(loaded->seenMessages().size());
    }
}
BENCHMARK(BM_LoadAtSignIn)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
