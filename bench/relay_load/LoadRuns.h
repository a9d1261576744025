// SPDX-License-Identifier: Apache-2.0
#pragma once

// The measured runs, each against a cinder-server of its own: throughput and paced load over
// C connections, and N idle connections. Both print as they go and return figures for the
// summary.

#include "Options.h"
#include "SystemStats.h"

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace cinder::bench {

struct LoadResult {
    QString label;
    int connections = 0;
    double offered = 0; // messages/s offered (paced), 0 = as fast as the window allows
    double rate = 0;    // deliveries/s at receivers
    double p50Ms = 0, p99Ms = 0, maxMs = 0;
    double sendRate = 0; // acknowledged sends/s
    double ackRequestsPerS = 0;
    // Delivery pushes received per send the server accepted, over the phase and its drain:
    // 1 when every message reaches its receiver once, above 1 when the server sends one again.
    double deliveriesPerMessage = 0;
    std::uint64_t skipped = 0;
    double tickLateP99Ms = -1, tickLateMaxMs = -1; // paced mode only
    CpuUse cpu;
};

struct IdleResult {
    int requested = 0;
    int connected = 0;
    qint64 rssBeforeKiB = 0;
    qint64 rssAfterKiB = 0;
    qint64 clientRssKiB = 0;
    double loginSeconds = 0;
};

std::string randomPayload(int size);

std::vector<LoadResult> runLoad(const Options& options, const std::string& payload);

IdleResult runIdle(const Options& options);

} // namespace cinder::bench
