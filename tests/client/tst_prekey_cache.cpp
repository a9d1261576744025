// SPDX-License-Identifier: Apache-2.0
// PrekeyCache (client/PrekeyCache.h) against the real cinder-server, through a channel double
// that plays a hostile server: a prekey not signed by the device it is said to belong to is
// refused and nothing of it is kept.

#include "RoleFixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace cinder;
using namespace cinder::test;

class PrekeyCacheTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(m_fixture.start(), "cinder-server did not start"); }

    void takesOneVerifiedPrekeyPerDevice() {
        auto alice = RoleDevice::registered(m_fixture, "alice");
        auto bob = RoleDevice::registered(m_fixture, "bob");
        QVERIFY(alice && bob);
        const crypto::VerifiedNode* node = contactNode(*alice, *bob, "bob");
        QVERIFY(node != nullptr);

        auto taken = alice->prekeys().take({node});
        QVERIFY(taken);
        QCOMPARE(taken->size(), std::size_t{1});
        QCOMPARE(taken->front().nodeId(), bob->context().nodeId);
        QCOMPARE(alice->channel().callsOf(api::VERB_FETCH_PREKEYS), std::size_t{1});
    }

    void refusesAPrekeySignedByAnotherKey() {
        auto carol = RoleDevice::registered(m_fixture, "carol");
        auto dave = RoleDevice::registered(m_fixture, "dave");
        QVERIFY(carol && dave);
        const crypto::VerifiedNode* node = contactNode(*carol, *dave, "dave");
        QVERIFY(node != nullptr);

        // The server hands out a prekey it made itself, under dave's node id.
        auto root = crypto::RootIdentity::generate();
        auto impostor = crypto::NodeIdentity::enroll(*root, 1);
        crypto::EphemeralKeyPool pool;
        auto forged = pool.generate(*impostor, 1);
        QVERIFY(forged && forged->size() == 1);
        const crypto::Bytes forgedPrekey = forged->front();
        carol->channel().rewrite(api::VERB_FETCH_PREKEYS, [&](const QByteArray&, net::Reply real) {
            api::FetchPrekeysResponse response;
            if (!real.parseBody(response)) {
                return real;
            }
            for (api::FetchedPrekey& fetched : *response.mutable_prekeys()) {
                fetched.set_signed_prekey(crypto::toStdString(forgedPrekey));
            }
            return ChannelDouble::ok(response);
        });

        auto taken = carol->prekeys().take({node});
        QVERIFY(taken);
        QVERIFY(taken->empty());
        QCOMPARE(carol->prekeys().cachedFor(dave->context().nodeId), std::size_t{0});
        carol->prekeys().prefetch();
        QCOMPARE(carol->prekeys().cachedFor(dave->context().nodeId), std::size_t{0});
    }

    // Attack (red on 8e9db5d, before the sender recorded the prekeys it was handed): the
    // server hands the same one-time prekey out twice; the second message to the device would
    // be encrypted to a key whose private half is already gone, or kept by the server's ally.
    void refusesAOneTimePrekeyHandedOutAgain() {
        auto gail = RoleDevice::registered(m_fixture, "gail");
        auto hugo = RoleDevice::registered(m_fixture, "hugo");
        QVERIFY(gail && hugo);
        const crypto::VerifiedNode* node = contactNode(*gail, *hugo, "hugo");
        QVERIFY(node != nullptr);

        std::string first;
        gail->channel().rewrite(api::VERB_FETCH_PREKEYS, [&](const QByteArray&, net::Reply real) {
            api::FetchPrekeysResponse response;
            if (!real.parseBody(response) || response.prekeys_size() != 1) {
                return real;
            }
            if (first.empty()) {
                first = response.prekeys(0).signed_prekey();
            } else {
                response.mutable_prekeys(0)->set_signed_prekey(first);
            }
            return ChannelDouble::ok(response);
        });
        QSignalSpy misbehaved(&gail->prekeys(), &client::PrekeyCache::serverMisbehaved);

        auto once = gail->prekeys().take({node});
        QVERIFY(once);
        QCOMPARE(once->size(), std::size_t{1});
        QVERIFY(misbehaved.isEmpty());
        auto again = gail->prekeys().take({node});
        QVERIFY(again);
        QVERIFY(again->empty());
        QCOMPARE(misbehaved.size(), 1);
        // Remembered on disk: a new session on the same store refuses it too.
        QCOMPARE(
            gail->store().usedPrekeys().recordFirstUse(node->nodeId(), once->front().id()).value(),
            false);
    }

    // The last-resort key is the one prekey that may serve several messages: signed as such,
    // it is taken each time it is handed out.
    void aLastResortKeyMayRepeat() {
        auto ida = RoleDevice::registered(m_fixture, "ida");
        auto jon = RoleDevice::registered(m_fixture, "jon");
        QVERIFY(ida && jon);
        const crypto::VerifiedNode* node = contactNode(*ida, *jon, "jon");
        QVERIFY(node != nullptr);
        crypto::EphemeralKeyPool pool;
        auto lastResort = pool.generateLastResort(*jon->context().node);
        QVERIFY(lastResort);
        const std::string signedLastResort = crypto::toStdString(*lastResort);
        ida->channel().rewrite(api::VERB_FETCH_PREKEYS, [&](const QByteArray&, net::Reply real) {
            api::FetchPrekeysResponse response;
            if (!real.parseBody(response) || response.prekeys_size() != 1) {
                return real;
            }
            response.mutable_prekeys(0)->set_signed_prekey(signedLastResort);
            return ChannelDouble::ok(response);
        });
        for (int i = 0; i < 2; ++i) {
            auto taken = ida->prekeys().take({node});
            QVERIFY(taken);
            QCOMPARE(taken->size(), std::size_t{1});
            QVERIFY(taken->front().lastResort());
        }
    }

    void refillsOnlyWhenTheServerRunsLow() {
        auto erin = RoleDevice::registered(m_fixture, "erin");
        QVERIFY(erin);
        // The login uploaded a full batch: asking again uploads nothing.
        const std::size_t before = erin->prekeys().pool().entries().size();
        QVERIFY(erin->prekeys().refill());
        QCOMPARE(erin->channel().callsOf(api::VERB_UPLOAD_PREKEYS), std::size_t{2});
        QCOMPARE(erin->prekeys().pool().entries().size(), before);
        // Told that none are left, it uploads a batch, kept on disk first.
        QVERIFY(erin->prekeys().refill(0));
        QCOMPARE(erin->prekeys().pool().entries().size(), before + fastOptions().prekeyBatch);
        auto saved = erin->store().keys().loadPrekeyPool();
        QVERIFY(saved);
        QCOMPARE(saved->entries().size(), before + fastOptions().prekeyBatch);
    }

private:
    // The other device as `device` sees it once `username` is its contact: verified against the
    // pinned root key, owned by the directory's cache. Null when any step fails.
    static const crypto::VerifiedNode* contactNode(RoleDevice& device, RoleDevice& other,
                                                   const char* username) {
        if (!device.directory().addContact(username)) {
            return nullptr;
        }
        auto devices = device.directory().devicesOf(other.context().rootId, false);
        return devices ? (*devices)->find(other.context().nodeId) : nullptr;
    }

    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(PrekeyCacheTest)
#include "tst_prekey_cache.moc"
