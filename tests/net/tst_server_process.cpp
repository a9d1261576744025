// SPDX-License-Identifier: Apache-2.0
// Smoke test of the real cinder-server through ServerProcess: start, PING, kill -9, restart on
// the same port and directory, PING again, then a graceful SIGTERM; and a test process that
// crashes does not leave its server behind.
#include "net/ServerConnection.h"
#include "tests/support/ServerProcess.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <cstdio>
#include <cstdlib>

#include <csignal>
#include <sys/types.h>

using cinder::net::Reply;
using cinder::net::ServerConnection;
using cinder::test::ServerProcess;

namespace {
constexpr int kTimeoutMs = 30000;
// Set in the environment of a copy of this test that starts a server, prints its pid and aborts.
constexpr char kCrashWithServer[] = "CINDER_TEST_CRASH_WITH_SERVER";

int startServerAndCrash() {
    ServerProcess server(QStringLiteral(CINDER_SERVER_BINARY));
    if (!server.start())
        return 2;
    std::printf("pid %lld\n", static_cast<long long>(server.processId()));
    std::fflush(stdout);
    std::abort(); // no destructor runs
}
} // namespace

class TestServerProcess : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pingSurvivesKillAndRestart();
#ifdef Q_OS_LINUX
    void serverDiesWithACrashedTest(); // the parent-death signal is Linux only
#endif

private:
    static Reply ping(ServerProcess& server);
};

Reply TestServerProcess::ping(ServerProcess& server) {
    ServerConnection connection;
    QSignalSpy connected(&connection, &ServerConnection::connected);
    connection.open(server.endpoint());
    connected.wait(kTimeoutMs);
    return connection.requestAndWait(cinder::api::VERB_PING, cinder::api::Empty{}, kTimeoutMs);
}

void TestServerProcess::pingSurvivesKillAndRestart() {
    ServerProcess server(QStringLiteral(CINDER_SERVER_BINARY));
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QVERIFY(server.port() != 0);
    QVERIFY(QFile::exists(server.certificatePath()));
    QCOMPARE(server.endpoint().certificateSha256.size(), 32);

    Reply reply = ping(server);
    QVERIFY2(reply.ok(), qPrintable(reply.error + server.logText().right(2000)));
    QCOMPARE(reply.status, cinder::api::STATUS_OK);

    const quint16 port = server.port();
    server.kill9();
    QVERIFY(!server.isRunning());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QCOMPARE(server.port(), port);
    reply = ping(server);
    QVERIFY2(reply.ok(), qPrintable(reply.error + server.logText().right(2000)));

    QCOMPARE(server.terminate(), 0);
}

#ifdef Q_OS_LINUX
void TestServerProcess::serverDiesWithACrashedTest() {
    QProcess crasher;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QLatin1String(kCrashWithServer), QStringLiteral("1"));
    crasher.setProcessEnvironment(environment);
    crasher.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(crasher.waitForFinished(kTimeoutMs));
    QCOMPARE(crasher.exitStatus(), QProcess::CrashExit);
    const QByteArray output = crasher.readAllStandardOutput();
    const qsizetype at = output.indexOf("pid ");
    QVERIFY2(at >= 0, output.constData());
    const pid_t pid = static_cast<pid_t>(output.mid(at + 4).trimmed().toLongLong());
    QVERIFY(pid > 0);
    // Its server was a child of the crashed process and is killed with it (not a zombie
    // either: init reaps it).
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) != 0, kTimeoutMs);
}
#endif

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kCrashWithServer))
        return startServerAndCrash();
    TestServerProcess test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_server_process.moc"
