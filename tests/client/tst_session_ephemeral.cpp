// SPDX-License-Identifier: Apache-2.0
// Issue 4: the sender's timers enforced by the receiver (ttl and burn-on-read delete rows and
// files, no plaintext on disk at any time), and forward secrecy end to end.
#include "SessionFixture.h"

#include "crypto/DeviceList.h"
#include "crypto/NodeIdentity.h"
#include "crypto/PacketDecoder.h"
#include "storage/KeyVault.h"

#include <QDirIterator>
#include <QSignalSpy>

using namespace cinder;
using namespace cinder::test;

namespace {

bool copyDirectory(const QString& from, const QString& to) {
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = QDir(to).filePath(QDir(from).relativeFilePath(path));
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(path, target)) {
            return false;
        }
    }
    return true;
}

QByteArray fromHex(const QString& text) {
    return QByteArray::fromHex(text.toLatin1());
}

// What an attacker holding every file of a device and its passphrase can do with a captured
// packet: open the vault and the store, load the device's keys and try to decrypt.
crypto::Result<crypto::DecodedMessage, crypto::DecodeError>
decryptWithStolenDevice(const QString& directory, const crypto::RootId& senderRoot,
                        const crypto::NodeId& senderNode, const QByteArray& packet) {
    auto vault = storage::KeyVault::unlock(directory, crypto::asBytes(kPassphrase));
    if (!vault) {
        qFatal("stolen vault does not open");
    }
    auto store = storage::Store::open(directory, vault->klds);
    auto identity = (*store)->keys().identity().value().value();
    auto rootKey = crypto::PublicKey::fromBytes(identity.rootPublicKey).value();
    auto nodeKey =
        crypto::KeyPair::fromPrivate(identity.nodePrivateKey.view(), identity.nodePublicKey)
            .value();
    auto self = crypto::NodeIdentity::restore(std::move(nodeKey), identity.nodeCertificate,
                                              {identity.rootId, rootKey})
                    .value();
    auto pool = (*store)->keys().loadPrekeyPool().value();
    auto sender = (*store)->contacts().find(senderRoot).value().value();
    auto senderKey = crypto::PublicKey::fromBytes(sender.pinnedRootKey).value();
    auto list =
        crypto::VerifiedDeviceList::verify({senderRoot, senderKey}, sender.deviceList, 0).value();
    const crypto::VerifiedNode* node = list.find(senderNode);
    if (node == nullptr) {
        qFatal("sender device not in the stolen store");
    }
    crypto::ReplayGuard freshGuard; // the attacker keeps no replay state
    crypto::PacketDecoder decoder(self, pool, freshGuard);
    return decoder.decode(
        crypto::ByteView(reinterpret_cast<const std::uint8_t*>(packet.constData()),
                         static_cast<std::size_t>(packet.size())),
        *node);
}

} // namespace

class SessionEphemeralTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_fixture.start(), "cinder-server did not start"); }

    void expiredMessagesAndFilesAreDeletedEverywhere() {
        auto alice = m_fixture.create("alice");
        auto bob = m_fixture.create("bob");
        QVERIFY(alice && bob);
        auto conversation = alice->openDirect("bob");
        QVERIFY(conversation);
        // Only alice sets a short timer; bob's device enforces her timer, not its own default.
        QVERIFY(alice->setConversationTimers(*conversation, {3, false, 0}));

        const QByteArray textMarker = "ttl-text-marker-5a1f";
        const QByteArray fileMarker = "ttl-file-marker-9c3e";
        QTemporaryDir scratch;
        const QString filePath = scratch.filePath(QStringLiteral("notes.txt"));
        {
            QFile file(filePath);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(fileMarker.repeated(1000));
        }
        auto text = alice->sendText(*conversation, textMarker.toStdString());
        auto fileMessage = alice->sendFile(*conversation, filePath);
        QVERIFY(text && fileMessage);
        QVERIFY(waitFor([&] {
            auto m = storeOf(*bob).messages().find(*fileMessage);
            return m && *m;
        }));
        auto received = storeOf(*bob).messages().find(*text);
        QVERIFY(received && *received);
        QCOMPARE((*received)->ephemerality.ttlSeconds, 3U);
        auto attachments = storeOf(*bob).attachments().ofMessage(*fileMessage);
        QVERIFY(attachments && attachments->size() == 1);
        QVERIFY(bob->downloadAttachment(attachments->front().id));

        // While the messages exist, no file of either device holds their plaintext.
        const QString aliceDir = m_fixture.directoryFor(QStringLiteral("alice"));
        const QString bobDir = m_fixture.directoryFor(QStringLiteral("bob"));
        for (const QByteArray& marker : {textMarker, fileMarker}) {
            QCOMPARE(filesContaining(aliceDir, marker), QStringList{});
            QCOMPARE(filesContaining(bobDir, marker), QStringList{});
        }
        QVERIFY(!QDir(bobDir + QStringLiteral("/attachments")).isEmpty(QDir::Files));

        // Expiry: rows and attachment files go on both sides, by the stores' own timers.
        QVERIFY(waitFor([&] {
            auto a = storeOf(*alice).messages().find(*text);
            auto b = storeOf(*bob).messages().find(*text);
            auto af = storeOf(*alice).messages().find(*fileMessage);
            auto bf = storeOf(*bob).messages().find(*fileMessage);
            return a && !*a && b && !*b && af && !*af && bf && !*bf;
        }));
        QVERIFY(QDir(bobDir + QStringLiteral("/attachments")).isEmpty(QDir::Files));
        QVERIFY(QDir(aliceDir + QStringLiteral("/attachments")).isEmpty(QDir::Files));
        QVERIFY(texts(*bob, *conversation).isEmpty());
        QVERIFY(storeOf(*alice).checkpoint());
        QVERIFY(storeOf(*bob).checkpoint());
        for (const QByteArray& marker : {textMarker, fileMarker}) {
            QCOMPARE(filesContaining(aliceDir, marker), QStringList{});
            QCOMPARE(filesContaining(bobDir, marker), QStringList{});
        }
    }

    void burnOnReadStartsWhenShown() {
        auto carol = m_fixture.create("carol");
        auto dave = m_fixture.create("dave");
        QVERIFY(carol && dave);
        auto conversation = carol->openDirect("dave");
        QVERIFY(conversation);
        QVERIFY(carol->setConversationTimers(*conversation, {3600, true, 1}));
        auto burning = carol->sendText(*conversation, "read me once");
        QVERIFY(burning);
        QVERIFY(waitFor([&] { return texts(*dave, *conversation).size() == 1; }));
        auto before = storeOf(*dave).messages().find(*burning);
        QVERIFY(before && *before && (*before)->ephemerality.burnOnRead);
        QVERIFY(!(*before)->burnDeadlineMs); // not shown yet: no burn timer running

        QVERIFY(dave->markRead(*conversation, {*burning}));
        auto shown = storeOf(*dave).messages().find(*burning);
        QVERIFY(shown && *shown && (*shown)->burnDeadlineMs);
        QVERIFY(waitFor([&] {
            auto m = storeOf(*dave).messages().find(*burning);
            return m && !*m;
        }));
        QVERIFY(texts(*dave, *conversation).isEmpty());
    }

    void capturedPacketStaysUnreadableAfterTheDeviceIsStolen() {
        auto erin = m_fixture.create("erin");
        auto frank = m_fixture.create("frank");
        QVERIFY(erin && frank);
        auto conversation = erin->openDirect("frank");
        QVERIFY(conversation);
        QVERIFY(erin->sendText(*conversation, "warm up"));
        QVERIFY(waitFor([&] { return texts(*frank, *conversation).size() == 1; }));
        QVERIFY(frank->waitUntilIdle(kWaitMs));
        const crypto::NodeId frankNode = frank->nodeId();
        frank->signOut();
        frank.reset();

        // 1. The attacker records the packet on its way (here: from the server's database).
        QVERIFY(erin->sendText(*conversation, "forward secret"));
        QVERIFY(erin->waitUntilIdle(kWaitMs));
        const QStringList row =
            m_fixture
                .serverSql(QStringLiteral("SELECT hex(packet) || '|' || hex(sender_node_id) FROM "
                                          "deliveries WHERE recipient_node_id = X'%1';")
                               .arg(QString::fromStdString(hex(frankNode))))
                .split(QLatin1Char('|'));
        QCOMPARE(row.size(), 2);
        const QByteArray packet = fromHex(row[0]);
        const auto senderNode = crypto::fixedFromBytes<crypto::kNodeIdSize>(
            crypto::asBytes(fromHex(row[1]).toStdString()));
        QVERIFY(!packet.isEmpty() && senderNode);

        // Control: with the device as it was before reading, the capture does decrypt (so the
        // check below can fail).
        const QString frankDir = m_fixture.directoryFor(QStringLiteral("frank"));
        QTemporaryDir before;
        QVERIFY(copyDirectory(frankDir, before.path()));
        {
            auto opened =
                decryptWithStolenDevice(before.path(), erin->rootId(), *senderNode, packet);
            QVERIFY(opened);
            QVERIFY(QByteArray(reinterpret_cast<const char*>(opened->content.data()),
                               static_cast<qsizetype>(opened->content.size()))
                        .contains("forward secret"));
        }

        // 2. frank reads the message.
        frank = m_fixture.unlock(QStringLiteral("frank"));
        QVERIFY(frank);
        frank = SessionFixture::online(std::move(frank));
        QVERIFY(frank);
        QVERIFY(waitFor([&] { return texts(*frank, *conversation).size() == 2; }));
        QVERIFY(frank->waitUntilIdle(kWaitMs));
        frank->signOut();
        frank.reset();

        // 3. Then every file of frank's device and his passphrase are taken: the capture stays
        //    unreadable, because the one-time key that opened it is gone.
        QTemporaryDir after;
        QVERIFY(copyDirectory(frankDir, after.path()));
        auto stolen = decryptWithStolenDevice(after.path(), erin->rootId(), *senderNode, packet);
        QVERIFY(!stolen);
        QCOMPARE(stolen.error(), crypto::DecodeError::UnknownPrekey);
    }

    // Expired messages change the conversations they were in and no other: only those are
    // announced (docs/ARCHITECTURE.md, "Events").
    void expiryAnnouncesOnlyTheConversationsItChanged() {
        auto tess = m_fixture.create("tess");
        auto uri = m_fixture.create("uri");
        auto vera = m_fixture.create("vera");
        QVERIFY(tess && uri && vera);
        auto shortLived = tess->openDirect("uri");
        auto kept = tess->openDirect("vera");
        QVERIFY(shortLived && kept);
        QVERIFY(tess->setConversationTimers(*shortLived, {2, false, 0}));
        QVERIFY(tess->sendText(*shortLived, "gone soon"));
        QVERIFY(tess->sendText(*kept, "stays"));
        QVERIFY(tess->waitUntilIdle(kWaitMs));
        QCoreApplication::processEvents(); // what was announced before the expiry

        QSignalSpy removed(tess.get(), &client::Session::messagesRemoved);
        QSignalSpy updated(tess.get(), &client::Session::conversationUpdated);
        QVERIFY(waitFor([&] { return !removed.isEmpty(); }));
        QVERIFY(waitFor([&] { return !updated.isEmpty(); }));
        for (const QList<QVariant>& arguments : updated) {
            const auto summary = arguments.at(0).value<client::ConversationSummary>();
            QVERIFY2(summary.id == *shortLived, summary.title.c_str());
            QVERIFY(!summary.lastMessage); // its only message is gone
        }
        QCOMPARE(texts(*tess, *kept), QStringList{QStringLiteral("stays")});
    }

private:
    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(SessionEphemeralTest)
#include "tst_session_ephemeral.moc"
