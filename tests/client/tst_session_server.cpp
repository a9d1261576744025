// SPDX-License-Identifier: Apache-2.0
// Issue 14: the client checks, on every connection, that the server is the one the account
// enrolled with. A second real cinder-server on loopback, holding a copy of the first one's
// database (so it knows the account, as an impostor that copied it or forwards to it would),
// is swapped in under the account: once with a certificate of its own, once with the real
// certificate and key but another server name (one relaying the real server's login
// challenges would show the real name, so the name is what binds the login proof to it).

#include "SessionFixture.h"

#include "client/AccountDirectory.h"

using namespace cinder;
using namespace cinder::test;

class SessionServerTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_homes.isValid());
        QVERIFY2(m_real.start(), qPrintable(m_real.errorString()));
        auto alice = client::Session::createAccount(
            home(), {"alice", secret(kPassphrase), m_real.endpoint()}, fastOptions());
        QVERIFY(alice);
        (*alice)->goOnline();
        QVERIFY((*alice)->waitUntilOnline(kWaitMs));
        QVERIFY((*alice)->waitUntilIdle(kWaitMs));
    }

    // The real server again (restarted, same certificate and name): the account logs in.
    void theEnrolledServerIsAccepted() {
        m_real.terminate();
        QVERIFY2(m_real.restart(), qPrintable(m_real.errorString()));
        auto alice = unlocked();
        QVERIFY(alice);
        alice->goOnline();
        QVERIFY(alice->waitUntilOnline(kWaitMs));
    }

    void aServerWithAnotherCertificateIsRefused() {
        m_real.terminate();
        ServerProcess impostor(QStringLiteral(CINDER_SERVER_BINARY),
                               {QStringLiteral("--database"), m_real.databaseUrl(),
                                QStringLiteral("--server-name"), QStringLiteral("impostor.test")});
        QVERIFY2(impostor.start(), qPrintable(impostor.errorString()));
        // Whoever can write the account directory's server.ini (or talks the user into a new
        // address and fingerprint) points the account at the impostor.
        QVERIFY(client::AccountDirectory(home()).saveServer(impostor.endpoint()));
        auto alice = unlocked();
        QVERIFY(alice);
        alice->goOnline();
        expectRefused(*alice, impostor.endpoint());
        impostor.terminate();
    }

    void aServerWithAnotherNameIsRefused() {
        m_real.terminate();
        ServerProcess impostor(QStringLiteral(CINDER_SERVER_BINARY),
                               {QStringLiteral("--database"), m_real.databaseUrl(),
                                QStringLiteral("--cert"), m_real.certificatePath(),
                                QStringLiteral("--key"), m_real.keyPath(),
                                QStringLiteral("--server-name"), QStringLiteral("impostor.test")});
        QVERIFY2(impostor.start(), qPrintable(impostor.errorString()));
        net::ServerEndpoint swapped = m_real.endpoint();
        swapped.port = impostor.port();
        QVERIFY(client::AccountDirectory(home()).saveServer(swapped));
        auto alice = unlocked();
        QVERIFY(alice);
        alice->goOnline();
        expectRefused(*alice, swapped);
        impostor.terminate();
    }

private:
    // Refused with the typed error, whose text names no key or fingerprint; never logged in.
    static void expectRefused(client::Session& alice, const net::ServerEndpoint& swapped) {
        bool everOnline = false;
        QObject::connect(&alice, &client::Session::onlineChanged, &alice,
                         [&](bool online) { everOnline = everOnline || online; });
        QVERIFY(waitFor([&] { return alice.serverRefusal().has_value() || alice.isOnline(); }));
        QVERIFY2(!alice.isOnline() && !everOnline, "logged in to another server");
        QCOMPARE(*alice.serverRefusal(), client::SessionError::WrongServer);
        const QString text =
            QString::fromLatin1(client::describe(client::SessionError::WrongServer).data());
        QVERIFY(!text.contains(QString::fromLatin1(swapped.certificateSha256.toHex())));
        QVERIFY(!text.contains(net::ServerEndpoint::formatFingerprint(swapped.certificateSha256)));
    }

    QString home() const { return m_homes.filePath(QStringLiteral("alice")); }

    // alice's account as this device holds it (its server.ini as the test left it).
    std::unique_ptr<client::Session> unlocked() {
        auto session = client::Session::unlock(home(), secret(kPassphrase), fastOptions());
        return session ? std::move(session).value() : nullptr;
    }

    QTemporaryDir m_homes;
    ServerProcess m_real{QStringLiteral(CINDER_SERVER_BINARY)};
};

QTEST_GUILESS_MAIN(SessionServerTest)
#include "tst_session_server.moc"
