// SPDX-License-Identifier: Apache-2.0
#pragma once

// relay_load's settings: filled in from the command line by main(), read by every phase.

#include <QString>
#include <QStringList>

#include <vector>

namespace cinder::bench {

struct Options {
    std::vector<int> connections{100, 1000};
    double durationS = 10;
    double warmupS = 2;
    int window = 32;       // in-flight sends per connection (throughput mode)
    int ackBatch = 128;    // acknowledge once this many deliveries are pending...
    int ackFlushMs = 1000; // ...or the oldest pending one is this old
    int threads = 1;       // client worker threads
    int payload = 1024;
    int idle = 10000;
    int idleDevicesPerUser = 10;
    double pacedRate = 0; // > 0: the paced phase offers this rate instead of half the maximum
    bool throughput = true;
    bool half = true;
    bool idleMode = true;
    QString database; // empty: SQLite in the server's temporary directory
    QStringList serverArgs;
    int scryptLog2N = 10;
    bool verbose = false;
};

} // namespace cinder::bench
