// SPDX-License-Identifier: Apache-2.0
// EpollEventDispatcher, the network thread's event loop: installed as this process's main-thread
// dispatcher (as cinder-server does), then timers, socket notifiers on real socket pairs and TCP
// connections, wake-ups from other threads, nested loops and a worker thread. The whole
// transport suite also runs on it (tst_server_transport_epoll), and so does every test that
// starts the cinder-server binary.

#include "server/core/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

using cinder::server::EpollEventDispatcher;

namespace {

constexpr int kTimeoutMs = 10'000;

// A connected pair of local stream sockets, closed on destruction (unless taken).
struct SocketPair {
    int fds[2] = {-1, -1};
    SocketPair() { socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds); }
    ~SocketPair() {
        for (int fd : fds) {
            if (fd >= 0)
                close(fd);
        }
    }
    void closeSide(int side) {
        close(fds[side]);
        fds[side] = -1;
    }
};

class TimerCounter : public QObject {
public:
    std::vector<int> fired;
    std::function<void(int)> onFire;

protected:
    void timerEvent(QTimerEvent* event) override {
        fired.push_back(event->timerId());
        if (onFire)
            onFire(event->timerId());
    }
};

} // namespace

class TestEpollEventDispatcher : public QObject {
    Q_OBJECT

private slots:
    void installedForTheMainThread() {
        auto* dispatcher = qobject_cast<EpollEventDispatcher*>(
            QAbstractEventDispatcher::instance(QCoreApplication::instance()->thread()));
        QVERIFY(dispatcher != nullptr);
        QVERIFY(dispatcher->isValid());
    }

    void singleShotAndRepeatingTimersFire() {
        int once = 0;
        int repeats = 0;
        QTimer::singleShot(5, this, [&] { ++once; });
        QTimer repeating;
        repeating.setInterval(2);
        connect(&repeating, &QTimer::timeout, this, [&] { ++repeats; });
        repeating.start();
        QTRY_VERIFY_WITH_TIMEOUT(repeats >= 5 && once == 1, kTimeoutMs);
        repeating.stop();
        const int stoppedAt = repeats;
        QTest::qWait(30);
        QCOMPARE(repeats, stoppedAt);
        QCOMPARE(once, 1);
    }

    void timersFireInDeadlineOrder() {
        std::vector<int> order;
        QTimer::singleShot(40, this, [&] { order.push_back(40); });
        QTimer::singleShot(10, this, [&] { order.push_back(10); });
        QTimer::singleShot(25, this, [&] { order.push_back(25); });
        QTimer::singleShot(0, this, [&] { order.push_back(0); });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), std::size_t{4}, kTimeoutMs);
        QCOMPARE(order, (std::vector<int>{0, 10, 25, 40}));
    }

    void timerDoesNotFireBeforeItsInterval() {
        QElapsedTimer clock;
        clock.start();
        qint64 firedAfter = -1;
        QTimer::singleShot(50, Qt::PreciseTimer, this, [&] { firedAfter = clock.elapsed(); });
        QTRY_VERIFY_WITH_TIMEOUT(firedAfter >= 0, kTimeoutMs);
        QVERIFY2(firedAfter >= 50, qPrintable(QString::number(firedAfter)));
    }

    void remainingTimeAndRegisteredTimers() {
        auto* dispatcher = QAbstractEventDispatcher::instance();
        TimerCounter counter;
        const int id = counter.startTimer(10'000);
        const int coarse = counter.startTimer(2'400, Qt::VeryCoarseTimer);
        QVERIFY(id > 0 && coarse > 0);
        const int left = dispatcher->remainingTime(id);
        QVERIFY2(left > 9'000 && left <= 10'000, qPrintable(QString::number(left)));
        const auto timers = dispatcher->registeredTimers(&counter);
        QCOMPARE(timers.size(), 2);
        for (const auto& info : timers) {
            if (info.timerId == coarse) {
                QCOMPARE(info.interval, 2'000); // whole seconds, as Qt rounds them
                QCOMPARE(info.timerType, Qt::VeryCoarseTimer);
            } else {
                QCOMPARE(info.timerId, id);
                QCOMPARE(info.interval, 10'000);
            }
        }
        counter.killTimer(id);
        QCOMPARE(dispatcher->remainingTime(id), -1);
        QCOMPARE(dispatcher->registeredTimers(&counter).size(), 1);
        QVERIFY(dispatcher->unregisterTimers(&counter));
        QVERIFY(dispatcher->registeredTimers(&counter).isEmpty());
        QVERIFY(!dispatcher->unregisterTimers(&counter));
    }

    void deletedObjectLosesItsTimers() {
        auto* dispatcher = QAbstractEventDispatcher::instance();
        int fired = 0;
        auto* owner = new QObject;
        auto* timer = new QTimer(owner);
        timer->setInterval(1);
        connect(timer, &QTimer::timeout, this, [&] { ++fired; });
        timer->start();
        const int id = timer->timerId();
        QTRY_VERIFY_WITH_TIMEOUT(fired > 0, kTimeoutMs);
        delete owner;
        QCOMPARE(dispatcher->remainingTime(id), -1);
        const int before = fired;
        QTest::qWait(20);
        QCOMPARE(fired, before);
    }

    // Two timers come due in the same turn; whichever fires first stops the other, which then
    // must not fire: due timers are looked up again before each one is sent.
    void handlerCanStopAnotherTimerDueInTheSameTurn() {
        TimerCounter counter;
        int ids[2] = {0, 0};
        counter.onFire = [&](int id) {
            const int other = id == ids[0] ? ids[1] : ids[0];
            if (other != 0) {
                counter.killTimer(other);
                (id == ids[0] ? ids[1] : ids[0]) = 0;
            }
        };
        ids[0] = counter.startTimer(5, Qt::PreciseTimer);
        ids[1] = counter.startTimer(5, Qt::PreciseTimer);
        const int first = ids[0];
        const int second = ids[1];
        QThread::msleep(20); // both are due when the loop next looks
        QTRY_VERIFY_WITH_TIMEOUT(counter.fired.size() >= 3, kTimeoutMs);
        const int survivor = counter.fired.front();
        const int stopped = survivor == first ? second : first;
        QCOMPARE(std::count(counter.fired.begin(), counter.fired.end(), stopped), 0);
        QCOMPARE(std::count(counter.fired.begin(), counter.fired.end(), survivor),
                 static_cast<std::ptrdiff_t>(counter.fired.size()));
        counter.killTimer(survivor);
    }

    void timerDoesNotReenterFromANestedLoop() {
        TimerCounter counter;
        int depth = 0;
        int maxDepth = 0;
        int calls = 0;
        counter.onFire = [&](int) {
            ++calls;
            ++depth;
            maxDepth = std::max(maxDepth, depth);
            if (calls == 1) {
                QEventLoop nested;
                QTimer::singleShot(40, &nested, &QEventLoop::quit);
                nested.exec(); // the 2 ms timer comes due many times in here
            }
            --depth;
        };
        const int id = counter.startTimer(2, Qt::PreciseTimer);
        QTRY_VERIFY_WITH_TIMEOUT(calls >= 3, kTimeoutMs);
        counter.killTimer(id);
        QCOMPARE(maxDepth, 1);
    }

    void readAndWriteNotifiersFollowTheSocket() {
        SocketPair pair;
        QVERIFY(pair.fds[0] >= 0);
        QSocketNotifier readable(pair.fds[0], QSocketNotifier::Read);
        int reads = 0;
        QByteArray received;
        connect(&readable, &QSocketNotifier::activated, this, [&] {
            ++reads;
            char buffer[64];
            const ssize_t n = ::read(pair.fds[0], buffer, sizeof buffer);
            if (n > 0)
                received.append(buffer, n);
        });
        QTest::qWait(20);
        QCOMPARE(reads, 0); // nothing to read: never activated

        QCOMPARE(::write(pair.fds[1], "hello", 5), ssize_t{5});
        QTRY_COMPARE_WITH_TIMEOUT(received, QByteArray("hello"), kTimeoutMs);

        readable.setEnabled(false);
        QCOMPARE(::write(pair.fds[1], "again", 5), ssize_t{5});
        QTest::qWait(20);
        QCOMPARE(received, QByteArray("hello")); // disabled: not activated
        readable.setEnabled(true);
        QTRY_COMPARE_WITH_TIMEOUT(received, QByteArray("helloagain"), kTimeoutMs);

        QSocketNotifier writable(pair.fds[1], QSocketNotifier::Write);
        int writes = 0;
        connect(&writable, &QSocketNotifier::activated, this, [&] {
            ++writes;
            writable.setEnabled(false);
        });
        QTRY_COMPARE_WITH_TIMEOUT(writes, 1, kTimeoutMs);

        // The peer hangs up: the read notifier hears of it (and reads end of file).
        const int before = reads;
        pair.closeSide(1);
        QTRY_VERIFY_WITH_TIMEOUT(reads > before, kTimeoutMs);
    }

    // One handler closes the other socket of the same turn and a new socket takes its number;
    // the old event must not reach a deleted notifier.
    void notifierRemovedByAnotherHandlerInTheSameTurn() {
        auto first = std::make_unique<SocketPair>();
        auto second = std::make_unique<SocketPair>();
        auto firstNotifier =
            std::make_unique<QSocketNotifier>(first->fds[0], QSocketNotifier::Read);
        auto secondNotifier =
            std::make_unique<QSocketNotifier>(second->fds[0], QSocketNotifier::Read);
        int handled = 0;
        std::unique_ptr<SocketPair> reused;
        std::unique_ptr<QSocketNotifier> reusedNotifier;
        int reusedReads = 0;
        const auto closeTheOther = [&](std::unique_ptr<QSocketNotifier>& other,
                                       std::unique_ptr<SocketPair>& otherPair) {
            ++handled;
            if (!other)
                return;
            other.reset();
            otherPair.reset();
            reused = std::make_unique<SocketPair>(); // likely takes the closed numbers
            reusedNotifier =
                std::make_unique<QSocketNotifier>(reused->fds[0], QSocketNotifier::Read);
            connect(reusedNotifier.get(), &QSocketNotifier::activated, this, [&] {
                char buffer[16];
                if (::read(reused->fds[0], buffer, sizeof buffer) > 0)
                    ++reusedReads;
            });
        };
        connect(firstNotifier.get(), &QSocketNotifier::activated, this, [&] {
            char buffer[16];
            static_cast<void>(::read(first->fds[0], buffer, sizeof buffer));
            closeTheOther(secondNotifier, second);
        });
        connect(secondNotifier.get(), &QSocketNotifier::activated, this, [&] {
            char buffer[16];
            static_cast<void>(::read(second->fds[0], buffer, sizeof buffer));
            closeTheOther(firstNotifier, first);
        });
        QCOMPARE(::write(first->fds[1], "x", 1), ssize_t{1});
        QCOMPARE(::write(second->fds[1], "y", 1), ssize_t{1});
        QTRY_VERIFY_WITH_TIMEOUT(handled >= 1 && reused, kTimeoutMs);
        QTest::qWait(20);
        QCOMPARE(handled, 1);
        QCOMPARE(::write(reused->fds[1], "z", 1), ssize_t{1});
        QTRY_COMPARE_WITH_TIMEOUT(reusedReads, 1, kTimeoutMs); // the reused number works
    }

    // A handler that runs a nested event loop: the inner turns wait and dispatch again while
    // the outer turn is still walking its ready list.
    void nestedLoopInsideASocketHandler() {
        SocketPair outer;
        SocketPair inner;
        QSocketNotifier outerReadable(outer.fds[0], QSocketNotifier::Read);
        QSocketNotifier innerReadable(inner.fds[0], QSocketNotifier::Read);
        int outerReads = 0;
        int innerReads = 0;
        connect(&innerReadable, &QSocketNotifier::activated, this, [&] {
            char buffer[16];
            if (::read(inner.fds[0], buffer, sizeof buffer) > 0)
                ++innerReads;
        });
        connect(&outerReadable, &QSocketNotifier::activated, this, [&] {
            char buffer[16];
            if (::read(outer.fds[0], buffer, sizeof buffer) <= 0)
                return;
            ++outerReads;
            QEventLoop nested;
            QTimer::singleShot(10, this,
                               [&] { QCOMPARE(::write(inner.fds[1], "i", 1), ssize_t{1}); });
            QTimer::singleShot(40, &nested, &QEventLoop::quit);
            nested.exec();
        });
        QCOMPARE(::write(outer.fds[1], "o", 1), ssize_t{1});
        QTRY_COMPARE_WITH_TIMEOUT(innerReads, 1, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(outerReads, 1, kTimeoutMs);
        QCOMPARE(::write(outer.fds[1], "p", 1), ssize_t{1});
        QTRY_COMPARE_WITH_TIMEOUT(outerReads, 2, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(innerReads, 2, kTimeoutMs);
    }

    void postedEventsFromOtherThreadsWakeTheLoop() {
        constexpr int kPosters = 4;
        constexpr int kEach = 2'000;
        int received = 0;
        std::vector<std::thread> posters;
        for (int i = 0; i < kPosters; ++i) {
            posters.emplace_back([this, &received] {
                for (int j = 0; j < kEach; ++j)
                    QMetaObject::invokeMethod(
                        this, [&received] { ++received; }, Qt::QueuedConnection);
            });
        }
        for (std::thread& poster : posters)
            poster.join();
        QTRY_COMPARE_WITH_TIMEOUT(received, kPosters * kEach, kTimeoutMs);

        // A single event posted while the loop sleeps with no timer due wakes it.
        QEventLoop loop;
        std::thread late([&loop] {
            QThread::msleep(20);
            QMetaObject::invokeMethod(
                &loop, [&loop] { loop.exit(7); }, Qt::QueuedConnection);
        });
        QCOMPARE(loop.exec(), 7);
        late.join();
    }

    void tcpEchoOfOneMebibyte() {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QPointer<QTcpSocket> accepted;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            accepted = server.nextPendingConnection();
            connect(accepted.data(), &QTcpSocket::readyRead, accepted.data(),
                    [&] { accepted->write(accepted->readAll()); });
        });
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(client.waitForConnected(kTimeoutMs) ||
                client.state() == QTcpSocket::ConnectedState);
        QByteArray payload(1024 * 1024, '\0');
        for (int i = 0; i < payload.size(); ++i)
            payload[i] = static_cast<char>(i * 7 + i / 251);
        QByteArray echoed;
        connect(&client, &QTcpSocket::readyRead, this, [&] { echoed += client.readAll(); });
        client.write(payload);
        QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), payload.size(), kTimeoutMs);
        QVERIFY(echoed == payload);
        QSignalSpy closed(&client, &QTcpSocket::disconnected);
        accepted->disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, kTimeoutMs);
    }

    void workerThreadRunsAndQuits() {
        QThread worker;
        worker.setEventDispatcher(new EpollEventDispatcher);
        worker.start();
        std::atomic<int> ticks{0};
        std::atomic<bool> onWorker{false};
        auto* context = new QObject;
        context->moveToThread(&worker);
        QMetaObject::invokeMethod(context, [&, context] {
            onWorker = qobject_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance()) !=
                       nullptr;
            auto* timer = new QTimer(context);
            timer->setInterval(1);
            QObject::connect(timer, &QTimer::timeout, context, [&] { ++ticks; });
            timer->start();
        });
        QTRY_VERIFY_WITH_TIMEOUT(ticks.load() >= 10, kTimeoutMs);
        QVERIFY(onWorker.load());
        QMetaObject::invokeMethod(
            context, [context] { delete context; }, Qt::BlockingQueuedConnection);
        worker.quit(); // interrupt() from this thread
        QVERIFY(worker.wait(kTimeoutMs));
    }
};

int main(int argc, char** argv) {
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epoll_event_dispatcher.moc"
