// SPDX-License-Identifier: Apache-2.0
// docs/ARCHITECTURE.md, "Storage": the database file, its WAL and the attachment folder contain
// no plaintext message, name or key. Markers are written through every API that stores text or
// keys; the account directory (vault, store.db, -wal, -shm, attachments/) is then scanned byte by
// byte for each marker, raw and hex, while the store is open (before and after a checkpoint)
// and after it is closed, and again after the marked message is deleted.

#include "StorageTestSupport.h"
#include "crypto/NodeIdentity.h"
#include "crypto/RootIdentity.h"
#include "storage/KeyVault.h"
#include "storage/Store.h"

#include <QTemporaryDir>

#include <sstream>

using namespace cinder;
using namespace cinder::storage;

namespace {

const QByteArray kMessageMarker = "MSG-MARKER-7f3a9c-plaintext-message-body";
const QByteArray kAttachmentMarker = "ATT-MARKER-51d2e8-attachment-bytes";
const QByteArray kOwnUsername = "owner_marker_username_e1";
const QByteArray kContactUsername = "contact_marker_username_b7";
const QByteArray kContactDisplay = "Display Marker Name 9d";
const QByteArray kFileName = "secret-plans-marker.pdf";
const QByteArray kTitle = "Conversation Title Marker 3c";

struct Needle {
    QByteArray label;
    QByteArray bytes;
};

void addKey(std::vector<Needle>& needles, const QByteArray& label, crypto::ByteView key) {
    const QByteArray raw = test::toQByteArray(key);
    needles.push_back({label + " (raw)", raw});
    needles.push_back({label + " (hex)", raw.toHex()});
    needles.push_back({label + " (HEX)", raw.toHex().toUpper()});
}

} // namespace

class TestPlaintextScan : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::vector<Needle> m_needles;

    // Fails listing every file that contains any needle.
    void scan(const char* when) {
        QStringList hits;
        const QStringList files = test::filesUnder(m_dir.path());
        QVERIFY2(!files.isEmpty(), when);
        for (const QString& path : files) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            for (const Needle& needle : m_needles) {
                if (content.contains(needle.bytes)) {
                    hits << QString("%1: %2 in %3").arg(when, needle.label, path);
                }
            }
        }
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join('\n')));
    }

private slots:
    void initTestCase() {
        m_needles = {{"message", kMessageMarker},
                     {"attachment", kAttachmentMarker},
                     {"own username", kOwnUsername},
                     {"contact username", kContactUsername},
                     {"display name", kContactDisplay},
                     {"file name", kFileName},
                     {"title", kTitle}};
        // UTF-16 copies as well, in case any layer widened a string.
        const QString wide = QString::fromLatin1(kMessageMarker);
        m_needles.push_back(
            {"message (UTF-16)",
             QByteArray(reinterpret_cast<const char*>(wide.utf16()), wide.size() * 2)});
    }

    // The scanner finds a marker that is there (so a clean scan means something).
    void scannerFindsPlaintext() {
        QTemporaryDir control;
        QFile file(QDir(control.path()).filePath("plain"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("prefix " + kMessageMarker + " suffix");
        file.close();
        QCOMPARE(test::filesContaining(control.path(), kMessageMarker).size(), 1);
    }

    void scanEverything() {
        const crypto::SecureBuffer klds = test::freshKey();
        addKey(m_needles, "Klds", klds.view());
        QVERIFY(KeyVault::create(m_dir.path(), crypto::asBytes("account"), klds,
                                 crypto::asBytes("passphrase marker"), {10, 8, 1}));
        m_needles.push_back({"passphrase", "passphrase marker"});

        auto root = crypto::RootIdentity::generate();
        auto node = crypto::NodeIdentity::enroll(*root, 1000);
        QVERIFY(root && node);
        crypto::EphemeralKeyPool pool;
        QVERIFY(pool.generate(*node, 2));
        auto rootPrivate = root->key().exportPrivate();
        auto nodePrivate = node->key().exportPrivate();
        QVERIFY(rootPrivate && nodePrivate);
        addKey(m_needles, "root private key", rootPrivate->view());
        addKey(m_needles, "node private key", nodePrivate->view());
        addKey(m_needles, "remote storage key", root->remoteStorageKey().view());
        addKey(m_needles, "node storage root key", root->nodeStorageRootKey().view());
        for (const auto& [id, entry] : pool.entries()) {
            addKey(m_needles, "prekey private key", entry.key.exportPrivate().value().view());
        }

        auto opened = Store::open(m_dir.path(), klds);
        QVERIFY(opened);
        std::unique_ptr<Store> store = std::move(opened).value();

        IdentityRecord identity;
        identity.username = kOwnUsername.toStdString();
        identity.rootId = root->id();
        identity.rootPublicKey = root->publicKey().bytes();
        identity.rootPrivateKey = rootPrivate->clone();
        identity.remoteStorageKey = root->remoteStorageKey().clone();
        identity.nodeStorageRootKey = root->nodeStorageRootKey().clone();
        identity.nodeId = node->id();
        identity.nodePublicKey = node->key().publicKey().bytes();
        identity.nodePrivateKey = nodePrivate->clone();
        identity.nodeCertificate = node->certificate();
        QVERIFY(store->keys().saveIdentity(identity));
        QVERIFY(store->keys().savePrekeyPool(pool));

        ContactRecord contact;
        contact.rootId = test::idOf<crypto::RootId>(2);
        contact.username = kContactUsername.toStdString();
        contact.displayName = kContactDisplay.toStdString();
        contact.pinnedRootKey = crypto::Bytes(133, 4);
        QVERIFY(store->contacts().save(contact));

        ConversationRecord conversation = test::conversation(1);
        conversation.title = kTitle.toStdString();
        QVERIFY(store->conversations().save(conversation));
        std::vector<MessageRecord> batch;
        for (std::uint32_t i = 0; i < 200; ++i) {
            batch.push_back(test::message(i, conversation.id, 5000 + i,
                                          (kMessageMarker + QByteArray::number(i)).toStdString()));
        }
        QVERIFY(store->messages().insertBatch(batch));
        std::istringstream attachment(kAttachmentMarker.repeated(1000).toStdString());
        QVERIFY(store->attachments().importFile(batch[0].id, kFileName.toStdString(),
                                                "application/pdf", attachment));
        QVERIFY(store->settings().set("draft", crypto::asBytes(kMessageMarker.toStdString())));

        // Open, the data still in the WAL.
        QVERIFY(QFile::exists(store->databasePath() + "-wal"));
        scan("open, before checkpoint");
        QVERIFY(store->checkpoint());
        scan("open, after checkpoint");

        // Deleting leaves nothing either (secure_delete; the DB was never plaintext anyway).
        QVERIFY(store->messages().remove(batch[0].id));
        QVERIFY(store->settings().remove("draft"));
        QVERIFY(store->checkpoint());
        scan("after delete");
        store.reset();
        scan("closed");
    }
};

QTEST_GUILESS_MAIN(TestPlaintextScan)
#include "tst_plaintext_scan.moc"
