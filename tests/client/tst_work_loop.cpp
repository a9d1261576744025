// SPDX-License-Identifier: Apache-2.0
// WorkLoop (client/WorkLoop.h): background rounds are queued on the thread the loop lives on,
// never run inside the call that asks for one; asking again before a round runs queues no second
// one; a round with work left asks for the next, after what else was queued; rounds never nest;
// nothing runs after sign-out or once the loop is gone. No server, no store.

#include "client/SessionContext.h"
#include "client/WorkLoop.h"

#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

using namespace cinder;

namespace {
// Runs the events queued so far on this thread: returns once one queued after them ran.
bool runQueuedSoFar(QObject* context) {
    bool reached = false;
    QMetaObject::invokeMethod(
        context, [&reached] { reached = true; }, Qt::QueuedConnection);
    return QTest::qWaitFor([&reached] { return reached; });
}
} // namespace

class WorkLoopTest : public QObject {
    Q_OBJECT
private slots:
    void aRoundRunsLaterNeverInsideTheCall() {
        client::SessionContext context;
        client::WorkLoop loop(context);
        int rounds = 0;
        loop.setRound([&] {
            ++rounds;
            return false;
        });
        QVERIFY(loop.idle());
        loop.schedule();
        QCOMPARE(rounds, 0);
        QVERIFY(!loop.idle());
        QTRY_COMPARE(rounds, 1);
        QVERIFY(loop.idle());
    }

    void askingAgainBeforeItRunsQueuesOneRound() {
        client::SessionContext context;
        client::WorkLoop loop(context);
        int rounds = 0;
        loop.setRound([&] {
            ++rounds;
            return false;
        });
        loop.schedule();
        loop.schedule();
        loop.schedule();
        QVERIFY(runQueuedSoFar(this)); // what the three requests queued
        QVERIFY(loop.idle());
        QCOMPARE(rounds, 1);
    }

    void aRoundWithWorkLeftAsksForTheNextAfterOtherQueuedWork() {
        client::SessionContext context;
        client::WorkLoop loop(context);
        std::vector<std::string> log;
        int left = 3;
        loop.setRound([&] {
            log.push_back("round " + std::to_string(4 - left));
            if (left == 3) {
                // Queued while the round runs: it comes before the next round.
                QMetaObject::invokeMethod(
                    this, [&] { log.emplace_back("other work"); }, Qt::QueuedConnection);
            }
            return --left > 0;
        });
        loop.schedule();
        QTRY_COMPARE(log.size(), std::size_t{4});
        QVERIFY(loop.idle());
        const std::vector<std::string> expected{"round 1", "other work", "round 2", "round 3"};
        QCOMPARE(log, expected);
    }

    void workAskedForDuringARoundGetsARoundOfItsOwn() {
        client::SessionContext context;
        client::WorkLoop loop(context);
        int rounds = 0;
        loop.setRound([&] {
            if (++rounds == 1) {
                loop.schedule(); // e.g. a message queued by what the round did
            }
            return false;
        });
        loop.schedule();
        QTRY_COMPARE(rounds, 2);
        QVERIFY(loop.idle());
    }

    void roundsNeverNestAndTheLoopIsBusyDuringOne() {
        client::SessionContext context;
        client::WorkLoop loop(context);
        int depth = 0;
        int deepest = 0;
        int rounds = 0;
        bool idleDuringRound = true;
        loop.setRound([&] {
            ++rounds;
            deepest = std::max(deepest, ++depth);
            idleDuringRound = loop.idle();
            if (rounds == 1) {
                // A round that lets queued events run while it waits: the round asked for
                // here must not start inside this one.
                loop.schedule();
                QCoreApplication::processEvents();
            }
            --depth;
            return false;
        });
        loop.schedule();
        QTRY_VERIFY(rounds >= 1 && loop.idle());
        QCOMPARE(deepest, 1);
        QVERIFY(!idleDuringRound);
    }

    void nothingRunsWithoutARound() {
        client::SessionContext context;
        client::WorkLoop loop(context);
        loop.schedule();
        QVERIFY(!loop.idle());
        QTRY_VERIFY(loop.idle());

        int rounds = 0;
        loop.setRound([&] {
            ++rounds;
            return false;
        });
        loop.schedule();
        QTRY_COMPARE(rounds, 1);
    }

    void nothingRunsAfterSignOut() {
        client::SessionContext context;
        client::WorkLoop loop(context);
        int rounds = 0;
        bool signOutDuringRound = false;
        loop.setRound([&] {
            ++rounds;
            context.signedOut = signOutDuringRound;
            return true; // work left
        });

        // A round asked for before the sign-out does not run after it.
        loop.schedule();
        context.signedOut = true;
        QTRY_VERIFY(loop.idle());
        QCOMPARE(rounds, 0);
        // Asking after it queues nothing.
        loop.schedule();
        QVERIFY(loop.idle());

        // Signed out while a round with work left runs: no next round.
        context.signedOut = false;
        signOutDuringRound = true;
        loop.schedule();
        QTRY_VERIFY(context.signedOut);
        QVERIFY(runQueuedSoFar(this));
        QVERIFY(loop.idle());
        QCOMPARE(rounds, 1);
    }

    void aLoopDestroyedWithARoundQueuedRunsNothing() {
        client::SessionContext context;
        auto loop = std::make_unique<client::WorkLoop>(context);
        int rounds = 0;
        loop->setRound([&] {
            ++rounds;
            return false;
        });
        loop->schedule();
        bool later = false; // queued after the round: once it ran, the round would have
        QMetaObject::invokeMethod(
            this, [&] { later = true; }, Qt::QueuedConnection);
        loop.reset();
        QTRY_VERIFY(later);
        QCOMPARE(rounds, 0);
    }

    // The session lives on a thread of its own in the app (SessionHost): its rounds run there,
    // not on the thread that made the loop.
    void roundsRunOnTheThreadTheLoopLivesOn() {
        client::SessionContext context;
        QThread sessionThread;
        auto loop = std::make_unique<client::WorkLoop>(context);
        std::atomic<QThread*> ranOn{nullptr};
        std::atomic<int> rounds{0};
        loop->setRound([&] {
            ranOn = QThread::currentThread();
            ++rounds;
            return false;
        });
        loop->moveToThread(&sessionThread);
        sessionThread.start();
        client::WorkLoop* onThread = loop.get();
        QMetaObject::invokeMethod(onThread, [onThread] { onThread->schedule(); });
        QTRY_COMPARE(rounds.load(), 1);
        QCOMPARE(ranOn.load(), &sessionThread);
        QVERIFY(ranOn.load() != QThread::currentThread());
        sessionThread.quit();
        QVERIFY(sessionThread.wait());
        loop.reset();
    }
};

QTEST_GUILESS_MAIN(WorkLoopTest)
#include "tst_work_loop.moc"
