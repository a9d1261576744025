// SPDX-License-Identifier: Apache-2.0
// FileTransfer (client/FileTransfer.h) against a channel double playing a hostile server: a
// blob announced larger than its signed description allows is refused before any chunk is
// fetched. Real uploads and downloads are covered by tst_session_files.

#include "RoleFixture.h"

#include <QTest>

using namespace cinder;
using namespace cinder::test;

class FileTransferTest : public QObject {
    Q_OBJECT
private slots:
    void unknownAttachment() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        auto result = device->files().download(4242);
        QVERIFY(!result);
        QCOMPARE(result.error(), client::SessionError::UnknownMessage);
        QVERIFY(device->channel().calls().empty());
    }

    void refusesAnOversizedBlob() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        storage::Store& store = device->store();

        storage::ConversationRecord conversation;
        conversation.id = crypto::randomId<crypto::ConversationId>(crypto::systemRandom());
        conversation.kind = storage::ConversationKind::Direct;
        conversation.title = "peer";
        conversation.peerRootId = crypto::RootId{};
        conversation.defaults = {3600, false, 0};
        QVERIFY(store.conversations().save(conversation));
        storage::MessageRecord message;
        message.id = crypto::randomId<crypto::MessageId>(crypto::systemRandom());
        message.conversationId = conversation.id;
        message.sentAtMs = message.receivedAtMs = device->context().now();
        message.contentType = crypto::ContentType::File;
        message.body = crypto::Bytes{1};
        message.ephemerality = {3600, false, 0};
        QVERIFY(store.messages().insert(message));
        storage::AttachmentRecord attachment;
        attachment.messageId = message.id;
        attachment.fileName = "notes.txt";
        attachment.mimeType = "text/plain";
        attachment.size = 100;
        attachment.blobId = crypto::Bytes{1, 2, 3};
        attachment.fileKey = crypto::SecureBuffer(32);
        auto id = store.attachments().add(attachment);
        QVERIFY(id);

        device->channel().script(api::VERB_BLOB_STATUS, [](const QByteArray&) {
            api::BlobStatus status;
            status.set_blob_id("\x01\x02\x03");
            status.set_size(1'000'000'000); // far more ciphertext than 100 bytes can make
            status.set_received(status.size());
            status.set_complete(true);
            return ChannelDouble::ok(status);
        });
        auto result = device->files().download(*id);
        QVERIFY(!result);
        QCOMPARE(result.error(), client::SessionError::ServerMisbehaved);
        QCOMPARE(device->channel().callsOf(api::VERB_BLOB_GET), std::size_t{0});
        QVERIFY(!store.attachments().find(*id)->localName);
    }
};

QTEST_GUILESS_MAIN(FileTransferTest)
#include "tst_file_transfer.moc"
