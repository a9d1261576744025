// SPDX-License-Identifier: Apache-2.0
// Enrollment (client/Enrollment.h) against a channel double: what a refusing or hostile server
// leaves behind on this device (nothing), and which secrets-derived values it never gets.

#include "ChannelDouble.h"
#include "SessionFixture.h"

#include "client/Enrollment.h"
#include "crypto/RecoveryBundle.h"

#include <QTemporaryDir>
#include <QTest>

using namespace cinder;
using namespace cinder::test;

namespace {

net::ServerEndpoint someServer() {
    net::ServerEndpoint server;
    server.host = QStringLiteral("127.0.0.1");
    server.port = 1;
    server.certificateSha256 = QByteArray(net::ServerEndpoint::kFingerprintSize, 'x');
    return server;
}

} // namespace

class EnrollmentTest : public QObject {
    Q_OBJECT
private slots:
    void usernameTakenLeavesNoAccount() {
        QTemporaryDir home;
        const QString directory = home.filePath(QStringLiteral("alice"));
        ChannelDouble channel;
        channel.script(api::VERB_REGISTER, [](const QByteArray&) {
            return ChannelDouble::status(api::STATUS_CONFLICT);
        });
        auto opened = client::Enrollment::createAccount(
            channel, directory, {"alice", secret(kPassphrase), someServer()}, fastOptions());
        QVERIFY(!opened);
        QCOMPARE(opened.error(), client::SessionError::UsernameTaken);
        QCOMPARE(channel.callsOf(api::VERB_REGISTER), std::size_t{1});
        QVERIFY(!client::AccountDirectory(directory).holdsAccount());
        QVERIFY(!QDir(directory).exists());
    }

    void invalidAccountNeverReachesTheServer() {
        QTemporaryDir home;
        ChannelDouble channel;
        auto opened = client::Enrollment::createAccount(
            channel, home.filePath(QStringLiteral("x")),
            {"No Caps", secret(kPassphrase), someServer()}, fastOptions());
        QVERIFY(!opened);
        QCOMPARE(opened.error(), client::SessionError::InvalidArgument);
        QVERIFY(channel.calls().empty());
    }

    // A hostile server asks for a cheaper passphrase KDF than this client enrolls with, to get
    // a verifier it can brute-force: the client refuses before it computes or sends one.
    void signInRefusesACheapKdf() {
        QTemporaryDir home;
        const QString directory = home.filePath(QStringLiteral("bob"));
        ChannelDouble channel;
        channel.script(api::VERB_RECOVERY_PARAMETERS, [](const QByteArray&) {
            crypto::RecoveryKdfParameters cheap;
            cheap.salt = crypto::Bytes(crypto::kScryptSaltSize, 7);
            cheap.cost = {fastOptions().recoveryCost.log2N, 1, 1};
            api::RecoveryParameters parameters;
            parameters.set_root_id(std::string(crypto::kRootIdSize, 'r'));
            const crypto::Bytes encoded = crypto::encodeRecoveryKdfParameters(cheap);
            parameters.set_kdf_parameters(std::string(encoded.begin(), encoded.end()));
            return ChannelDouble::ok(parameters);
        });
        auto opened = client::Enrollment::signIn(
            channel, directory, {"bob", secret(kPassphrase), someServer()}, fastOptions());
        QVERIFY(!opened);
        QCOMPARE(opened.error(), client::SessionError::ServerMisbehaved);
        QCOMPARE(channel.callsOf(api::VERB_RECOVERY_FETCH), std::size_t{0});
        QVERIFY(!client::AccountDirectory(directory).holdsAccount());
    }

    void unlockWithoutAnAccount() {
        QTemporaryDir home;
        auto opened = client::Enrollment::unlock(home.filePath(QStringLiteral("none")),
                                                 secret(kPassphrase), fastOptions());
        QVERIFY(!opened);
        QCOMPARE(opened.error(), client::SessionError::NoAccount);
    }
};

QTEST_GUILESS_MAIN(EnrollmentTest)
#include "tst_enrollment.moc"
