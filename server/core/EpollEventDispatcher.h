// SPDX-License-Identifier: Apache-2.0
#pragma once

// An event dispatcher for the server's network thread built on Linux epoll.
//
// Qt's own dispatchers (GLib, or poll() with QT_NO_GLIB) hand the kernel the whole list of
// sockets on every turn of the event loop and walk it again afterwards. With a thousand
// connections that list walk was about a fifth of the network thread's time, and it grows with
// every idle connection. epoll keeps the interest list in the kernel: a turn costs what is ready,
// not what is open. Timers live in a min-heap by deadline for the same reason (every connection
// has its own).
//
// It implements the whole QAbstractEventDispatcher contract: socket notifiers (read, write,
// exception), timers of all three types (coarse timers fire on time; very coarse ones are
// rounded to whole seconds, as Qt does), posted events, wakeUp() from any thread through an
// eventfd, and interrupt(). A timer does not fire again while its own timerEvent is still running
// (a nested event loop inside a handler). Installed with QCoreApplication::setEventDispatcher()
// before the application object exists, or QThread::setEventDispatcher() before start().

#include <QAbstractEventDispatcher>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <queue>
#include <unordered_map>
#include <vector>

class QSocketNotifier;
struct epoll_event;

namespace cinder::server {

class EpollEventDispatcher final : public QAbstractEventDispatcher {
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject* parent = nullptr);
    ~EpollEventDispatcher() override;

    // The dispatcher to install, or nullptr to keep Qt's own: when CINDER_EVENT_LOOP=qt asks
    // for it (to compare the two), or when the kernel refuses epoll.
    [[nodiscard]] static std::unique_ptr<EpollEventDispatcher> createUnlessDisabled();

    // False when the kernel refused an epoll or eventfd descriptor; the dispatcher then cannot
    // wait for anything and must not be installed.
    [[nodiscard]] bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    [[nodiscard]] QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;

    struct Watch {
        QSocketNotifier* read = nullptr;
        QSocketNotifier* write = nullptr;
        QSocketNotifier* exception = nullptr;
        std::uint32_t events = 0; // what the kernel's interest list holds for this descriptor
    };
    struct Timer {
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject* object = nullptr;
        Clock::time_point deadline;
        std::uint64_t serial = 0; // heap entries with another serial are stale
        bool firing = false;      // its timerEvent is running now
    };
    struct Due {
        Clock::time_point deadline;
        std::uint64_t serial;
        int timerId;
        bool operator>(const Due& other) const { return deadline > other.deadline; }
    };

    void updateInterest(int fd);
    void schedule(int timerId, Timer& timer, Clock::time_point from);
    // Milliseconds until the earliest timer (rounded up), -1 when there is none.
    int msUntilNextTimer();
    bool dispatchSockets(const ::epoll_event* ready, int count);
    bool fireTimers();
    void drainWakeUp();
    void forgetTimer(int timerId, const Timer& timer);

    int m_epoll = -1;
    int m_wake = -1; // eventfd: wakeUp() from any thread
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_interrupted{false};
    std::vector<Watch> m_watches; // indexed by file descriptor
    std::unordered_map<int, Timer> m_timers;
    std::unordered_map<QObject*, std::vector<int>> m_timersByObject;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_due;
    std::uint64_t m_nextSerial = 1;
};

} // namespace cinder::server
