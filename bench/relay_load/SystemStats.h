// SPDX-License-Identifier: Apache-2.0
#pragma once

// Readings of the machine and of the two processes (Linux /proc, getrlimit): CPU time per
// process and per server thread, resident memory, and the open-file limit.

#include <QString>

#include <map>

namespace cinder::bench {

QString readLine(const QString& path);

struct CpuSnapshot {
    double machineBusy = 0;
    double machineIowait = 0;
    double client = 0;
    double server = 0;
    std::map<QString, double> serverThreads; // "tid comm" -> seconds
};

CpuSnapshot cpuSnapshot(qint64 serverPid);

struct CpuUse {
    double clientPct = 0; // of one core
    double serverPct = 0;
    double otherPct = 0; // the rest of the machine (other users' work)
    double iowaitPct = 0;
    QString threads; // busiest server threads
};

CpuUse cpuUse(const CpuSnapshot& before, const CpuSnapshot& after, double seconds);

qint64 residentKiB(qint64 pid);

void raiseFileLimit();

} // namespace cinder::bench
