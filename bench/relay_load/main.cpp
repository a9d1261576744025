// SPDX-License-Identifier: Apache-2.0
//
// relay_load: a load generator for cinder-server (docs/SERVER.md §10).
// It starts its own cinder-server (SQLite in a temporary directory, or --postgres URL) with rate
// limits off, registers and logs in one device per connection, and PRINTS figures; it asserts
// nothing and is not a test.
//
//   throughput  C connections (default 100 and 1000); each sends 1 KiB opaque packets to the
//               next connection's node with a window of in-flight sends; receivers acknowledge
//               in batches. Relayed messages/s is counted at the receivers (Delivery pushes)
//               during the measuring window; latency is send-to-push (a steady_clock timestamp
//               in the first 8 bytes of the packet; client and server share the machine).
//   half        the same connections at a paced offered rate of half the measured maximum, or
//               at --rate (a fixed rate compares two builds at the same load).
//   idle        N authenticated idle connections; the server's VmRSS before and after.
//
// CPU time of both processes (and of each server thread) is printed per phase, to tell whether
// the client or the server saturates. CINDER_SERVER_BINARY=path measures another build of the
// server with this same load generator.

// This file holds the command line and the summary; the work is in LoadRuns.cpp (the phases),
// ClientFleet.cpp (the client connections), Accounts.cpp and SystemStats.cpp.

#include "LoadRuns.h"
#include "Options.h"
#include "SystemStats.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace cinder::bench;

namespace {

// "host=/tmp/x port=N dbname=cinder user=postgres" (CINDER_TEST_PG style) or a URL.
QString postgresUrl(QString value) {
    value = value.trimmed();
    if (value.isEmpty())
        value = qEnvironmentVariable("CINDER_TEST_PG");
    if (value.startsWith(QStringLiteral("postgres")))
        return value;
    QString port = QStringLiteral("5432");
    QString db = QStringLiteral("cinder");
    QString user = QStringLiteral("postgres");
    QString host = QStringLiteral("127.0.0.1");
    for (const QString& pair : value.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString key = pair.section(QLatin1Char('='), 0, 0);
        const QString val = pair.section(QLatin1Char('='), 1);
        if (key == QLatin1String("port"))
            port = val;
        else if (key == QLatin1String("dbname"))
            db = val;
        else if (key == QLatin1String("user"))
            user = val;
        else if (key == QLatin1String("host") && !val.startsWith(QLatin1Char('/')))
            host = val; // a socket directory becomes loopback TCP
    }
    return QStringLiteral("postgres://%1@%2:%3/%4").arg(user, host, port, db);
}

} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("cinder.net.info=false\n"
                                                    "cinder.net.debug=false\n"
                                                    "qt.network.ssl.warning=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Load generator for cinder-server: relayed messages/s and send-to-push latency over "
        "N connections, latency at half the maximum rate, and server memory with idle "
        "authenticated connections. Prints figures; asserts nothing."));
    parser.addHelpOption();
    const QCommandLineOption modesOption(
        QStringLiteral("modes"),
        QStringLiteral("Comma list of throughput,half,idle (default all)."), QStringLiteral("LIST"),
        QStringLiteral("throughput,half,idle"));
    const QCommandLineOption connectionsOption(
        QStringLiteral("connections"),
        QStringLiteral("Comma list of connection counts (default 100,1000)."),
        QStringLiteral("LIST"), QStringLiteral("100,1000"));
    const QCommandLineOption durationOption(QStringLiteral("duration"),
                                            QStringLiteral("Measured seconds (default 10)."),
                                            QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption warmupOption(QStringLiteral("warmup"),
                                          QStringLiteral("Warm-up seconds (default 2)."),
                                          QStringLiteral("S"), QStringLiteral("2"));
    const QCommandLineOption windowOption(
        QStringLiteral("window"),
        QStringLiteral("Packets per connection sent and not yet received (default 32)."),
        QStringLiteral("N"), QStringLiteral("32"));
    const QCommandLineOption ackBatchOption(
        QStringLiteral("ack-batch"),
        QStringLiteral("Deliveries per acknowledgement (default 128; server pushes at most 256 "
                       "unacknowledged)."),
        QStringLiteral("N"), QStringLiteral("128"));
    const QCommandLineOption ackFlushOption(
        QStringLiteral("ack-flush-ms"),
        QStringLiteral("Acknowledge a partial batch once its oldest delivery is this old "
                       "(default 1000)."),
        QStringLiteral("MS"), QStringLiteral("1000"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Client threads (default 1)."),
                                           QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption rateOption(
        QStringLiteral("rate"),
        QStringLiteral("Offered messages/s of the paced phase (default: half the measured "
                       "maximum). A fixed rate compares builds at the same load; --modes half "
                       "then skips the throughput phase."),
        QStringLiteral("MSG_PER_S"));
    const QCommandLineOption payloadOption(QStringLiteral("payload"),
                                           QStringLiteral("Packet bytes (default 1024)."),
                                           QStringLiteral("BYTES"), QStringLiteral("1024"));
    const QCommandLineOption idleOption(
        QStringLiteral("idle"), QStringLiteral("Idle authenticated connections (default 10000)."),
        QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption idleDevicesOption(
        QStringLiteral("idle-devices-per-user"),
        QStringLiteral("Devices per registered user in the idle run (default 10, at most 64): "
                       "fewer registrations, one login per device all the same."),
        QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption postgresOption(
        QStringLiteral("postgres"),
        QStringLiteral("Use PostgreSQL: postgres://user@host:port/db or a CINDER_TEST_PG style "
                       "conninfo (\"env\" reads CINDER_TEST_PG)."),
        QStringLiteral("URL"));
    const QCommandLineOption serverArgOption(
        QStringLiteral("server-arg"),
        QStringLiteral("Extra cinder-server argument (repeat for each word)."),
        QStringLiteral("ARG"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           QStringLiteral("Print the server's log tail."));
    parser.addOptions({modesOption, connectionsOption, durationOption, warmupOption, windowOption,
                       ackBatchOption, ackFlushOption, threadsOption, rateOption, payloadOption,
                       idleOption, idleDevicesOption, postgresOption, serverArgOption,
                       verboseOption});
    parser.process(app);

    Options options;
    const QStringList modes = parser.value(modesOption).split(QLatin1Char(','));
    options.throughput = modes.contains(QStringLiteral("throughput"));
    options.half = modes.contains(QStringLiteral("half"));
    options.idleMode = modes.contains(QStringLiteral("idle"));
    options.connections.clear();
    for (const QString& value : parser.value(connectionsOption).split(QLatin1Char(',')))
        if (value.toInt() > 1)
            options.connections.push_back(value.toInt());
    options.durationS = parser.value(durationOption).toDouble();
    options.warmupS = parser.value(warmupOption).toDouble();
    options.window = std::max(1, parser.value(windowOption).toInt());
    options.ackBatch = std::max(1, parser.value(ackBatchOption).toInt());
    options.ackFlushMs = std::max(0, parser.value(ackFlushOption).toInt());
    options.threads = std::max(1, parser.value(threadsOption).toInt());
    options.payload = std::max(16, parser.value(payloadOption).toInt());
    options.pacedRate = std::max(0.0, parser.value(rateOption).toDouble());
    options.idle = parser.value(idleOption).toInt();
    options.idleDevicesPerUser = std::clamp(parser.value(idleDevicesOption).toInt(), 1, 64);
    if (parser.isSet(postgresOption)) {
        const QString value = parser.value(postgresOption);
        options.database = postgresUrl(value == QLatin1String("env") ? QString() : value);
    }
    options.serverArgs = parser.values(serverArgOption);
    options.verbose = parser.isSet(verboseOption);

    raiseFileLimit();
    std::printf("load average before start: %s\n",
                qPrintable(readLine(QStringLiteral("/proc/loadavg"))));
    // With autogroups the scheduler shares the CPU between sessions first and applies nice
    // only inside each: a build at nice 19 in another terminal still takes its session's full
    // share, and this generator and its server (one session) get 1/N of the machine.
    if (readLine(QStringLiteral("/proc/sys/kernel/sched_autogroup_enabled")) == QLatin1String("1"))
        std::printf("note: sched_autogroup_enabled=1, other sessions' nice does not yield the CPU "
                    "to this run (%s)\n",
                    qPrintable(readLine(QStringLiteral("/proc/self/autogroup"))));
    std::printf("relay_load: %s, window %d, ack batch %d / %d ms, %d client thread(s), %d-byte "
                "packets, %.0f s + %.0f s warm-up\n",
                options.database.isEmpty() ? "SQLite" : qPrintable(options.database),
                options.window, options.ackBatch, options.ackFlushMs, options.threads,
                options.payload, options.durationS, options.warmupS);
    std::fflush(stdout);

    std::vector<LoadResult> loads;
    if ((options.throughput || options.half) && !options.connections.empty())
        loads = runLoad(options, randomPayload(options.payload));
    IdleResult idle;
    if (options.idleMode && options.idle > 0)
        idle = runIdle(options);

    std::printf("\n=== relay_load summary (%s) ===\n",
                options.database.isEmpty() ? "SQLite" : "PostgreSQL");
    std::printf("%-11s %6s %9s %10s %9s %9s %8s %8s %8s %10s\n", "mode", "conns", "offered",
                "msg/s", "p50 ms", "p99 ms", "cli cpu", "srv cpu", "others", "deliv/msg");
    for (const LoadResult& r : loads)
        std::printf("%-11s %6d %9s %10.0f %9.2f %9.2f %7.0f%% %7.0f%% %7.0f%% %10.3f\n",
                    qPrintable(r.label), r.connections,
                    r.offered > 0 ? qPrintable(QString::number(r.offered, 'f', 0)) : "max", r.rate,
                    r.p50Ms, r.p99Ms, r.cpu.clientPct, r.cpu.serverPct, r.cpu.otherPct,
                    r.deliveriesPerMessage);
    if (idle.requested > 0) {
        const qint64 delta = idle.rssAfterKiB - idle.rssBeforeKiB;
        std::printf("idle        %6d  server RSS %.1f MiB (%.1f MiB before); %.1f KiB per "
                    "connection (delta), %.1f KiB (total/conn)\n",
                    idle.connected, double(idle.rssAfterKiB) / 1024.0,
                    double(idle.rssBeforeKiB) / 1024.0,
                    idle.connected ? double(delta) / idle.connected : 0.0,
                    idle.connected ? double(idle.rssAfterKiB) / idle.connected : 0.0);
    }
    std::fflush(stdout);
    return 0;
}
