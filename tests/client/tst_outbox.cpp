// SPDX-License-Identifier: Apache-2.0
// Outbox (client/Outbox.h) against the real cinder-server: written offline, sent on the next
// login; a send the server keeps refusing is retried and then shown as not sent; nothing is
// queued for a contact whose identity is in doubt.

#include "RoleFixture.h"

#include <QTest>

using namespace cinder;
using namespace cinder::test;

class OutboxTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(m_fixture.start(), "cinder-server did not start"); }

    void queuedOfflineAndSentOnLogin() {
        auto alice = RoleDevice::registered(m_fixture, "alice");
        auto bob = RoleDevice::registered(m_fixture, "bob");
        QVERIFY(alice && bob);
        auto conversation = alice->conversations().openDirect("bob");
        QVERIFY(conversation);

        alice->connection().goOffline();
        auto id = alice->conversations().sendText(*conversation, "written offline", std::nullopt);
        QVERIFY(id);
        QCOMPARE(*alice->outbox().size(), std::size_t{1});
        QCOMPARE((*alice->store().messages().find(*id))->readState, storage::ReadState::Queued);
        alice->outbox().pump();
        QCOMPARE(alice->channel().callsOf(api::VERB_SEND), std::size_t{0});
        QCOMPARE(*alice->outbox().size(), std::size_t{1});

        alice->connection().goOnline();
        QVERIFY(alice->connection().waitUntilOnline(kWaitMs));
        alice->outbox().pump();
        QCOMPARE(alice->channel().callsOf(api::VERB_SEND), std::size_t{1});
        QCOMPARE(*alice->outbox().size(), std::size_t{0});
        QCOMPARE((*alice->store().messages().find(*id))->readState, storage::ReadState::Read);
    }

    void refusedSendsEndAsNotSent() {
        auto carol = RoleDevice::registered(m_fixture, "carol");
        auto dave = RoleDevice::registered(m_fixture, "dave");
        QVERIFY(carol && dave);
        auto conversation = carol->conversations().openDirect("dave");
        QVERIFY(conversation);
        carol->channel().script(api::VERB_SEND, [](const QByteArray&) {
            return ChannelDouble::status(api::STATUS_INTERNAL);
        });
        auto id = carol->conversations().sendText(*conversation, "refused", std::nullopt);
        QVERIFY(id);
        for (int round = 0; round < 10 && *carol->outbox().size() > 0; ++round) {
            carol->outbox().pump();
        }
        QCOMPARE(carol->channel().callsOf(api::VERB_SEND), std::size_t{5});
        QCOMPARE(*carol->outbox().size(), std::size_t{0});
        QCOMPARE((*carol->store().messages().find(*id))->readState, storage::ReadState::Failed);
    }

    void nothingQueuedForAChangedIdentity() {
        auto erin = RoleDevice::registered(m_fixture, "erin");
        auto frank = RoleDevice::registered(m_fixture, "frank");
        QVERIFY(erin && frank);
        auto conversation = erin->conversations().openDirect("frank");
        QVERIFY(conversation);
        const crypto::Bytes otherKey = crypto::KeyPair::generate()->publicKey().bytes();
        QVERIFY(erin->store().contacts().flagIdentityChange(frank->context().rootId, otherKey));

        auto id = erin->conversations().sendText(*conversation, "held", std::nullopt);
        QVERIFY(!id);
        QCOMPARE(id.error(), client::SessionError::IdentityChanged);
        QCOMPARE(*erin->outbox().size(), std::size_t{0});
        QVERIFY(erin->store().messages().page(*conversation, std::nullopt, 10)->empty());
    }

private:
    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(OutboxTest)
#include "tst_outbox.moc"
