// SPDX-License-Identifier: Apache-2.0
// Issue 4: accounts, devices and 1:1 messaging between real sessions over a real server.
#include "SessionFixture.h"

#include "crypto/Hash.h"

#include <QCryptographicHash>
#include <QSignalSpy>

using namespace cinder;
using namespace cinder::test;

namespace {

// SHA-256 over every file of a directory, by relative path.
QMap<QString, QByteArray> snapshot(const QString& directory) {
    QMap<QString, QByteArray> out;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            out.insert(QDir(directory).relativeFilePath(path),
                       QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256));
        }
    }
    return out;
}

} // namespace

class SessionMessagingTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_fixture.start(), "cinder-server did not start"); }

    void twoUsersWithTwoDevicesEach() {
        auto alice1 = m_fixture.create("alice", QStringLiteral("alice-1"));
        auto bob1 = m_fixture.create("bob", QStringLiteral("bob-1"));
        QVERIFY(alice1 && bob1);
        auto alice2 = m_fixture.signIn("alice", QStringLiteral("alice-2"));
        auto bob2 = m_fixture.signIn("bob", QStringLiteral("bob-2"));
        QVERIFY(alice2 && bob2);
        QCOMPARE(alice2->rootId(), alice1->rootId());
        QVERIFY(alice2->nodeId() != alice1->nodeId());

        auto devices = alice1->devices();
        QVERIFY(devices);
        QCOMPARE(devices->size(), std::size_t{2});

        auto conversation = alice1->openDirect("bob");
        QVERIFY(conversation);
        QVERIFY(alice1->sendText(*conversation, "hello bob"));
        QVERIFY(alice1->waitUntilIdle(kWaitMs));

        const QStringList first{QStringLiteral("hello bob")};
        QVERIFY(waitFor([&] {
            return texts(*bob1, *conversation) == first && texts(*bob2, *conversation) == first &&
                   texts(*alice2, *conversation) == first;
        }));
        // On alice's other device the message is hers; on bob's devices it is unread.
        auto onAlice2 = alice2->messagePage(*conversation);
        QVERIFY(onAlice2 && onAlice2->size() == 1);
        QVERIFY(onAlice2->front().outgoing);
        auto onBob1 = bob1->messagePage(*conversation);
        QVERIFY(onBob1 && onBob1->size() == 1);
        QVERIFY(!onBob1->front().outgoing);
        QCOMPARE(onBob1->front().readState, client::ReadState::Unread);

        // bob answers from his second device, replying to alice's message.
        QVERIFY(bob2->sendText(*conversation, "hi alice", onBob1->front().id));
        const QStringList both{QStringLiteral("hello bob"), QStringLiteral("hi alice")};
        QVERIFY(waitFor([&] {
            return texts(*alice1, *conversation) == both && texts(*alice2, *conversation) == both &&
                   texts(*bob1, *conversation) == both && texts(*bob2, *conversation) == both;
        }));
        auto reply = alice1->messagePage(*conversation, std::nullopt, 1);
        QVERIFY(reply && reply->size() == 1);
        QCOMPARE(reply->front().replyTo, std::optional(onBob1->front().id));

        // Read receipt: bob1 reads alice's message; alice sees it as seen, bob2 as read.
        QVERIFY(bob1->markRead(*conversation, {onBob1->front().id}));
        const crypto::MessageId hello = onBob1->front().id;
        QVERIFY(waitFor([&] {
            auto a = storeOf(*alice1).messages().find(hello);
            auto b = storeOf(*bob2).messages().find(hello);
            return a && *a && (*a)->readState == storage::ReadState::Seen && b && *b &&
                   (*b)->readState == storage::ReadState::Read;
        }));

        // Reaction, edit and delete travel to every device.
        QVERIFY(bob1->react(*conversation, hello, "+1"));
        auto edited = alice1->edit(*conversation, hello, "hello bob (edited)");
        QVERIFY(edited);
        QVERIFY(waitFor([&] {
            auto m = storeOf(*bob2).messages().find(hello);
            return m && *m && (*m)->edited;
        }));
        const QStringList afterEdit{QStringLiteral("hello bob (edited)"),
                                    QStringLiteral("hi alice")};
        QCOMPARE(texts(*bob2, *conversation), afterEdit);
        // Only the sender may edit: bob cannot edit alice's message.
        auto refused = bob1->edit(*conversation, hello, "forged");
        QVERIFY(!refused);
        QCOMPARE(refused.error(), client::SessionError::NotTheSender);

        QVERIFY(alice2->deleteForEveryone(*conversation, hello));
        QVERIFY(waitFor([&] {
            auto m = storeOf(*bob1).messages().find(hello);
            auto n = storeOf(*alice1).messages().find(hello);
            return m && *m && (*m)->deleted && n && *n && (*n)->deleted;
        }));
        QVERIFY(waitFor([&] { return alice1->waitUntilIdle(100) && bob1->waitUntilIdle(100); }));
    }

    void newDeviceSeesNoHistory() {
        auto carol = m_fixture.create("carol");
        auto dave1 = m_fixture.create("dave", QStringLiteral("dave-1"));
        QVERIFY(carol && dave1);
        auto conversation = carol->openDirect("dave");
        QVERIFY(conversation);
        QVERIFY(carol->sendText(*conversation, "before the new device"));
        QVERIFY(waitFor([&] { return texts(*dave1, *conversation).size() == 1; }));

        auto dave2 = m_fixture.signIn("dave", QStringLiteral("dave-2"));
        QVERIFY(dave2);
        QVERIFY(carol->refreshContact("dave"));
        QVERIFY(carol->sendText(*conversation, "after the new device"));
        const QStringList both{QStringLiteral("before the new device"),
                               QStringLiteral("after the new device")};
        QVERIFY(waitFor([&] { return texts(*dave1, *conversation) == both; }));
        QVERIFY(waitFor([&] { return !texts(*dave2, *conversation).isEmpty(); }));
        QCOMPARE(texts(*dave2, *conversation), QStringList{QStringLiteral("after the new device")});
    }

    void wrongPassphraseChangesNothing() {
        auto erin = m_fixture.create("erin");
        QVERIFY(erin);
        auto conversation = erin->openDirect("alice");
        QVERIFY(conversation);
        QVERIFY(erin->sendText(*conversation, "kept"));
        QVERIFY(erin->waitUntilIdle(kWaitMs));
        erin->signOut();
        erin.reset();

        const QString directory = m_fixture.directoryFor(QStringLiteral("erin"));
        const auto before = snapshot(directory);
        auto wrong =
            client::Session::unlock(directory, secret("not the passphrase"), fastOptions());
        QVERIFY(!wrong);
        QCOMPARE(wrong.error(), client::SessionError::WrongPassphrase);
        QCOMPARE(snapshot(directory), before);

        auto right = m_fixture.unlock(QStringLiteral("erin"));
        QVERIFY(right);
        QCOMPARE(right->username(), std::string("erin"));
        QCOMPARE(texts(*right, *conversation), QStringList{QStringLiteral("kept")});
    }

    void signInWithWrongPassphraseFails() {
        QTemporaryDir home;
        auto session = client::Session::signIn(
            home.filePath(QStringLiteral("x")),
            {"alice", secret("wrong passphrase"), m_fixture.server().endpoint()}, fastOptions());
        QVERIFY(!session);
        QCOMPARE(session.error(), client::SessionError::WrongPassphrase);
        QVERIFY(!QFile::exists(home.filePath(QStringLiteral("x/vault"))));
    }

    void usernameTaken() {
        QTemporaryDir home;
        auto session = client::Session::createAccount(
            home.filePath(QStringLiteral("y")),
            {"alice", secret(kPassphrase), m_fixture.server().endpoint()}, fastOptions());
        QVERIFY(!session);
        QCOMPARE(session.error(), client::SessionError::UsernameTaken);
    }

    void messagesQueuedOfflineAreSentOnReconnect() {
        auto frank = m_fixture.create("frank");
        auto grace = m_fixture.create("grace");
        QVERIFY(frank && grace);
        auto conversation = frank->openDirect("grace");
        QVERIFY(conversation);
        const auto stateOf = [&](const crypto::MessageId& id) {
            auto message = storeOf(*frank).messages().find(id);
            return message && *message ? (*message)->readState : storage::ReadState::Unread;
        };
        auto online = frank->sendText(*conversation, "online");
        QVERIFY(online);
        QVERIFY(waitFor([&] { return texts(*grace, *conversation).size() == 1; }));
        // The server took it: no longer waiting in the outbox.
        QVERIFY(waitFor([&] { return stateOf(*online) == storage::ReadState::Read; }));

        QCOMPARE(m_fixture.server().terminate(), 0);
        QVERIFY(waitFor([&] { return !frank->isOnline() && !grace->isOnline(); }));
        auto queued = frank->sendText(*conversation, "written while the server was down");
        QVERIFY(queued);
        QCOMPARE(frank->outboxSize().value(), std::size_t{1});
        QCOMPARE(texts(*frank, *conversation).size(), 2);
        QCOMPARE(stateOf(*queued), storage::ReadState::Queued);

        QVERIFY(m_fixture.server().restart());
        QVERIFY(waitFor([&] { return frank->isOnline() && grace->isOnline(); }));
        const QStringList both{QStringLiteral("online"),
                               QStringLiteral("written while the server was down")};
        QVERIFY(waitFor([&] { return texts(*grace, *conversation) == both; }));
        QVERIFY(frank->waitUntilIdle(kWaitMs));
        QCOMPARE(frank->outboxSize().value(), std::size_t{0});
        QCOMPARE(stateOf(*queued), storage::ReadState::Read);
    }

    void duplicateDeliveriesAreDropped() {
        auto heidi = m_fixture.create("heidi");
        auto ivan = m_fixture.create("ivan");
        QVERIFY(heidi && ivan);
        auto conversation = heidi->openDirect("ivan");
        QVERIFY(conversation);
        ivan->goOffline();
        QVERIFY(heidi->sendText(*conversation, "once"));
        QVERIFY(heidi->waitUntilIdle(kWaitMs));
        // The server delivers the same packet twice (a copy of the row under a new id).
        const QString ivanNode = QString::fromStdString(hex(ivan->nodeId()));
        m_fixture.serverSql(
            QStringLiteral("INSERT INTO deliveries (recipient_node_id, sender_root_id, "
                           "sender_node_id, packet, received_at_ms, expires_at_ms) SELECT "
                           "recipient_node_id, sender_root_id, sender_node_id, packet, "
                           "received_at_ms, expires_at_ms FROM deliveries WHERE "
                           "recipient_node_id = X'%1';")
                .arg(ivanNode));
        QCOMPARE(
            m_fixture.serverSql(
                QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE recipient_node_id = X'%1';")
                    .arg(ivanNode)),
            QStringLiteral("2"));
        ivan->goOnline();
        QVERIFY(ivan->waitUntilOnline(kWaitMs));
        QVERIFY(waitFor([&] {
            return m_fixture.serverSql(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE "
                                                      "recipient_node_id = X'%1';")
                                           .arg(ivanNode)) == QStringLiteral("0");
        }));
        QCOMPARE(texts(*ivan, *conversation), QStringList{QStringLiteral("once")});
    }

    void identityChangeBlocksSendingUntilAccepted() {
        auto judy = m_fixture.create("judy");
        auto ken = m_fixture.create("ken");
        QVERIFY(judy && ken);
        auto conversation = judy->openDirect("ken");
        QVERIFY(conversation);
        QVERIFY(judy->sendText(*conversation, "before"));
        QVERIFY(waitFor([&] { return texts(*ken, *conversation).size() == 1; }));

        // ken's root key changes on the server.
        const auto newRootKey = m_fixture.replaceRootKey(ken->rootId());
        QVERIFY(newRootKey);

        auto refreshed = judy->refreshContact("ken");
        QVERIFY(refreshed);
        QVERIFY(refreshed->identityChanged);
        auto blocked = judy->sendText(*conversation, "must not leave");
        QVERIFY(!blocked);
        QCOMPARE(blocked.error(), client::SessionError::IdentityChanged);
        auto info = judy->verification("ken");
        QVERIFY(info && info->identityChanged && !info->verified);
        QCOMPARE(judy->outboxSize().value(), std::size_t{0});
        QCOMPARE(texts(*judy, *conversation), QStringList{QStringLiteral("before")});

        QVERIFY(judy->acceptIdentityChange("ken"));
        auto accepted = storeOf(*judy).contacts().findByUsername("ken");
        QVERIFY(accepted && *accepted);
        QVERIFY(!(*accepted)->identityChanged);
        QCOMPARE((*accepted)->pinnedRootKey, *newRootKey);
        QVERIFY(judy->sendText(*conversation, "after accepting"));
    }

    void prekeyPoolIsRefilledWhenLow() {
        auto lena = m_fixture.create("lena");
        auto mike = m_fixture.create("mike");
        QVERIFY(lena && mike);
        const QString countMike =
            QStringLiteral("SELECT COUNT(*) FROM prekeys WHERE node_id = X'%1';")
                .arg(QString::fromStdString(hex(mike->nodeId())));
        const int uploaded = m_fixture.serverSql(countMike).toInt();
        QCOMPARE(uploaded, 20); // fastOptions().prekeyBatch
        auto conversation = lena->openDirect("mike");
        QVERIFY(conversation);
        // Each message takes one of mike's one-time keys; below the server's threshold (10)
        // mike's device is told and uploads a new batch.
        for (int i = 0; i < 15; ++i) {
            QVERIFY(lena->sendText(*conversation, "message " + std::to_string(i)));
            QVERIFY(lena->waitUntilIdle(kWaitMs));
        }
        QVERIFY(waitFor([&] { return texts(*mike, *conversation).size() == 15; }));
        QVERIFY(waitFor([&] { return m_fixture.serverSql(countMike).toInt() > 10; }));
        QVERIFY(mike->waitUntilIdle(kWaitMs));
        // One batch, however many "low" notices came: 20 + 1 last resort - 15 used + 20.
        auto pool = storeOf(*mike).keys().prekeys();
        QVERIFY(pool);
        QCOMPARE(pool->size(), std::size_t{20 + 1 - 15 + 20});
        // On the server: 20 - 15 used - 1 that lena's device holds ready for the next message.
        QCOMPARE(m_fixture.serverSql(countMike).toInt(), 20 - 15 - 1 + 20);
    }

    void removedDeviceIsCutOff() {
        auto nina1 = m_fixture.create("nina", QStringLiteral("nina-1"));
        auto nina2 = m_fixture.signIn("nina", QStringLiteral("nina-2"));
        auto oscar = m_fixture.create("oscar");
        QVERIFY(nina1 && nina2 && oscar);
        auto devices = nina1->devices();
        QVERIFY(devices && devices->size() == 2);
        QVERIFY(nina1->removeDevice(nina2->nodeId()));
        QCOMPARE(nina1->removeDevice(nina1->nodeId()).error(),
                 client::SessionError::InvalidArgument);
        devices = nina1->devices();
        QVERIFY(devices && devices->size() == 1 && devices->front().thisDevice);
        // The server closes the removed device's connection, and it cannot log in again.
        QVERIFY(waitFor([&] { return !nina2->isOnline(); }));
        QVERIFY(!nina2->waitUntilOnline(1500));

        auto conversation = oscar->openDirect("nina");
        QVERIFY(conversation);
        QVERIFY(oscar->sendText(*conversation, "for the remaining device"));
        QVERIFY(waitFor([&] { return texts(*nina1, *conversation).size() == 1; }));
        QVERIFY(texts(*nina2, *conversation).isEmpty());
    }

    // Issue 14: the ephemerality acknowledgement is the library's rule, not only the app's:
    // a session (the CLI's, a bot's) sends nothing before it.
    void nothingIsSentBeforeThePolicyIsAcknowledged() {
        auto kate = m_fixture.createUnacknowledged("kate");
        auto lee = m_fixture.create("lee");
        QVERIFY(kate && lee);
        QVERIFY(!kate->ephemeralityPolicyAcknowledged());
        auto conversation = kate->openDirect("lee");
        QVERIFY(conversation);

        auto early = kate->sendText(*conversation, "too early");
        QVERIFY2(!early, "sent before the policy was acknowledged");
        QCOMPARE(early.error(), client::SessionError::PolicyNotAcknowledged);
        QTemporaryDir files;
        const QString path = files.filePath(QStringLiteral("note.txt"));
        QFile note(path);
        QVERIFY(note.open(QIODevice::WriteOnly) && note.write("too early") > 0);
        note.close();
        QCOMPARE(kate->sendFile(*conversation, path).error(),
                 client::SessionError::PolicyNotAcknowledged);
        QCOMPARE(*kate->outboxSize(), std::size_t{0});
        QVERIFY(texts(*kate, *conversation).isEmpty());

        QVERIFY(kate->acknowledgeEphemeralityPolicy());
        QVERIFY(kate->ephemeralityPolicyAcknowledged());
        QVERIFY(kate->sendText(*conversation, "now"));
        QVERIFY(waitFor([&] { return texts(*lee, *conversation) == QStringList{"now"}; }));
    }

    void signOutDropsTheKeys() {
        auto paul = m_fixture.create("paul");
        QVERIFY(paul);
        const crypto::RootId id = paul->rootId();
        paul->signOut();
        QVERIFY(paul->signedOut());
        QCOMPARE(paul->rootId(), id);
        QCOMPARE(paul->openDirect("alice").error(), client::SessionError::SignedOut);
        QCOMPARE(paul->contacts().error(), client::SessionError::SignedOut);
        QVERIFY(!paul->isOnline());
        auto again = m_fixture.unlock(QStringLiteral("paul"));
        QVERIFY(again);
        QCOMPARE(again->rootId(), id);
    }

    // A contact's change (here: verified) is announced with the conversations that show the
    // contact and no other: the app's list changes one row (docs/ARCHITECTURE.md, "Events").
    void aContactChangeAnnouncesOnlyItsConversation() {
        auto quinn = m_fixture.create("quinn");
        auto rhea = m_fixture.create("rhea");
        auto saul = m_fixture.create("saul");
        QVERIFY(quinn && rhea && saul);
        auto withRhea = quinn->openDirect("rhea");
        auto withSaul = quinn->openDirect("saul");
        QVERIFY(withRhea && withSaul);
        QVERIFY(quinn->sendText(*withSaul, "hello saul"));
        QVERIFY(quinn->waitUntilIdle(kWaitMs));
        QCoreApplication::processEvents(); // what was announced before the change

        QSignalSpy updated(quinn.get(), &client::Session::conversationUpdated);
        QVERIFY(quinn->markVerified("rhea"));
        QVERIFY(waitFor([&] { return !updated.isEmpty(); }));
        for (const QList<QVariant>& arguments : updated) {
            const auto summary = arguments.at(0).value<client::ConversationSummary>();
            QVERIFY2(summary.id == *withRhea, summary.title.c_str());
            QVERIFY(summary.peerVerified);
        }
    }

private:
    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(SessionMessagingTest)
#include "tst_session_messaging.moc"
