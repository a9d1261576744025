// SPDX-License-Identifier: Apache-2.0
//
// runLoad and runIdle: start the server, register, log in, run the phases, print the results.

#include "LoadRuns.h"

#include "Accounts.h"
#include "Bytes.h"
#include "ClientFleet.h"
#include "MainLoop.h"

#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QStringList>

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <random>

namespace cinder::bench {

using test::ServerProcess;

namespace {

double percentile(std::vector<std::uint32_t>& sorted, double q) {
    if (sorted.empty())
        return 0;
    const auto index = static_cast<std::size_t>(q * double(sorted.size() - 1));
    return double(sorted[index]) / 1000.0;
}

LoadResult runPhase(Fleet& fleet, const Options& options, qint64 serverPid, Traffic traffic,
                    double offered) {
    LoadResult result;
    fleet.onEach([](Shard& shard) { shard.resetCounters(); });
    fleet.shared.phase = Warmup;
    const double perShard = offered / double(fleet.shards.size());
    fleet.onEach([traffic, perShard](Shard& shard) { shard.startTraffic(traffic, perShard); });
    spin(static_cast<int>(options.warmupS * 1000));

    const auto sentBefore = fleet.sum([](const Shard& s) { return s.sentOk.load(); });
    const auto acksBefore = fleet.sum([](const Shard& s) { return s.ackRequests.load(); });
    const auto skippedBefore = fleet.sum([](const Shard& s) { return s.pacedSkipped.load(); });
    const CpuSnapshot cpuBefore = cpuSnapshot(serverPid);
    QElapsedTimer window;
    window.start();
    fleet.shared.phase = Measure;
    spin(static_cast<int>(options.durationS * 1000));
    fleet.shared.phase = Drain;
    const double seconds = double(window.nsecsElapsed()) / 1e9;
    const CpuSnapshot cpuAfter = cpuSnapshot(serverPid);
    const auto sentAfter = fleet.sum([](const Shard& s) { return s.sentOk.load(); });
    const auto acksAfter = fleet.sum([](const Shard& s) { return s.ackRequests.load(); });
    result.skipped =
        fleet.sum([](const Shard& s) { return s.pacedSkipped.load(); }) - skippedBefore;

    // Drain: stop sending, wait for every accepted send to arrive, acknowledge everything.
    fleet.onEach([](Shard& shard) { shard.stopTraffic(); });
    const bool drained = waitFor(
        [&] {
            return fleet.sum([](const Shard& s) { return s.inFlight.load(); }) == 0 &&
                   fleet.sum([](const Shard& s) { return s.received.load(); }) >=
                       fleet.sum([](const Shard& s) { return s.sentOk.load(); });
        },
        30000);
    fleet.onEach([](Shard& shard) { shard.flushAllAcks(); });
    waitFor([&] { return fleet.sum([](const Shard& s) { return s.acksInFlight.load(); }) == 0; },
            60000);
    if (!drained) {
        std::printf("  drain incomplete: sent %" PRIu64 ", received %" PRIu64 "\n",
                    fleet.sum([](const Shard& s) { return s.sentOk.load(); }),
                    fleet.sum([](const Shard& s) { return s.received.load(); }));
    }
    fleet.shared.phase = Idle;
    const auto sentTotal = fleet.sum([](const Shard& s) { return s.sentOk.load(); });
    result.deliveriesPerMessage =
        sentTotal ? double(fleet.sum([](const Shard& s) { return s.received.load(); })) /
                        double(sentTotal)
                  : 0;

    std::vector<std::uint32_t> samples;
    fleet.onEach([&samples](Shard& shard) {
        samples.insert(samples.end(), shard.latencyUs.begin(), shard.latencyUs.end());
    });
    std::sort(samples.begin(), samples.end());
    std::vector<std::uint32_t> ticks;
    fleet.onEach([&ticks](Shard& shard) {
        ticks.insert(ticks.end(), shard.tickLateUs.begin(), shard.tickLateUs.end());
    });
    std::sort(ticks.begin(), ticks.end());
    if (!ticks.empty()) {
        result.tickLateP99Ms = percentile(ticks, 0.99);
        result.tickLateMaxMs = double(ticks.back()) / 1000.0;
    }
    result.offered = offered;
    result.rate = double(fleet.sum([](const Shard& s) { return s.measured.load(); })) / seconds;
    result.sendRate = double(sentAfter - sentBefore) / seconds;
    result.ackRequestsPerS = double(acksAfter - acksBefore) / seconds;
    result.p50Ms = percentile(samples, 0.50);
    result.p99Ms = percentile(samples, 0.99);
    result.maxMs = samples.empty() ? 0 : double(samples.back()) / 1000.0;
    result.cpu = cpuUse(cpuBefore, cpuAfter, seconds);
    return result;
}

void printResult(const LoadResult& r) {
    std::printf(
        "  %-10s C=%-5d offered %-8s delivered %8.0f msg/s (sends acked %8.0f/s) "
        "p50 %7.2f ms p99 %7.2f ms max %7.1f ms | ack req %6.0f/s | %.3f deliveries/msg%s\n",
        qPrintable(r.label), r.connections,
        r.offered > 0 ? qPrintable(QString::number(r.offered, 'f', 0)) : "max", r.rate, r.sendRate,
        r.p50Ms, r.p99Ms, r.maxMs, r.ackRequestsPerS, r.deliveriesPerMessage,
        r.skipped
            ? qPrintable(QStringLiteral(" | %1 paced sends skipped (window full)").arg(r.skipped))
            : "");
    std::printf("             cpu (100%% = one core of %ld): client %.0f%%, server %.0f%% [%s]; "
                "other processes %.0f%%, iowait %.0f%%\n",
                sysconf(_SC_NPROCESSORS_ONLN), r.cpu.clientPct, r.cpu.serverPct,
                qPrintable(r.cpu.threads), r.cpu.otherPct, r.cpu.iowaitPct);
    if (r.tickLateP99Ms >= 0)
        std::printf("             client pacing tick late by p99 %.2f ms, max %.1f ms\n",
                    r.tickLateP99Ms, r.tickLateMaxMs);
    std::fflush(stdout);
}

QStringList serverArguments(const Options& options, int maxConnections) {
    QStringList args{QStringLiteral("--rate-limit"),
                     QStringLiteral("off"),
                     QStringLiteral("--address-rate-limit"),
                     QStringLiteral("off"),
                     QStringLiteral("--health"),
                     QStringLiteral("off"),
                     QStringLiteral("--log-level"),
                     QStringLiteral("warning"),
                     QStringLiteral("--max-connections"),
                     QString::number(maxConnections)};
    if (!options.database.isEmpty())
        args << QStringLiteral("--database") << options.database;
    return args + options.serverArgs;
}

std::string randomPrefix() {
    std::random_device device;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "l%06x_", device() & 0xffffffU);
    return buffer;
}

// The cinder-server built beside this tool, or $CINDER_SERVER_BINARY: another build of the
// server measured by the same load generator (before/after comparisons).
QString serverBinary() {
    const QString other = qEnvironmentVariable("CINDER_SERVER_BINARY");
    return other.isEmpty() ? QStringLiteral(CINDER_SERVER_BINARY) : other;
}

bool startServer(ServerProcess& server) {
    if (!server.start()) {
        std::printf("cannot start cinder-server: %s\n", qPrintable(server.errorString()));
        return false;
    }
    std::printf("%s pid %lld on port %u (%s), RSS %lld KiB\n", qPrintable(serverBinary()),
                static_cast<long long>(server.processId()), unsigned(server.port()),
                qPrintable(server.databaseUrl().section(QLatin1Char(':'), 0, 0)),
                static_cast<long long>(residentKiB(server.processId())));
    return true;
}

} // namespace

std::string randomPayload(int size) {
    std::string payload(std::max(static_cast<std::size_t>(size), sizeof(Stamp)), '\0');
    std::mt19937_64 generator(std::random_device{}());
    for (char& byte : payload)
        byte = static_cast<char>(generator());
    return payload;
}

std::vector<LoadResult> runLoad(const Options& options, const std::string& payload) {
    std::vector<LoadResult> results;
    const int maxConnections =
        *std::max_element(options.connections.begin(), options.connections.end());
    QElapsedTimer timer;
    timer.start();
    const crypto::ScryptCost cost{static_cast<std::uint32_t>(options.scryptLog2N), 1, 1};
    std::vector<Account> accounts = makeAccounts(maxConnections, 1, randomPrefix(), cost);
    std::printf("generated %d identities in %.1f s\n", maxConnections,
                double(timer.elapsed()) / 1000.0);

    ServerProcess server(serverBinary(), serverArguments(options, maxConnections + 64));
    if (!startServer(server))
        return results;
    timer.restart();
    if (!registerAll(server, accounts)) {
        std::printf("%s\n", qPrintable(server.logText().right(2000)));
        return results;
    }
    std::printf("registered %d users in %.1f s\n", maxConnections,
                double(timer.elapsed()) / 1000.0);

    for (int connections : options.connections) {
        std::vector<Shard::Spec> specs;
        for (int i = 0; i < connections; ++i) {
            Shard::Spec spec;
            spec.identity = &accounts[std::size_t(i)].user->devices[0]->identity;
            spec.target =
                str(accounts[std::size_t((i + 1) % connections)].user->devices[0]->identity.id());
            specs.push_back(std::move(spec));
        }
        Fleet fleet(options, std::min(options.threads, connections));
        const double login = openAll(fleet, specs, server.endpoint(), payload);
        if (login < 0) {
            std::printf("%s\n", qPrintable(server.logText().right(2000)));
            break;
        }
        std::printf("\n%d connections logged in in %.1f s; server RSS %lld KiB\n", connections,
                    login, static_cast<long long>(residentKiB(server.processId())));
        double maximum = 0;
        if (options.throughput || !options.half) {
            LoadResult r = runPhase(fleet, options, server.processId(), Traffic::Throughput, 0);
            r.label = QStringLiteral("throughput");
            r.connections = connections;
            printResult(r);
            maximum = r.rate;
            results.push_back(r);
        }
        const double paced = options.pacedRate > 0 ? options.pacedRate : maximum / 2;
        if (options.half && paced > 0) {
            LoadResult r = runPhase(fleet, options, server.processId(), Traffic::Paced, paced);
            r.label = options.pacedRate > 0 ? QStringLiteral("paced") : QStringLiteral("half-rate");
            r.connections = connections;
            printResult(r);
            results.push_back(r);
        }
        if (fleet.shared.lostConnections || fleet.shared.sendErrors || fleet.shared.ackErrors)
            std::printf("  errors: %d connections lost, %llu send errors, %llu ack errors\n",
                        fleet.shared.lostConnections.load(),
                        static_cast<unsigned long long>(fleet.shared.sendErrors.load()),
                        static_cast<unsigned long long>(fleet.shared.ackErrors.load()));
        if (!server.isRunning()) {
            std::printf("server died:\n%s\n", qPrintable(server.logText().right(3000)));
            break;
        }
    }
    if (options.verbose)
        std::printf("server log tail:\n%s\n", qPrintable(server.logText().right(3000)));
    return results;
}

IdleResult runIdle(const Options& options) {
    IdleResult result;
    result.requested = options.idle;
    const int devices = std::max(1, options.idleDevicesPerUser);
    const int users = (options.idle + devices - 1) / devices;
    QElapsedTimer timer;
    timer.start();
    const crypto::ScryptCost cost{static_cast<std::uint32_t>(options.scryptLog2N), 1, 1};
    std::vector<Account> accounts = makeAccounts(users, devices, randomPrefix(), cost);
    std::printf("\nidle: generated %d users x %d devices in %.1f s\n", users, devices,
                double(timer.elapsed()) / 1000.0);

    ServerProcess server(serverBinary(), serverArguments(options, options.idle + 64));
    if (!startServer(server))
        return result;
    timer.restart();
    if (!registerAll(server, accounts)) {
        std::printf("%s\n", qPrintable(server.logText().right(2000)));
        return result;
    }
    std::printf("idle: registered %d users in %.1f s\n", users, double(timer.elapsed()) / 1000.0);
    spin(1000);
    result.rssBeforeKiB = residentKiB(server.processId());

    std::vector<Shard::Spec> specs;
    for (int i = 0; i < options.idle; ++i) {
        Shard::Spec spec;
        spec.identity =
            &accounts[std::size_t(i / devices)].user->devices[std::size_t(i % devices)]->identity;
        specs.push_back(spec);
    }
    Fleet fleet(options, std::max(1, options.threads));
    const CpuSnapshot before = cpuSnapshot(server.processId());
    result.loginSeconds = openAll(fleet, specs, server.endpoint(), std::string());
    result.connected = fleet.shared.loggedIn - fleet.shared.lostConnections;
    const CpuSnapshot after = cpuSnapshot(server.processId());
    spin(3000); // settle; the connections stay idle
    result.connected = fleet.shared.loggedIn - fleet.shared.lostConnections;
    result.rssAfterKiB = residentKiB(server.processId());
    result.clientRssKiB = residentKiB(0);
    std::printf(
        "idle: %d of %d connections authenticated in %.1f s (cpu: client %.1f s, server "
        "%.1f s); server RSS %lld KiB before, %lld KiB after; client RSS %lld KiB\n",
        result.connected, result.requested, result.loginSeconds, after.client - before.client,
        after.server - before.server, static_cast<long long>(result.rssBeforeKiB),
        static_cast<long long>(result.rssAfterKiB), static_cast<long long>(result.clientRssKiB));
    if (!server.isRunning())
        std::printf("server died:\n%s\n", qPrintable(server.logText().right(3000)));
    else if (options.verbose)
        std::printf("server log tail:\n%s\n", qPrintable(server.logText().right(3000)));
    return result;
}

} // namespace cinder::bench
