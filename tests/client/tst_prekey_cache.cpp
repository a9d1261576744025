// SPDX-License-Identifier: Apache-2.0
// PrekeyCache (client/PrekeyCache.h) against the real cinder-server, through a channel double
// that plays a hostile server: a prekey not signed by the device it is said to belong to is
// refused and nothing of it is kept.

#include "RoleFixture.h"

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
        QVERIFY(alice->directory().addContact("bob"));
        auto devices = alice->directory().devicesOf(bob->context().rootId, false);
        QVERIFY(devices);
        const crypto::VerifiedNode* node = (*devices)->find(bob->context().nodeId);
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
        QVERIFY(carol->directory().addContact("dave"));
        auto devices = carol->directory().devicesOf(dave->context().rootId, false);
        QVERIFY(devices);
        const crypto::VerifiedNode* node = (*devices)->find(dave->context().nodeId);
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
    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(PrekeyCacheTest)
#include "tst_prekey_cache.moc"
