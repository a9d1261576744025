// SPDX-License-Identifier: Apache-2.0
#pragma once

// Waiting on the main thread: its event loop keeps running (replies, timers) while it waits.

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace cinder::bench {

inline void spin(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

template <typename Predicate>
bool waitFor(Predicate done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        spin(20);
    }
    return true;
}

} // namespace cinder::bench
