// SPDX-License-Identifier: Apache-2.0
//
// /proc parsing for relay_load's CPU and memory figures, and raising RLIMIT_NOFILE.

#include "SystemStats.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <utility>
#include <vector>

namespace cinder::bench {

namespace {

double cpuSecondsOf(const QString& statPath) {
    QFile file(statPath);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = file.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    // Fields after the command: state(3) ... utime(14) stime(15).
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
}

// Whole machine, from /proc/stat: busy and iowait seconds summed over all cores.
std::pair<double, double> machineSeconds() {
    const QList<QByteArray> fields =
        readLine(QStringLiteral("/proc/stat")).toUtf8().split('\n').first().simplified().split(' ');
    if (fields.size() < 8)
        return {0, 0};
    double busy = 0;
    for (int i = 1; i < fields.size() && i <= 8; ++i) {
        if (i != 4 && i != 5) // idle, iowait
            busy += fields.at(i).toDouble();
    }
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return {busy / ticks, fields.at(5).toDouble() / ticks};
}

} // namespace

QString readLine(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

CpuSnapshot cpuSnapshot(qint64 serverPid) {
    CpuSnapshot snapshot;
    std::tie(snapshot.machineBusy, snapshot.machineIowait) = machineSeconds();
    snapshot.client = cpuSecondsOf(QStringLiteral("/proc/self/stat"));
    if (serverPid <= 0)
        return snapshot;
    const QString base = QStringLiteral("/proc/%1").arg(serverPid);
    snapshot.server = cpuSecondsOf(base + QStringLiteral("/stat"));
    const QDir tasks(base + QStringLiteral("/task"));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString comm = readLine(tasks.filePath(tid + QStringLiteral("/comm")));
        snapshot.serverThreads[tid + QLatin1Char(' ') + comm] =
            cpuSecondsOf(tasks.filePath(tid + QStringLiteral("/stat")));
    }
    return snapshot;
}

CpuUse cpuUse(const CpuSnapshot& before, const CpuSnapshot& after, double seconds) {
    CpuUse use;
    use.clientPct = 100.0 * (after.client - before.client) / seconds;
    use.serverPct = 100.0 * (after.server - before.server) / seconds;
    use.otherPct = std::max(0.0, 100.0 * (after.machineBusy - before.machineBusy) / seconds -
                                     use.clientPct - use.serverPct);
    use.iowaitPct = 100.0 * (after.machineIowait - before.machineIowait) / seconds;
    std::vector<std::pair<double, QString>> threads;
    for (const auto& [name, value] : after.serverThreads) {
        const auto it = before.serverThreads.find(name);
        const double delta = value - (it == before.serverThreads.end() ? 0 : it->second);
        if (delta > 0)
            threads.emplace_back(100.0 * delta / seconds, name.section(QLatin1Char(' '), 1));
    }
    std::sort(threads.rbegin(), threads.rend());
    for (std::size_t i = 0; i < threads.size() && i < 4; ++i) {
        if (threads[i].first < 1)
            break;
        use.threads += QStringLiteral("%1%2 %3%")
                           .arg(i ? QStringLiteral(", ") : QString(), threads[i].second,
                                QString::number(threads[i].first, 'f', 0));
    }
    return use;
}

qint64 residentKiB(qint64 pid) {
    QFile file(pid > 0 ? QStringLiteral("/proc/%1/status").arg(pid)
                       : QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

void raiseFileLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    std::printf("RLIMIT_NOFILE: soft %llu -> %llu (hard %llu); the server inherits it\n",
                static_cast<unsigned long long>(before),
                static_cast<unsigned long long>(limit.rlim_cur),
                static_cast<unsigned long long>(limit.rlim_max));
}

} // namespace cinder::bench
