// SPDX-License-Identifier: Apache-2.0
// Smoke test of the real cinder-server through ServerProcess: start, PING, kill -9, restart on
// the same port and directory, PING again, then a graceful SIGTERM.
#include "net/ServerConnection.h"
#include "tests/support/ServerProcess.h"

#include <QSignalSpy>
#include <QTest>

using cinder::net::Reply;
using cinder::net::ServerConnection;
using cinder::test::ServerProcess;

namespace {
constexpr int kTimeoutMs = 30000;
}

class TestServerProcess : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pingSurvivesKillAndRestart();

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

QTEST_GUILESS_MAIN(TestServerProcess)
#include "tst_server_process.moc"
