// SPDX-License-Identifier: Apache-2.0
#include "server/core/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEventLoop, "cinder.server.eventloop", QtInfoMsg)

namespace cinder::server {

namespace {

// Ready descriptors taken from the kernel per turn; more simply wait for the next turn.
constexpr int kMaxReadyPerTurn = 512;

std::uint32_t interestOf(QSocketNotifier* read, QSocketNotifier* write,
                         QSocketNotifier* exception) {
    std::uint32_t events = 0;
    if (read != nullptr)
        events |= EPOLLIN;
    if (write != nullptr)
        events |= EPOLLOUT;
    if (exception != nullptr)
        events |= EPOLLPRI;
    return events;
}

void activate(QSocketNotifier* notifier) {
    QEvent event(QEvent::SockAct);
    QCoreApplication::sendEvent(notifier, &event);
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject* parent) : QAbstractEventDispatcher(parent) {
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_epoll >= 0 && m_wake >= 0) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = m_wake;
        if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &event) != 0) {
            close(m_wake);
            m_wake = -1;
        }
    }
    if (!isValid())
        qCWarning(lcEventLoop) << "epoll is not available, errno" << errno;
}

EpollEventDispatcher::~EpollEventDispatcher() {
    if (m_wake >= 0)
        close(m_wake);
    if (m_epoll >= 0)
        close(m_epoll);
}

std::unique_ptr<EpollEventDispatcher> EpollEventDispatcher::createUnlessDisabled() {
    if (qEnvironmentVariable("CINDER_EVENT_LOOP") == QLatin1String("qt"))
        return nullptr;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (!dispatcher->isValid())
        return nullptr;
    return dispatcher;
}

// --- Socket notifiers --------------------------------------------------------------------

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier) {
    const qintptr socket = notifier->socket();
    if (socket < 0 || socket > INT_MAX)
        return;
    const int fd = static_cast<int>(socket);
    if (static_cast<std::size_t>(fd) >= m_watches.size())
        m_watches.resize(static_cast<std::size_t>(fd) + 1);
    Watch& watch = m_watches[static_cast<std::size_t>(fd)];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    updateInterest(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier) {
    const qintptr socket = notifier->socket();
    if (socket < 0 || static_cast<std::size_t>(socket) >= m_watches.size())
        return;
    const int fd = static_cast<int>(socket);
    Watch& watch = m_watches[static_cast<std::size_t>(fd)];
    if (watch.read == notifier)
        watch.read = nullptr;
    if (watch.write == notifier)
        watch.write = nullptr;
    if (watch.exception == notifier)
        watch.exception = nullptr;
    updateInterest(fd);
}

// A descriptor that was closed has left the kernel's list by itself, and its number may already
// belong to a new socket: ADD and MOD each fall back to the other.
void EpollEventDispatcher::updateInterest(int fd) {
    Watch& watch = m_watches[static_cast<std::size_t>(fd)];
    const std::uint32_t wanted = interestOf(watch.read, watch.write, watch.exception);
    if (wanted == watch.events)
        return;
    if (wanted == 0) {
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr); // ENOENT/EBADF: already gone
        watch.events = 0;
        return;
    }
    epoll_event event{};
    event.events = wanted;
    event.data.fd = fd;
    int result = epoll_ctl(m_epoll, watch.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
    if (result != 0 && (errno == EEXIST || errno == ENOENT))
        result = epoll_ctl(m_epoll, errno == EEXIST ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event);
    if (result != 0) {
        qCWarning(lcEventLoop) << "cannot watch a socket, errno" << errno;
        watch.events = 0;
        return;
    }
    watch.events = wanted;
}

// Handlers may close, open or unregister any socket, so each notifier is looked up again
// right before it is activated. A number reused within one turn can give the new socket a
// spurious activation, which Qt's sockets treat as "nothing to read yet".
bool EpollEventDispatcher::dispatchSockets(const epoll_event* ready, int count) {
    bool any = false;
    const auto notifierOf = [this](int fd, QSocketNotifier* Watch::*kind) -> QSocketNotifier* {
        if (static_cast<std::size_t>(fd) >= m_watches.size())
            return nullptr;
        return m_watches[static_cast<std::size_t>(fd)].*kind;
    };
    for (int i = 0; i < count; ++i) {
        const int fd = ready[i].data.fd;
        const std::uint32_t events = ready[i].events;
        if (fd == m_wake) {
            drainWakeUp();
            any = true;
            continue;
        }
        const bool failed = (events & (EPOLLHUP | EPOLLERR)) != 0;
        bool delivered = false;
        if ((events & EPOLLIN) != 0 || failed) {
            if (QSocketNotifier* read = notifierOf(fd, &Watch::read)) {
                activate(read);
                delivered = true;
            }
        }
        if ((events & EPOLLOUT) != 0 || failed) {
            if (QSocketNotifier* write = notifierOf(fd, &Watch::write)) {
                activate(write);
                delivered = true;
            }
        }
        if ((events & EPOLLPRI) != 0 || (failed && !delivered)) {
            if (QSocketNotifier* exception = notifierOf(fd, &Watch::exception)) {
                activate(exception);
                delivered = true;
            }
        }
        any = any || delivered;
    }
    return any;
}

// --- Timers ------------------------------------------------------------------------------

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject* object) {
    if (timerId <= 0 || interval < 0 || object == nullptr)
        return;
    if (timerType == Qt::VeryCoarseTimer && interval >= 500)
        interval = (interval + 500) / 1000 * 1000; // whole seconds, as Qt rounds them
    auto existing = m_timers.find(timerId);
    if (existing != m_timers.end())
        forgetTimer(timerId, existing->second);
    Timer& timer = m_timers[timerId];
    timer = Timer{};
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.object = object;
    m_timersByObject[object].push_back(timerId);
    schedule(timerId, timer, Clock::now());
}

void EpollEventDispatcher::schedule(int timerId, Timer& timer, Clock::time_point from) {
    const Clock::time_point now = Clock::now();
    Clock::time_point next = from + std::chrono::milliseconds(timer.intervalMs);
    if (next < now)
        next = now + std::chrono::milliseconds(timer.intervalMs); // missed turns are skipped
    timer.deadline = next;
    timer.serial = m_nextSerial++;
    m_due.push(Due{next, timer.serial, timerId});
}

void EpollEventDispatcher::forgetTimer(int timerId, const Timer& timer) {
    auto owned = m_timersByObject.find(timer.object);
    if (owned == m_timersByObject.end())
        return;
    std::vector<int>& ids = owned->second;
    ids.erase(std::remove(ids.begin(), ids.end(), timerId), ids.end());
    if (ids.empty())
        m_timersByObject.erase(owned);
}

bool EpollEventDispatcher::unregisterTimer(int timerId) {
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    forgetTimer(timerId, it->second);
    m_timers.erase(it); // its heap entries are stale from now on
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject* object) {
    auto owned = m_timersByObject.find(object);
    if (owned == m_timersByObject.end())
        return false;
    const std::vector<int> ids = std::move(owned->second);
    m_timersByObject.erase(owned);
    for (int id : ids)
        m_timers.erase(id);
    return true;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject* object) const {
    QList<TimerInfo> list;
    auto owned = m_timersByObject.find(object);
    if (owned == m_timersByObject.end())
        return list;
    for (int id : owned->second) {
        auto it = m_timers.find(id);
        if (it != m_timers.end())
            list.append(
                TimerInfo(id, static_cast<int>(std::min<qint64>(it->second.intervalMs, INT_MAX)),
                          it->second.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId) {
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(it->second.deadline - Clock::now());
    return static_cast<int>(std::clamp<qint64>(left.count(), 0, INT_MAX));
}

int EpollEventDispatcher::msUntilNextTimer() {
    while (!m_due.empty()) {
        const Due& top = m_due.top();
        auto it = m_timers.find(top.timerId);
        if (it != m_timers.end() && it->second.serial == top.serial)
            break;
        m_due.pop(); // unregistered or rescheduled since
    }
    if (m_due.empty())
        return -1;
    const auto left = m_due.top().deadline - Clock::now();
    if (left <= Clock::duration::zero())
        return 0;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return static_cast<int>(std::min<qint64>(ms, INT_MAX));
}

// Fires the timers due now, earliest first. Each is rescheduled before its event is sent, so a
// handler may stop or restart it; one whose event is still running (a nested event loop) skips
// this turn.
bool EpollEventDispatcher::fireTimers() {
    const Clock::time_point now = Clock::now();
    std::vector<Due> expired;
    while (!m_due.empty() && m_due.top().deadline <= now) {
        const Due due = m_due.top();
        m_due.pop();
        auto it = m_timers.find(due.timerId);
        if (it != m_timers.end() && it->second.serial == due.serial)
            expired.push_back(due);
    }
    bool any = false;
    for (const Due& due : expired) {
        auto it = m_timers.find(due.timerId);
        if (it == m_timers.end() || it->second.serial != due.serial)
            continue; // stopped or restarted by an earlier handler this turn
        Timer& timer = it->second;
        if (timer.firing) {
            schedule(due.timerId, timer, now);
            continue;
        }
        schedule(due.timerId, timer, due.deadline);
        timer.firing = true;
        QObject* object = timer.object;
        QTimerEvent event(due.timerId);
        QCoreApplication::sendEvent(object, &event);
        any = true;
        auto after = m_timers.find(due.timerId);
        if (after != m_timers.end() && after->second.object == object)
            after->second.firing = false;
    }
    return any;
}

// --- The loop ----------------------------------------------------------------------------

void EpollEventDispatcher::wakeUp() {
    if (m_wake < 0 || m_wakePending.exchange(true, std::memory_order_acq_rel))
        return; // a wake-up is already on its way
    const std::uint64_t one = 1;
    while (write(m_wake, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void EpollEventDispatcher::drainWakeUp() {
    std::uint64_t count = 0;
    while (read(m_wake, &count, sizeof count) < 0 && errno == EINTR) {
    }
}

void EpollEventDispatcher::interrupt() {
    m_interrupted.store(true, std::memory_order_release);
    wakeUp();
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags) {
    emit awake();
    // Cleared before the posted events are sent: an event posted from here on writes the
    // eventfd again, so the wait below cannot sleep through it.
    m_wakePending.store(false, std::memory_order_release);
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.exchange(false, std::memory_order_acq_rel) || !isValid())
        return false;

    const bool wait = flags.testFlag(QEventLoop::WaitForMoreEvents);
    int timeoutMs = 0;
    if (wait)
        timeoutMs = flags.testFlag(QEventLoop::X11ExcludeTimers) ? -1 : msUntilNextTimer();
    if (timeoutMs != 0)
        emit aboutToBlock();

    bool any = false;
    if (flags.testFlag(QEventLoop::ExcludeSocketNotifiers)) {
        // Sockets stay in the kernel's list (they are level-triggered and would wake us at
        // once), so only the wake-up descriptor is waited for.
        pollfd wake{m_wake, POLLIN, 0};
        const int ready = poll(&wake, 1, timeoutMs);
        if (ready > 0) {
            drainWakeUp();
            any = true;
        }
    } else {
        // On the stack: a handler may run a nested event loop, which waits again.
        std::array<epoll_event, kMaxReadyPerTurn> ready; // filled by the kernel
        const int count = epoll_wait(m_epoll, ready.data(), kMaxReadyPerTurn, timeoutMs);
        if (count < 0 && errno != EINTR)
            qCWarning(lcEventLoop) << "epoll_wait failed, errno" << errno;
        if (count > 0)
            any = dispatchSockets(ready.data(), count);
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        any = fireTimers() || any;
    return any;
}

} // namespace cinder::server
