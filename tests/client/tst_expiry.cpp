// SPDX-License-Identifier: Apache-2.0
// Expiry (client/Expiry.h): the default timers kept in the store (only valid ones, by the one
// rule of crypto/EphemeralityRule.h), and messages that arrive already expired. A local store, no
// server.

#include "RoleFixture.h"

#include <QTest>

using namespace cinder;
using namespace cinder::test;

class ExpiryTest : public QObject {
    Q_OBJECT
private slots:
    void defaultTimersAreKept() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        client::Expiry& expiry = device->expiry();
        QCOMPARE(expiry.defaultTimers().ttlSeconds, fastOptions().defaultTtlSeconds);

        const crypto::Ephemerality timers{3600, true, 60};
        QVERIFY(expiry.setDefaultTimers(timers));
        QCOMPARE(expiry.defaultTimers().ttlSeconds, 3600U);
        QVERIFY(expiry.defaultTimers().burnOnRead);
        QCOMPARE(expiry.defaultTimers().burnSeconds, 60U);

        auto refused = expiry.setDefaultTimers({60, true, 120});
        QVERIFY(!refused);
        QCOMPARE(refused.error(), client::SessionError::InvalidArgument);
        QCOMPARE(expiry.defaultTimers().ttlSeconds, 3600U);
    }

    void timersOfAnUnknownConversation() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        auto result =
            device->expiry().setConversationTimers(crypto::ConversationId{}, {60, false, 0});
        QVERIFY(!result);
        QCOMPARE(result.error(), client::SessionError::UnknownConversation);
    }

    void expiredOnArrival() {
        crypto::MessageMetadata meta;
        meta.sentAtMs = 1000;
        meta.ephemerality = {1, false, 0};
        QVERIFY(client::Expiry::expiredOnArrival(meta, 2000));
        QVERIFY(!client::Expiry::expiredOnArrival(meta, 1999));
        // A sender clock in the future counts from arrival, so it cannot extend the life.
        meta.sentAtMs = 50'000;
        QCOMPARE(client::Expiry::sentAt(meta, 2000), std::int64_t{2000});
        QVERIFY(!client::Expiry::expiredOnArrival(meta, 2000));
    }
};

QTEST_GUILESS_MAIN(ExpiryTest)
#include "tst_expiry.moc"
