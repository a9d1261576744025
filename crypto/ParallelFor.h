// SPDX-License-Identifier: Apache-2.0
#pragma once

// Splits independent public-key work (key exchanges, signature checks) over a few threads.
// Threads are started per call: the work items cost ~0.3 ms each, so starting a thread
// (~20 us) pays off from a handful of items, and no pool outlives the call.

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace cinder::crypto {

[[nodiscard]] inline unsigned defaultWorkerThreads() {
    return std::max(1U, std::thread::hardware_concurrency());
}

// Calls body(begin, end) on disjoint ranges covering [0, count); the calling thread takes the
// first range. minPerThread keeps small jobs on one thread.
template <typename Body>
void parallelFor(std::size_t count, std::size_t minPerThread, unsigned maxThreads, Body&& body) {
    const std::size_t threads = std::clamp<std::size_t>(
        count / std::max<std::size_t>(minPerThread, 1), 1, std::max(1U, maxThreads));
    if (threads == 1) {
        body(std::size_t{0}, count);
        return;
    }
    const std::size_t perThread = (count + threads - 1) / threads;
    std::vector<std::thread> helpers;
    helpers.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) {
        const std::size_t begin = t * perThread;
        const std::size_t end = std::min(count, begin + perThread);
        if (begin < end) {
            helpers.emplace_back([&body, begin, end] { body(begin, end); });
        }
    }
    body(std::size_t{0}, std::min(count, perThread));
    for (std::thread& helper : helpers) {
        helper.join();
    }
}

} // namespace cinder::crypto
