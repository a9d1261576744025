// SPDX-License-Identifier: Apache-2.0
// AttachmentTable: attachment rows and their encrypted files.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QTemporaryDir>

#include <sstream>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

class TestAttachmentTable : public QObject {
    Q_OBJECT
private slots:
    void attachments() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord c = test::conversation(1);
        QVERIFY(store->conversations().save(c));
        const auto m = test::message(1, c.id, 5000);
        QVERIFY(store->messages().insert(m));
        std::string content(200 * 1024 + 17, '\0');
        for (std::size_t i = 0; i < content.size(); ++i) {
            content[i] = static_cast<char>(i * 7 % 251);
        }
        std::istringstream in(content);
        auto record = store->attachments().importFile(m.id, "../../etc/passwd", "text/plain", in);
        QVERIFY(record);
        QVERIFY(record->localName);
        QVERIFY(AttachmentStore::isLocalName(*record->localName));
        QCOMPARE(record->size, std::uint64_t{content.size()});
        QCOMPARE(record->fileName, std::string("../../etc/passwd")); // display only
        const QStringList files = test::filesUnder(store->attachments().files().directory());
        QCOMPARE(files.size(), 1);
        QVERIFY(files[0].startsWith(store->attachments().files().directory() + "/"));

        std::ostringstream out;
        QVERIFY(store->attachments().read(record->id, out));
        QVERIFY(out.str() == content);
        auto listed = store->attachments().ofMessage(m.id).value();
        QCOMPARE(listed.size(), std::size_t{1});
        QVERIFY(listed[0].fileKey == record->fileKey);

        // A downloaded blob: recorded first, file checked against its SHA-256 on import.
        std::istringstream plain("downloaded file");
        auto encrypted =
            store->attachments().files().directory(); // reuse the same folder for a blob
        Q_UNUSED(encrypted);
        AttachmentStore scratch(QDir(dir.path()).filePath("scratch"));
        auto blob = scratch.encrypt(plain);
        QVERIFY(blob);
        QFile blobFile(*scratch.pathOf(blob->localName));
        QVERIFY(blobFile.open(QIODevice::ReadOnly));
        const std::string ciphertext = blobFile.readAll().toStdString();
        AttachmentRecord remote;
        remote.messageId = m.id;
        remote.fileName = "photo.jpg";
        remote.size = blob->summary.plaintextSize;
        remote.ciphertextSha256 = blob->summary.ciphertextSha256;
        remote.blobId = crypto::Bytes(16, 0x42);
        remote.fileKey = blob->fileKey.clone();
        auto remoteId = store->attachments().add(remote);
        QVERIFY(remoteId);
        std::ostringstream none;
        QCOMPARE(store->attachments().read(*remoteId, none).error(), StoreError::NotFound);
        std::string tampered = ciphertext;
        tampered[tampered.size() - 1] ^= 1;
        std::istringstream wrongBlob(tampered);
        QCOMPARE(store->attachments().importCiphertext(*remoteId, wrongBlob).error(),
                 StoreError::InvalidArgument);
        std::istringstream rightBlob(ciphertext);
        QVERIFY(store->attachments().importCiphertext(*remoteId, rightBlob));
        std::ostringstream decrypted;
        QVERIFY(store->attachments().read(*remoteId, decrypted));
        QCOMPARE(decrypted.str(), std::string("downloaded file"));
        QCOMPARE(test::filesUnder(store->attachments().files().directory()).size(), 2);

        // Deleting the message removes both files.
        QVERIFY(store->messages().remove(m.id));
        QVERIFY(test::filesUnder(store->attachments().files().directory()).isEmpty());
        QCOMPARE(store->attachments().find(*remoteId).error(), StoreError::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestAttachmentTable)
#include "tst_attachment_table.moc"
