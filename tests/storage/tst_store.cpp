// SPDX-License-Identifier: Apache-2.0
// Store: opening with the right and the wrong key, migrations, and every API area.

#include "StorageTestSupport.h"
#include "crypto/NodeIdentity.h"
#include "crypto/RootIdentity.h"
#include "storage/Store.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <sstream>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;

namespace {

std::unique_ptr<Store> openStore(const QString& dir, const crypto::SecureBuffer& key,
                                 std::int64_t nowMs = 2000) {
    auto store = Store::open(dir, key, [nowMs] { return nowMs; });
    if (!store) {
        qWarning() << "open failed:" << describe(store.error()).data();
        return nullptr;
    }
    return std::move(store).value();
}

ContactRecord contact(std::uint8_t n, const std::string& username) {
    ContactRecord c;
    c.rootId = idOf<crypto::RootId>(n);
    c.username = username;
    c.displayName = "Display " + username;
    c.pinnedRootKey = crypto::Bytes(133, n);
    c.deviceListVersion = 1;
    c.deviceList = crypto::Bytes(40, 0x11);
    c.addedAtMs = 1500;
    return c;
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT
private slots:
    void wrongKeyIsTyped() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(store->setSetting("theme", crypto::asBytes("dark")));
        }
        const QStringList before = test::filesUnder(dir.path());
        auto wrong = Store::open(dir.path(), test::freshKey());
        QVERIFY(!wrong);
        QCOMPARE(wrong.error(), StoreError::WrongKey);
        QCOMPARE(Store::open(dir.path(), crypto::SecureBuffer(31)).error(), StoreError::KeyLength);
        // Still opens with the right key, data intact.
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        auto theme = store->setting("theme");
        QVERIFY(theme && *theme);
        QCOMPARE(test::toQByteArray(**theme), QByteArray("dark"));
        Q_UNUSED(before);
    }

    void notADatabaseIsTyped() {
        QTemporaryDir dir;
        QFile file(QDir(dir.path()).filePath("store.db"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'z'));
        file.close();
        QCOMPARE(Store::open(dir.path(), test::freshKey()).error(), StoreError::WrongKey);
    }

    void migrationsAreIdempotent() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QCOMPARE(store->schemaVersion(), 2);
            QVERIFY(store->saveConversation(test::conversation(1)));
            auto again = store->migrate();
            QVERIFY(again);
            QCOMPARE(*again, 2);
            QCOMPARE(store->migrate().value(), 2);
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), 2);
        QCOMPARE(store->conversations().value().size(), std::size_t{1});
    }

    void settings() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        QVERIFY(!store->setting("missing").value());
        QVERIFY(store->setSetting("ttl", crypto::asBytes("60")));
        QVERIFY(store->setSetting("ttl", crypto::asBytes("120")));
        QCOMPARE(test::toQByteArray(*store->setting("ttl").value()), QByteArray("120"));
        QVERIFY(store->setSetting("empty", {}));
        QVERIFY(store->setting("empty").value()->empty());
        QVERIFY(store->removeSetting("ttl"));
        QVERIFY(!store->setting("ttl").value());
    }

    void identityAndPrekeys() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        auto root = crypto::RootIdentity::generate();
        QVERIFY(root);
        auto node = crypto::NodeIdentity::enroll(*root, 1000);
        QVERIFY(node);
        crypto::EphemeralKeyPool pool;
        QVERIFY(pool.generate(*node, 3));
        QVERIFY(pool.generateLastResort(*node));
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(!store->identity().value());
            IdentityRecord identity;
            identity.username = "alice";
            identity.rootId = root->id();
            identity.rootPublicKey = root->publicKey().bytes();
            identity.rootPrivateKey = root->key().exportPrivate().value();
            identity.remoteStorageKey = root->remoteStorageKey().clone();
            identity.nodeStorageRootKey = root->nodeStorageRootKey().clone();
            identity.nodeId = node->id();
            identity.nodePublicKey = node->key().publicKey().bytes();
            identity.nodePrivateKey = node->key().exportPrivate().value();
            identity.nodeCertificate = node->certificate();
            identity.createdAtMs = 1000;
            QVERIFY(store->saveIdentity(identity));
            QVERIFY(store->savePrekeyPool(pool));
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        auto identity = store->identity().value();
        QVERIFY(identity);
        QCOMPARE(identity->username, std::string("alice"));
        QVERIFY(identity->rootId == root->id());
        QVERIFY(identity->nodeStorageRootKey == root->nodeStorageRootKey());
        auto nodeKey =
            crypto::KeyPair::fromPrivate(identity->nodePrivateKey.view(), identity->nodePublicKey);
        QVERIFY(nodeKey);
        QVERIFY(nodeKey->publicKey() == node->key().publicKey());

        auto loaded = store->loadPrekeyPool();
        QVERIFY(loaded);
        QCOMPARE(loaded->size(), std::size_t{4});
        std::size_t lastResort = 0;
        for (const auto& [id, entry] : loaded->entries()) {
            QVERIFY(pool.find(id));
            QVERIFY(entry.key.publicKey() == pool.find(id)->key.publicKey());
            lastResort += entry.lastResort ? 1 : 0;
        }
        QCOMPARE(lastResort, std::size_t{1});
        const crypto::PrekeyId first = loaded->entries().begin()->first;
        QVERIFY(store->deletePrekey(first));
        QCOMPARE(store->deletePrekey(first).error(), StoreError::NotFound);
        QCOMPARE(store->prekeys().value().size(), std::size_t{3});
    }

    void contacts() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        QVERIFY(store->saveContact(contact(1, "bob")));
        QVERIFY(store->saveContact(contact(2, "alice")));
        QCOMPARE(store->saveContact(contact(3, "bob")).error(), StoreError::Duplicate);
        auto all = store->contacts().value();
        QCOMPARE(all.size(), std::size_t{2});
        QCOMPARE(all[0].username, std::string("alice"));
        auto bob = store->contactByUsername("bob").value();
        QVERIFY(bob);
        QVERIFY(bob->rootId == idOf<crypto::RootId>(1));
        QCOMPARE(bob->displayName, std::string("Display bob"));

        ContactRecord renamed = *bob;
        renamed.displayName = "Robert";
        QVERIFY(store->saveContact(renamed));
        QCOMPARE(store->contact(renamed.rootId).value()->displayName, std::string("Robert"));

        QVERIFY(store->setContactVerified(bob->rootId, true));
        QVERIFY(store->contact(bob->rootId).value()->verified);

        // Identity change: flagged, unverified, the old key stays pinned until accepted.
        const crypto::Bytes newKey(133, 0x77);
        QVERIFY(store->flagIdentityChange(bob->rootId, newKey));
        auto changed = store->contact(bob->rootId).value();
        QVERIFY(changed->identityChanged);
        QVERIFY(!changed->verified);
        QVERIFY(changed->pinnedRootKey == crypto::Bytes(133, 1));
        QCOMPARE(store->setContactVerified(bob->rootId, true).error(), StoreError::InvalidArgument);
        QVERIFY(store->acceptIdentityChange(bob->rootId));
        auto accepted = store->contact(bob->rootId).value();
        QVERIFY(!accepted->identityChanged);
        QVERIFY(accepted->pinnedRootKey == newKey);
        QVERIFY(!accepted->pendingRootKey);
        QCOMPARE(store->acceptIdentityChange(bob->rootId).error(), StoreError::NotFound);

        // Device lists only move forward.
        QVERIFY(store->updateDeviceList(bob->rootId, 2, crypto::asBytes("list v2")));
        QCOMPARE(store->updateDeviceList(bob->rootId, 2, crypto::asBytes("again")).error(),
                 StoreError::StaleVersion);
        QCOMPARE(store->updateDeviceList(bob->rootId, 1, crypto::asBytes("old")).error(),
                 StoreError::StaleVersion);
        QCOMPARE(store->contact(bob->rootId).value()->deviceListVersion, std::uint64_t{2});
        QCOMPARE(store->updateDeviceList(idOf<crypto::RootId>(9), 5, {}).error(),
                 StoreError::NotFound);

        QVERIFY(store->removeContact(bob->rootId));
        QCOMPARE(store->removeContact(bob->rootId).error(), StoreError::NotFound);
        QVERIFY(!store->contact(bob->rootId).value());
    }

    void conversationsAndUnreadCounts() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        ConversationRecord one = test::conversation(1);
        ConversationRecord two = test::conversation(2);
        two.kind = ConversationKind::Room;
        QVERIFY(store->saveConversation(one));
        QVERIFY(store->saveConversation(two));
        ConversationRecord invalid = test::conversation(3, 0);
        QCOMPARE(store->saveConversation(invalid).error(), StoreError::InvalidArgument);

        QVERIFY(store->insertMessage(test::message(1, one.id, 5000)));
        QVERIFY(store->insertMessage(test::message(2, one.id, 6000)));
        auto own = test::message(3, two.id, 7000);
        own.outgoing = true;
        QVERIFY(store->insertMessage(own));

        auto list = store->conversations().value();
        QCOMPARE(list.size(), std::size_t{2});
        QVERIFY(list[0].id == two.id); // most recent activity first
        QCOMPARE(list[0].kind, ConversationKind::Room);
        QCOMPARE(list[0].unreadCount, 0u);
        QCOMPARE(list[0].lastActivityMs, std::int64_t{7000});
        QCOMPARE(list[1].unreadCount, 2u);

        QVERIFY(store->markShown(test::message(1, one.id, 0).id, 8000));
        QCOMPARE(store->conversation(one.id).value()->unreadCount, 1u);
        QVERIFY(store->setReadState(test::message(1, one.id, 0).id, ReadState::Unread));
        QCOMPARE(store->conversation(one.id).value()->unreadCount, 2u);
        QVERIFY(store->deleteMessage(test::message(2, one.id, 0).id));
        QCOMPARE(store->conversation(one.id).value()->unreadCount, 1u);

        // An outgoing message waits in the outbox as Queued (never unread); leaving it, it
        // becomes sent (or failed), but a Seen that came first is kept.
        auto queued = test::message(4, two.id, 7100);
        queued.outgoing = true;
        queued.readState = ReadState::Queued;
        QVERIFY(store->insertMessage(queued));
        QCOMPARE(store->message(queued.id).value()->readState, ReadState::Queued);
        QCOMPARE(store->conversation(two.id).value()->unreadCount, 0u);
        QCOMPARE(store->settleQueued(queued.id, ReadState::Read).value(), true);
        QCOMPARE(store->message(queued.id).value()->readState, ReadState::Read);
        QCOMPARE(store->settleQueued(queued.id, ReadState::Failed).value(), false);
        QVERIFY(store->setReadState(queued.id, ReadState::Seen));
        QCOMPARE(store->settleQueued(queued.id, ReadState::Read).value(), false);
        QCOMPARE(store->message(queued.id).value()->readState, ReadState::Seen);

        // Updating keeps the counters and changes the defaults.
        one.title = "renamed";
        one.defaults = {60, true, 10};
        QVERIFY(store->saveConversation(one));
        auto updated = store->conversation(one.id).value();
        QCOMPARE(updated->title, std::string("renamed"));
        QVERIFY(updated->defaults.burnOnRead);
        QCOMPARE(updated->defaults.burnSeconds, 10u);
        QCOMPARE(updated->unreadCount, 1u);

        QVERIFY(store->removeConversation(one.id));
        QVERIFY(!store->conversation(one.id).value());
        QVERIFY(!store->message(test::message(1, one.id, 0).id).value());
        QCOMPARE(store->removeConversation(one.id).error(), StoreError::NotFound);
    }

    void messages() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord c = test::conversation(1);
        QVERIFY(store->saveConversation(c));
        auto first = test::message(1, c.id, 5000, "first");
        first.replyTo = idOf<crypto::MessageId>(99);
        first.contentType = crypto::ContentType::File;
        QVERIFY(store->insertMessage(first));
        QCOMPARE(store->insertMessage(first).error(), StoreError::Duplicate);
        QCOMPARE(store->insertMessage(test::message(2, idOf<crypto::ConversationId>(9), 1)).error(),
                 StoreError::UnknownConversation);
        auto noTtl = test::message(3, c.id, 5000, "x", 0);
        QCOMPARE(store->insertMessage(noTtl).error(), StoreError::InvalidArgument);

        auto stored = store->message(first.id).value();
        QVERIFY(stored);
        QVERIFY(stored->body == first.body);
        QVERIFY(stored->replyTo == first.replyTo);
        QCOMPARE(stored->contentType, crypto::ContentType::File);
        QCOMPARE(stored->expiresAtMs, std::int64_t{5000 + 3600 * 1000});
        QVERIFY(stored->senderNodeId == first.senderNodeId);
        QCOMPARE(stored->sequence, first.sequence);
        QCOMPARE(stored->readState, ReadState::Unread);

        QVERIFY(store->applyEdit(first.id, crypto::asBytes("edited")));
        stored = store->message(first.id).value();
        QVERIFY(stored->edited);
        QCOMPARE(crypto::toStdString(stored->body), std::string("edited"));
        QVERIFY(store->markDeleted(first.id));
        stored = store->message(first.id).value();
        QVERIFY(stored->deleted);
        QVERIFY(stored->body.empty());
        QCOMPARE(store->applyEdit(first.id, crypto::asBytes("again")).error(),
                 StoreError::NotFound);
        QVERIFY(store->deleteMessage(first.id));
        QVERIFY(!store->message(first.id).value());
        QCOMPARE(store->deleteMessage(first.id).error(), StoreError::NotFound);
        QCOMPARE(store->markShown(first.id, 1).error(), StoreError::NotFound);
    }

    void batchesAndPages() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord c = test::conversation(1);
        const ConversationRecord other = test::conversation(2);
        QVERIFY(store->saveConversation(c));
        QVERIFY(store->saveConversation(other));
        std::vector<MessageRecord> batch;
        for (std::uint32_t i = 0; i < 120; ++i) {
            // Pairs share a sent time, so the row id breaks ties.
            batch.push_back(test::message(i, i % 10 == 0 ? other.id : c.id, 10000 + i / 2));
        }
        auto inserted = store->insertMessages(batch);
        QVERIFY(inserted);
        QCOMPARE(*inserted, std::size_t{120});
        // Redelivery: duplicates are skipped, new ones kept.
        batch.resize(5);
        batch.push_back(test::message(500, c.id, 20000));
        QCOMPARE(store->insertMessages(batch).value(), std::size_t{1});

        std::vector<MessageRecord> all;
        std::optional<MessageCursor> cursor;
        for (;;) {
            auto page = store->messagesPage(c.id, cursor, 25);
            QVERIFY(page);
            if (page->empty()) {
                break;
            }
            QVERIFY(page->size() <= 25);
            cursor = page->back().cursor();
            all.insert(all.end(), page->begin(), page->end());
        }
        QCOMPARE(all.size(), std::size_t{109}); // 108 + 1, the other conversation excluded
        QCOMPARE(crypto::toStdString(all.front().body), std::string("hello"));
        QCOMPARE(all.front().sentAtMs, std::int64_t{20000});
        for (std::size_t i = 1; i < all.size(); ++i) {
            const bool older =
                all[i].sentAtMs < all[i - 1].sentAtMs ||
                (all[i].sentAtMs == all[i - 1].sentAtMs && all[i].rowId < all[i - 1].rowId);
            QVERIFY(older);
            QVERIFY(all[i].conversationId == c.id);
        }
        QCOMPARE(store->messagesPage(c.id, std::nullopt, 0).error(), StoreError::InvalidArgument);
        QCOMPARE(store->messagesPage(idOf<crypto::ConversationId>(9)).error(),
                 StoreError::UnknownConversation);
        // A batch with an unknown conversation changes nothing.
        std::vector<MessageRecord> bad{test::message(900, c.id, 1),
                                       test::message(901, idOf<crypto::ConversationId>(9), 1)};
        QCOMPARE(store->insertMessages(bad).error(), StoreError::UnknownConversation);
        QVERIFY(!store->message(bad[0].id).value());
    }

    void attachments() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        const ConversationRecord c = test::conversation(1);
        QVERIFY(store->saveConversation(c));
        const auto m = test::message(1, c.id, 5000);
        QVERIFY(store->insertMessage(m));
        std::string content(200 * 1024 + 17, '\0');
        for (std::size_t i = 0; i < content.size(); ++i) {
            content[i] = static_cast<char>(i * 7 % 251);
        }
        std::istringstream in(content);
        auto record = store->importAttachment(m.id, "../../etc/passwd", "text/plain", in);
        QVERIFY(record);
        QVERIFY(record->localName);
        QVERIFY(AttachmentStore::isLocalName(*record->localName));
        QCOMPARE(record->size, std::uint64_t{content.size()});
        QCOMPARE(record->fileName, std::string("../../etc/passwd")); // display only
        const QStringList files = test::filesUnder(store->attachmentFiles().directory());
        QCOMPARE(files.size(), 1);
        QVERIFY(files[0].startsWith(store->attachmentFiles().directory() + "/"));

        std::ostringstream out;
        QVERIFY(store->readAttachment(record->id, out));
        QVERIFY(out.str() == content);
        auto listed = store->attachments(m.id).value();
        QCOMPARE(listed.size(), std::size_t{1});
        QVERIFY(listed[0].fileKey == record->fileKey);

        // A downloaded blob: recorded first, file checked against its SHA-256 on import.
        std::istringstream plain("downloaded file");
        auto encrypted = store->attachmentFiles().directory(); // reuse the same folder for a blob
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
        auto remoteId = store->addAttachment(remote);
        QVERIFY(remoteId);
        std::ostringstream none;
        QCOMPARE(store->readAttachment(*remoteId, none).error(), StoreError::NotFound);
        std::string tampered = ciphertext;
        tampered[tampered.size() - 1] ^= 1;
        std::istringstream wrongBlob(tampered);
        QCOMPARE(store->importAttachmentCiphertext(*remoteId, wrongBlob).error(),
                 StoreError::InvalidArgument);
        std::istringstream rightBlob(ciphertext);
        QVERIFY(store->importAttachmentCiphertext(*remoteId, rightBlob));
        std::ostringstream decrypted;
        QVERIFY(store->readAttachment(*remoteId, decrypted));
        QCOMPARE(decrypted.str(), std::string("downloaded file"));
        QCOMPARE(test::filesUnder(store->attachmentFiles().directory()).size(), 2);

        // Deleting the message removes both files.
        QVERIFY(store->deleteMessage(m.id));
        QVERIFY(test::filesUnder(store->attachmentFiles().directory()).isEmpty());
        QCOMPARE(store->attachment(*remoteId).error(), StoreError::NotFound);
    }

    void outbox() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        OutboxItem item;
        item.kind = 3;
        item.payload = crypto::Bytes(300, 0x33);
        item.createdAtMs = 1000;
        item.expiresAtMs = 99'000;
        item.messageId = idOf<crypto::MessageId>(5);
        auto first = store->enqueueOutbox(item);
        item.messageId.reset();
        auto second = store->enqueueOutbox(item);
        QVERIFY(first && second);
        QVERIFY(*second > *first);
        QVERIFY(store->recordOutboxAttempt(*first));
        auto queued = store->peekOutbox().value();
        QCOMPARE(queued.size(), std::size_t{2});
        QCOMPARE(queued[0].id, *first);
        QCOMPARE(queued[0].attempts, 1u);
        QVERIFY(queued[0].messageId == idOf<crypto::MessageId>(5));
        QVERIFY(!queued[1].messageId);
        QVERIFY(queued[1].payload == item.payload);
        QCOMPARE(store->peekOutbox(1).value().size(), std::size_t{1});
        QVERIFY(store->removeOutbox(*first));
        QCOMPARE(store->removeOutbox(*first).error(), StoreError::NotFound);
        QCOMPARE(store->peekOutbox().value().size(), std::size_t{1});
    }

    void replayGuardPersists() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        crypto::ReplayGuard guard;
        guard.record(idOf<crypto::NodeId>(1), idOf<crypto::MessageId>(1), 1, 1000);
        guard.record(idOf<crypto::NodeId>(1), idOf<crypto::MessageId>(2), 5, 1001);
        guard.record(idOf<crypto::NodeId>(2), idOf<crypto::MessageId>(1), 3000, 1002);
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(store->saveReplayGuard(guard));
            QVERIFY(store->saveReplayGuard(guard)); // replaces, no duplicates
        }
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        auto loaded = store->loadReplayGuard();
        QVERIFY(loaded);
        QCOMPARE(loaded->senders().size(), std::size_t{2});
        QCOMPARE(loaded->seenMessages().size(), std::size_t{3});
        QCOMPARE(loaded->senders().at(idOf<crypto::NodeId>(1)).highest, std::uint64_t{5});
        QVERIFY(loaded->senders().at(idOf<crypto::NodeId>(1)).recent ==
                guard.senders().at(idOf<crypto::NodeId>(1)).recent);
        QVERIFY(!loaded->check(idOf<crypto::NodeId>(1), idOf<crypto::MessageId>(2), 6));
        QVERIFY(!loaded->check(idOf<crypto::NodeId>(2), idOf<crypto::MessageId>(9), 3000));
        QVERIFY(loaded->check(idOf<crypto::NodeId>(2), idOf<crypto::MessageId>(9), 3001));
    }

    void handledDeliveriesAreForgottenAfterConfirmation() {
        QTemporaryDir dir;
        const crypto::SecureBuffer key = test::freshKey();
        const crypto::Sha256Digest first = crypto::sha256(crypto::asBytes("first packet"));
        const crypto::Sha256Digest second = crypto::sha256(crypto::asBytes("second packet"));
        {
            auto store = openStore(dir.path(), key);
            QVERIFY(store);
            QVERIFY(!store->deliveryHandled(first).value());
            QVERIFY(store->recordHandledDelivery(first, 1000));
            QVERIFY(store->recordHandledDelivery(first, 1500)); // changes nothing
            QVERIFY(store->recordHandledDelivery(second, 1000));
        }
        // Across a restart: the acknowledgement may not have reached the server.
        auto store = openStore(dir.path(), key);
        QVERIFY(store);
        QVERIFY(store->deliveryHandled(first).value());
        const std::array<crypto::Sha256Digest, 1> confirmed{first};
        QVERIFY(store->settleHandledDeliveries(confirmed, 3000, 0, 0));
        QVERIFY(store->deliveryHandled(first).value()); // copies may still be on their way
        QVERIFY(store->settleHandledDeliveries({}, 5000, 4000, 0));
        QVERIFY(!store->deliveryHandled(first).value());
        QVERIFY(store->deliveryHandled(second).value()); // never confirmed
        QVERIFY(store->settleHandledDeliveries({}, 5000, 4000, 1001));
        QVERIFY(!store->deliveryHandled(second).value());
    }

    void roomState() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        ConversationRecord room = test::conversation(4);
        room.kind = ConversationKind::Room;
        QVERIFY(store->saveConversation(room));
        QVERIFY(!store->roomState(room.id).value());
        QVERIFY(store->saveRoomState({room.id, 3, crypto::toBytes("members v3")}));
        QVERIFY(store->saveRoomState({room.id, 4, crypto::toBytes("members v4")}));
        auto state = store->roomState(room.id).value();
        QVERIFY(state);
        QCOMPARE(state->epoch, std::uint64_t{4});
        QCOMPARE(crypto::toStdString(state->state), std::string("members v4"));
        QCOMPARE(store->saveRoomState({idOf<crypto::ConversationId>(9), 1, {}}).error(),
                 StoreError::UnknownConversation);
        QVERIFY(store->removeConversation(room.id));
        QVERIFY(!store->roomState(room.id).value());
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
