// SPDX-License-Identifier: Apache-2.0
// Connection (client/Connection.h) over a channel double: calls that need a login never leave
// before one; the login proof is the node key's signature over the server's nonce and name;
// what the server announces at login reaches the after-login step; a server that drops the
// login mid-session takes the session offline.

#include "RoleFixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace cinder;
using namespace cinder::test;

namespace {

const std::string kNonce(32, 'n');
const std::string kServerName = "cinder.test";

// Scripts a server that accepts exactly this device's proof over its nonce and name.
void scriptLogin(ChannelDouble& channel, const crypto::NodeIdentity& node, bool& proofValid,
                 std::uint32_t pending) {
    channel.script(api::VERB_AUTH_CHALLENGE, [](const QByteArray&) {
        api::AuthChallenge challenge;
        challenge.set_nonce(kNonce);
        challenge.set_server_name(kServerName);
        return ChannelDouble::ok(challenge);
    });
    channel.script(api::VERB_AUTH_PROOF, [&node, &proofValid, pending](const QByteArray& body) {
        api::AuthProof proof;
        proofValid = proof.ParseFromArray(body.constData(), static_cast<int>(body.size())) &&
                     crypto::verifyLoginChallenge(node.asVerifiedNode(), crypto::asBytes(kNonce),
                                                  kServerName, crypto::asBytes(proof.signature()));
        if (!proofValid) {
            return ChannelDouble::status(api::STATUS_UNAUTHENTICATED);
        }
        api::AuthResult result;
        result.set_prekeys_remaining(100);
        result.set_pending_deliveries(pending);
        return ChannelDouble::ok(result);
    });
}

} // namespace

class ConnectionTest : public QObject {
    Q_OBJECT
private slots:
    void nothingThatNeedsALoginLeavesBeforeOne() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        const net::Reply reply =
            device->connection().call(api::VERB_GET_PROFILE, api::ProfileRequest());
        QVERIFY(!reply.answered());
        QVERIFY(device->channel().calls().empty());
    }

    void logsInWithTheNodeKey() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        bool proofValid = false;
        scriptLogin(device->channel(), *device->context().node, proofValid, 3);
        std::optional<std::uint32_t> announced;
        device->connection().setAfterLogin([&](const api::AuthResult& login) {
            announced = login.pending_deliveries();
            return client::SessionResult<void>{};
        });
        QSignalSpy online(&device->connection(), &client::Connection::onlineChanged);

        device->connection().goOnline();
        QVERIFY(device->connection().waitUntilOnline(kWaitMs));
        QVERIFY(proofValid);
        QCOMPARE(announced, std::optional<std::uint32_t>{3});
        QCOMPARE(online.count(), 1);
        QCOMPARE(online.front().front().toBool(), true);
    }

    void aRefusedProofLeavesTheSessionOffline() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        // The server checks the proof against another device's key.
        auto root = crypto::RootIdentity::generate();
        auto other = crypto::NodeIdentity::enroll(*root, 1);
        bool proofValid = true;
        scriptLogin(device->channel(), *other, proofValid, 0);

        device->connection().goOnline();
        QVERIFY(waitFor([&] { return device->channel().callsOf(api::VERB_AUTH_PROOF) == 1; }));
        QVERIFY(!proofValid);
        QVERIFY(!device->connection().isLoggedIn());
    }

    void aLostLoginTakesTheSessionOffline() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        bool proofValid = false;
        scriptLogin(device->channel(), *device->context().node, proofValid, 0);
        device->connection().goOnline();
        QVERIFY(device->connection().waitUntilOnline(kWaitMs));
        QSignalSpy online(&device->connection(), &client::Connection::onlineChanged);

        // A server that restarted under the open socket no longer knows this login.
        device->channel().script(api::VERB_GET_PROFILE, [](const QByteArray&) {
            return ChannelDouble::status(api::STATUS_UNAUTHENTICATED);
        });
        const net::Reply reply =
            device->connection().call(api::VERB_GET_PROFILE, api::ProfileRequest());
        QVERIFY(!reply.answered());
        QVERIFY(!device->connection().isLoggedIn());
        QCOMPARE(online.count(), 1);
        QCOMPARE(online.front().front().toBool(), false);
    }
};

QTEST_GUILESS_MAIN(ConnectionTest)
#include "tst_connection.moc"
