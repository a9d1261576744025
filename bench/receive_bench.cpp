// SPDX-License-Identifier: Apache-2.0
// Receive throughput (issue 13, "Performance"): 10,000 one-line messages sent by one account
// through a local cinder-server, received by another account whose session runs on its worker
// thread (app/SessionHost) while a MessageListModel shows the conversation and a
// ConversationListModel the list, as the app has them. The sender writes everything while the
// receiver is offline; the clock runs from the receiver going online until the last message is
// a row of the visible model. Prints messages per second and the GUI thread's time per message
// (every event the GUI thread dispatched in that window, timed in QCoreApplication::notify).
// Asserts nothing. CINDER_RECEIVE_BENCH_COUNT changes the count.
#include "SessionFixture.h"

#include "app/ConversationListModel.h"
#include "app/MessageListModel.h"
#include "app/SessionHost.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QGuiApplication>
#include <QTimer>

#include <chrono>
#include <cstdio>

using namespace cinder;
using namespace cinder::test;

namespace {

// Times what the GUI thread does: every event it dispatches (queued signals, posted jobs'
// results, timers), outermost dispatch only.
class TimedApplication : public QGuiApplication {
public:
    using QGuiApplication::QGuiApplication;

    bool notify(QObject* receiver, QEvent* event) override {
        // Other threads (the session's worker, the network thread) pass through untimed.
        if (QThread::currentThread() != thread()) {
            return QGuiApplication::notify(receiver, event);
        }
        if (m_depth > 0) {
            ++m_depth;
            const bool handled = QGuiApplication::notify(receiver, event);
            --m_depth;
            return handled;
        }
        ++m_depth;
        const auto start = std::chrono::steady_clock::now();
        const bool handled = QGuiApplication::notify(receiver, event);
        m_busy += std::chrono::steady_clock::now() - start;
        --m_depth;
        return handled;
    }

    void resetBusy() { m_busy = {}; }
    [[nodiscard]] double busyMs() const {
        return std::chrono::duration<double, std::milli>(m_busy).count();
    }

private:
    int m_depth = 0; // GUI thread only
    std::chrono::steady_clock::duration m_busy{};
};

// Waits in the event loop (not spinning: the receiver's worker thread needs the other core).
bool spinUntil(const std::function<bool()>& done, int timeoutMs) {
    if (done()) {
        return true;
    }
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done()) {
            loop.quit();
        }
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start(10);
    loop.exec();
    return done();
}

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication application(argc, argv);
    const int count = qEnvironmentVariableIsSet("CINDER_RECEIVE_BENCH_COUNT")
                          ? qEnvironmentVariableIntValue("CINDER_RECEIVE_BENCH_COUNT")
                          : 10'000;

    SessionFixture fixture;
    if (!fixture.start()) {
        std::fprintf(stderr, "cinder-server did not start\n");
        return 1;
    }
    // The receiver: its session on the host's worker thread, as in the app.
    app::SessionHost host;
    bool started = false;
    bool failed = false;
    const QString bobDirectory = fixture.directoryFor(QStringLiteral("bob"));
    const net::ServerEndpoint endpoint = fixture.server().endpoint();
    host.start(
        [bobDirectory, endpoint] {
            return client::Session::createAccount(bobDirectory, {"bob", kPassphrase, endpoint},
                                                  fastOptions());
        },
        [&](std::optional<client::SessionError> error) {
            started = !error;
            failed = error.has_value();
        });
    if (!spinUntil([&] { return started || failed; }, kWaitMs) || failed) {
        std::fprintf(stderr, "receiver not created\n");
        return 1;
    }
    bool online = false;
    QObject::connect(&host, &app::SessionHost::onlineChanged, [&](bool now) { online = now; });
    spinUntil([&] { return online; }, kWaitMs);

    auto alice = fixture.create("alice");
    if (!alice) {
        return 1;
    }
    auto conversation = alice->openDirect("bob");
    if (!conversation || !alice->sendText(*conversation, "first")) {
        return 1;
    }
    app::MessageListModel messages;
    app::ConversationListModel conversations;
    messages.setHost(&host);
    conversations.setHost(&host);
    messages.setConversationId(app::SessionHost::hex(*conversation));
    if (!spinUntil([&] { return messages.rowCount() == 1 && conversations.rowCount() == 1; },
                   kWaitMs)) {
        std::fprintf(stderr, "first message not shown\n");
        return 1;
    }

    // Everything waits on the server while the receiver is offline.
    host.post([](client::Session& session) { session.goOffline(); });
    spinUntil([&] { return !online; }, kWaitMs);
    QElapsedTimer sending;
    sending.start();
    for (int i = 0; i < count; ++i) {
        if (!alice->sendText(*conversation, "line " + std::to_string(i))) {
            return 1;
        }
        if (i % 200 == 199) {
            QCoreApplication::processEvents();
        }
    }
    if (!alice->waitUntilIdle(600'000)) {
        std::fprintf(stderr, "sender did not finish\n");
        return 1;
    }
    alice->goOffline();
    std::printf("sent %d messages in %.1f s (%.0f/s, not the figure measured)\n", count,
                static_cast<double>(sending.elapsed()) / 1000.0,
                count * 1000.0 / static_cast<double>(sending.elapsed()));
    std::fflush(stdout);

    QCoreApplication::processEvents();
    application.resetBusy();
    QElapsedTimer receiving;
    receiving.start();
    host.post([](client::Session& session) { session.goOnline(); });
    const bool all = spinUntil([&] { return messages.rowCount() == count + 1; }, 1'800'000);
    const double elapsedMs = static_cast<double>(receiving.nsecsElapsed()) / 1e6;
    const double guiMs = application.busyMs();
    if (!all) {
        std::fprintf(stderr, "only %d of %d rows after %.0f s\n", messages.rowCount() - 1, count,
                     elapsedMs / 1000.0);
        return 1;
    }
    std::printf("received %d messages into the store and the visible model in %.1f s\n", count,
                elapsedMs / 1000.0);
    std::printf("receive throughput:          %8.1f messages/s\n", count * 1000.0 / elapsedMs);
    std::printf("GUI thread time per message: %8.3f ms (%.0f ms in all)\n", guiMs / count, guiMs);
    host.stop();
    spinUntil([&] { return !host.hasSession(); }, kWaitMs);
    return 0;
}
