// SPDX-License-Identifier: Apache-2.0
// Conversations (client/Conversations.h) with a local store and no server: what it writes and
// queues (text, reactions, edits, deletions, read receipts, files), what it refuses and why
// (nothing before the ephemerality policy is acknowledged, a 1:1 id held by something else, bad
// text, someone else's message), what it announces, and what it leaves in the store. Sending to
// real devices is covered by tst_outbox and the tst_session_* suites.

#include "RoleFixture.h"

#include "client/ContentCodec.h"
#include "client/ConversationIds.h"

#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

#include <sstream>

using namespace cinder;
using namespace cinder::test;

namespace {

std::string bytesOf(crypto::ByteView id) {
    return {reinterpret_cast<const char*>(id.data()), id.size()};
}

// A contact pinned earlier (openDirect then needs no server).
storage::ContactRecord pinContact(RoleDevice& device, const std::string& username,
                                  std::uint8_t fill) {
    storage::ContactRecord contact;
    contact.rootId = someone(fill);
    contact.username = username;
    contact.pinnedRootKey = crypto::Bytes(32, fill);
    contact.addedAtMs = device.context().now();
    if (!device.store().contacts().save(contact)) {
        qWarning() << "could not pin" << username.c_str();
    }
    return contact;
}

// A message from `sender` stored as the receive path stores one.
crypto::MessageId receiveText(RoleDevice& device, const crypto::ConversationId& conversation,
                              const crypto::RootId& sender, const std::string& text,
                              crypto::Ephemerality timers = {3600, false, 0}) {
    content::Content body;
    body.mutable_text()->set_text(text);
    storage::MessageRecord record;
    record.id = crypto::randomId<crypto::MessageId>(crypto::systemRandom());
    record.conversationId = conversation;
    record.senderRootId = sender;
    record.sentAtMs = device.context().now();
    record.receivedAtMs = record.sentAtMs;
    record.contentType = crypto::ContentType::Text;
    record.body = client::encodeContent(body);
    record.ephemerality = timers;
    record.readState = storage::ReadState::Unread;
    if (!device.store().messages().insert(record)) {
        qWarning() << "could not store a received message";
    }
    return record.id;
}

storage::MessageRecord stored(RoleDevice& device, const crypto::MessageId& id) {
    auto found = device.store().messages().find(id);
    return found && *found ? **found : storage::MessageRecord{};
}

bool isStored(RoleDevice& device, const crypto::MessageId& id) {
    auto found = device.store().messages().find(id);
    return found && found->has_value();
}

std::string textOf(const storage::MessageRecord& record) {
    const auto body = client::decodeContent(record.body, record.contentType);
    return body ? body->text().text() : std::string("<undecodable>");
}

// What waits in the outbox, oldest first, as the pump will read it.
std::vector<content::PendingSend> queued(RoleDevice& device) {
    std::vector<content::PendingSend> sends;
    const auto items = device.store().outbox().peek();
    for (const storage::OutboxItem& item : items.value()) {
        content::PendingSend pending;
        pending.ParseFromArray(item.payload.data(), static_cast<int>(item.payload.size()));
        sends.push_back(std::move(pending));
    }
    return sends;
}

// Why a call was refused; nothing when it was not (so a wrong success fails the comparison).
template <typename T>
std::optional<client::SessionError> refusal(const client::SessionResult<T>& result) {
    if (result) {
        return std::nullopt;
    }
    return result.error();
}

content::Content contentOf(const content::PendingSend& pending) {
    content::Content body;
    body.ParseFromString(pending.content());
    return body;
}

} // namespace

class ConversationsTest : public QObject {
    Q_OBJECT
private slots:
    void init() {
        m_home = std::make_unique<QTemporaryDir>();
        m_device = RoleDevice::local(m_home->path(), "alice");
        QVERIFY(m_device);
        m_bob = pinContact(*m_device, "bob", 0x42);
    }
    void cleanup() {
        m_device.reset();
        m_home.reset();
    }

    void openDirectMakesTheConversationOnce() {
        client::Conversations& conversations = m_device->conversations();
        QSignalSpy changed(&conversations, &client::Conversations::conversationChanged);
        const crypto::Ephemerality defaults{7200, true, 45};
        QVERIFY(m_device->expiry().setDefaultTimers(defaults));

        auto id = conversations.openDirect("bob");
        QVERIFY(id);
        QCOMPARE(*id, client::directConversationId(m_device->context().rootId, m_bob.rootId));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<crypto::ConversationId>(), *id);

        const auto record = m_device->store().conversations().find(*id).value();
        QVERIFY(record);
        QCOMPARE(record->kind, storage::ConversationKind::Direct);
        QCOMPARE(record->title, std::string("bob"));
        QCOMPARE(record->peerRootId, std::optional<crypto::RootId>(m_bob.rootId));
        QCOMPARE(record->defaults.ttlSeconds, defaults.ttlSeconds);
        QVERIFY(record->defaults.burnOnRead);
        QCOMPARE(record->defaults.burnSeconds, defaults.burnSeconds);

        // Opened again: the same conversation, nothing new stored or announced.
        QVERIFY(m_device->expiry().setDefaultTimers({60, false, 0}));
        QCOMPARE(conversations.openDirect("bob").value(), *id);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_device->store().conversations().find(*id).value()->defaults.ttlSeconds,
                 defaults.ttlSeconds);

        auto invalid = conversations.openDirect("not a user name!");
        QVERIFY(!invalid);
        QCOMPARE(invalid.error(), client::SessionError::InvalidArgument);
        QCOMPARE(changed.count(), 1);
    }

    // Issue 14: the 1:1 id held by a room, or by a 1:1 conversation with someone else, is never
    // used in place of the conversation with the contact.
    void openDirectRefusesAnIdHeldByAnotherConversation() {
        const crypto::ConversationId id =
            client::directConversationId(m_device->context().rootId, m_bob.rootId);
        QSignalSpy changed(&m_device->conversations(), &client::Conversations::conversationChanged);
        storage::ConversationRecord squatter;
        squatter.id = id;
        squatter.kind = storage::ConversationKind::Room;
        squatter.title = "a room";
        squatter.defaults = {60, false, 0};
        QVERIFY(m_device->store().conversations().save(squatter));
        auto asRoom = m_device->conversations().openDirect("bob");
        QVERIFY(!asRoom);
        QCOMPARE(asRoom.error(), client::SessionError::WrongConversationKind);

        squatter.kind = storage::ConversationKind::Direct;
        squatter.peerRootId = someone(0x77);
        QVERIFY(m_device->store().conversations().save(squatter));
        auto withSomeoneElse = m_device->conversations().openDirect("bob");
        QVERIFY(!withSomeoneElse);
        QCOMPARE(withSomeoneElse.error(), client::SessionError::WrongConversationKind);

        QCOMPARE(changed.count(), 0);
        const auto kept = m_device->store().conversations().find(id).value();
        QCOMPARE(kept->title, std::string("a room"));
        QCOMPARE(kept->peerRootId, std::optional<crypto::RootId>(someone(0x77)));
    }

    void nothingIsWrittenBeforeThePolicyIsAcknowledged() {
        const auto conversation = m_device->conversations().openDirect("bob").value();
        const auto theirs = receiveText(*m_device, conversation, m_bob.rootId, "hi");
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("attached");
        file.close();
        // As on a device whose user never acknowledged that messages disappear (the setting
        // client/Expiry.cpp keeps; the next line fails if it is renamed).
        QVERIFY(m_device->store().settings().remove("ephemerality-policy-acknowledged"));
        QVERIFY(!m_device->expiry().policyAcknowledged());

        client::Conversations& conversations = m_device->conversations();
        const auto policy = std::optional(client::SessionError::PolicyNotAcknowledged);
        QCOMPARE(refusal(conversations.sendText(conversation, "text", std::nullopt)), policy);
        QCOMPARE(refusal(conversations.react(conversation, theirs, "👍", false)), policy);
        QCOMPARE(refusal(conversations.sendFile(conversation, file.fileName())), policy);
        QCOMPARE(queued(*m_device).size(), std::size_t{0});
        QCOMPARE(m_device->store().messages().page(conversation).value().size(), std::size_t{1});

        QVERIFY(m_device->expiry().acknowledgePolicy());
        const auto mine = conversations.sendText(conversation, "text", std::nullopt).value();
        QVERIFY(m_device->store().settings().remove("ephemerality-policy-acknowledged"));
        QCOMPARE(refusal(conversations.edit(conversation, mine, "changed")), policy);
        QCOMPARE(refusal(conversations.deleteForEveryone(conversation, mine)), policy);
        QCOMPARE(textOf(stored(*m_device, mine)), std::string("text"));
        QVERIFY(!stored(*m_device, mine).deleted);
        QCOMPARE(queued(*m_device).size(), std::size_t{1});
    }

    void textIsStoredWithTheConversationsTimersAndQueued() {
        const auto conversation = m_device->conversations().openDirect("bob").value();
        const crypto::Ephemerality timers{3600, true, 60};
        QVERIFY(m_device->expiry().setConversationTimers(conversation, timers));
        const auto theirs = receiveText(*m_device, conversation, m_bob.rootId, "question?");
        QSignalSpy added(&m_device->outbox(), &client::Outbox::messageStored);
        QSignalSpy changed(&m_device->conversations(), &client::Conversations::messageChanged);

        auto id = m_device->conversations().sendText(conversation, "answer", theirs);
        QVERIFY(id);

        // Announced once, as a new message with its decoded content; not as a change.
        QCOMPARE(added.count(), 1);
        QCOMPARE(changed.count(), 0);
        const auto announced = added.at(0).at(0).value<storage::MessageRecord>();
        const auto announcedBody = added.at(0).at(1).value<content::Content>();
        QCOMPARE(announced.id, *id);
        QCOMPARE(announcedBody.text().text(), std::string("answer"));
        QCOMPARE(announcedBody.text().reply_to(), bytesOf(theirs));

        const storage::MessageRecord record = stored(*m_device, *id);
        QCOMPARE(record.id, *id);
        QCOMPARE(record.conversationId, conversation);
        QCOMPARE(record.senderRootId, m_device->context().rootId);
        QCOMPARE(record.senderNodeId, m_device->context().nodeId);
        QVERIFY(record.outgoing);
        QCOMPARE(record.contentType, crypto::ContentType::Text);
        QCOMPARE(textOf(record), std::string("answer"));
        QCOMPARE(record.replyTo, std::optional<crypto::MessageId>(theirs));
        QCOMPARE(record.readState, storage::ReadState::Queued);
        QCOMPARE(record.ephemerality.ttlSeconds, timers.ttlSeconds);
        QVERIFY(record.ephemerality.burnOnRead);
        QCOMPARE(record.ephemerality.burnSeconds, timers.burnSeconds);

        const auto sends = queued(*m_device);
        QCOMPARE(sends.size(), std::size_t{1});
        QCOMPARE(sends[0].message_id(), bytesOf(*id));
        QCOMPARE(sends[0].content_type(), std::uint32_t(crypto::ContentType::Text));
        QCOMPARE(sends[0].ttl_seconds(), timers.ttlSeconds);
        QVERIFY(sends[0].burn_on_read());
        QCOMPARE(sends[0].burn_seconds(), timers.burnSeconds);
        QCOMPARE(sends[0].recipient_root_ids_size(), 1);
        QCOMPARE(sends[0].recipient_root_ids(0), bytesOf(m_bob.rootId));
        QCOMPARE(contentOf(sends[0]).text().text(), std::string("answer"));
    }

    void textMustBeNonEmptyAndWithinTheLimit() {
        const auto conversation = m_device->conversations().openDirect("bob").value();
        client::Conversations& conversations = m_device->conversations();
        const auto empty = conversations.sendText(conversation, "", std::nullopt);
        QVERIFY(!empty);
        QCOMPARE(empty.error(), client::SessionError::InvalidArgument);
        const std::string tooLong(client::kMaxTextBytes + 1, 'x');
        const auto refused = conversations.sendText(conversation, tooLong, std::nullopt);
        QVERIFY(!refused);
        QCOMPARE(refused.error(), client::SessionError::InvalidArgument);
        QVERIFY(m_device->store().messages().page(conversation).value().empty());
        QCOMPARE(queued(*m_device).size(), std::size_t{0});

        const std::string longest(client::kMaxTextBytes, 'x');
        const auto id = conversations.sendText(conversation, longest, std::nullopt);
        QVERIFY(id);
        QCOMPARE(textOf(stored(*m_device, *id)), longest);

        const auto nowhere = conversations.sendText(
            crypto::randomId<crypto::ConversationId>(crypto::systemRandom()), "lost", std::nullopt);
        QVERIFY(!nowhere);
        QCOMPARE(nowhere.error(), client::SessionError::UnknownConversation);
    }

    void reactionsToAnyMessageOfTheConversation() {
        client::Conversations& conversations = m_device->conversations();
        const auto conversation = conversations.openDirect("bob").value();
        const auto theirs = receiveText(*m_device, conversation, m_bob.rootId, "news");
        QSignalSpy added(&m_device->outbox(), &client::Outbox::messageStored);

        const auto id = conversations.react(conversation, theirs, "🎉", false);
        QVERIFY(id);
        QCOMPARE(added.count(), 1);
        const auto body = added.at(0).at(1).value<content::Content>();
        QCOMPARE(body.reaction().target(), bytesOf(theirs));
        QCOMPARE(body.reaction().emoji(), std::string("🎉"));
        QVERIFY(!body.reaction().remove());
        const storage::MessageRecord record = stored(*m_device, *id);
        QCOMPARE(record.contentType, crypto::ContentType::Reaction);
        QVERIFY(record.outgoing);
        const auto sent = client::decodeContent(record.body, crypto::ContentType::Reaction);
        QVERIFY(sent);
        QCOMPARE(sent->reaction().target(), bytesOf(theirs));

        const auto taken = conversations.react(conversation, theirs, "🎉", true);
        QVERIFY(taken);
        QVERIFY(added.at(1).at(1).value<content::Content>().reaction().remove());
        QCOMPARE(queued(*m_device).size(), std::size_t{2});

        // The emoji is one short sequence; the target a message of this conversation.
        QCOMPARE(refusal(conversations.react(conversation, theirs, "", false)),
                 std::optional(client::SessionError::InvalidArgument));
        QCOMPARE(refusal(conversations.react(conversation, theirs, std::string(65, 'e'), false)),
                 std::optional(client::SessionError::InvalidArgument));
        QVERIFY(conversations.react(conversation, theirs, std::string(64, 'e'), false));
        const auto elsewhere = m_device->store().conversations().find(conversation).value();
        storage::ConversationRecord other = *elsewhere;
        other.id = crypto::randomId<crypto::ConversationId>(crypto::systemRandom());
        other.kind = storage::ConversationKind::Room;
        other.peerRootId.reset();
        QVERIFY(m_device->store().conversations().save(other));
        QCOMPARE(refusal(conversations.react(other.id, theirs, "🎉", false)),
                 std::optional(client::SessionError::UnknownMessage));
        QCOMPARE(refusal(conversations.react(
                     conversation, crypto::randomId<crypto::MessageId>(crypto::systemRandom()), "🎉",
                     false)),
                 std::optional(client::SessionError::UnknownMessage));
        QCOMPARE(queued(*m_device).size(), std::size_t{3});
    }

    void onlyTheSenderEditsTheirOwnText() {
        client::Conversations& conversations = m_device->conversations();
        const auto conversation = conversations.openDirect("bob").value();
        const auto theirs = receiveText(*m_device, conversation, m_bob.rootId, "first");
        const auto mine = conversations.sendText(conversation, "draft", theirs).value();
        const auto reaction = conversations.react(conversation, theirs, "👍", false).value();
        QSignalSpy changed(&conversations, &client::Conversations::messageChanged);
        QSignalSpy added(&m_device->outbox(), &client::Outbox::messageStored);

        const auto edit = conversations.edit(conversation, mine, "final");
        QVERIFY(edit);
        QVERIFY(*edit != mine);
        // The edited message is announced as changed (by its own id); the edit itself is only
        // queued, never stored as a message of its own.
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<crypto::MessageId>(), mine);
        QCOMPARE(added.count(), 0);
        QVERIFY(!isStored(*m_device, *edit));
        const storage::MessageRecord record = stored(*m_device, mine);
        QCOMPARE(textOf(record), std::string("final"));
        QVERIFY(record.edited);
        QCOMPARE(record.replyTo, std::optional<crypto::MessageId>(theirs));
        const auto sends = queued(*m_device);
        QCOMPARE(sends.back().message_id(), bytesOf(*edit));
        QCOMPARE(sends.back().content_type(), std::uint32_t(crypto::ContentType::Edit));
        QCOMPARE(contentOf(sends.back()).edit().target(), bytesOf(mine));
        QCOMPARE(contentOf(sends.back()).edit().text(), std::string("final"));
        const std::size_t queuedBefore = sends.size();

        // Someone else's message, a message that is not text, a message of another
        // conversation, and bad text: refused, nothing stored, queued or announced.
        QCOMPARE(refusal(conversations.edit(conversation, theirs, "mine now")),
                 std::optional(client::SessionError::NotTheSender));
        QCOMPARE(refusal(conversations.edit(conversation, reaction, "text")),
                 std::optional(client::SessionError::NotTheSender));
        QCOMPARE(refusal(conversations.edit(
                     crypto::randomId<crypto::ConversationId>(crypto::systemRandom()), mine,
                     "elsewhere")),
                 std::optional(client::SessionError::UnknownMessage));
        QCOMPARE(refusal(conversations.edit(conversation, mine, "")),
                 std::optional(client::SessionError::InvalidArgument));
        QCOMPARE(textOf(stored(*m_device, theirs)), std::string("first"));
        QVERIFY(!stored(*m_device, theirs).edited);
        QCOMPARE(textOf(stored(*m_device, mine)), std::string("final"));
        QCOMPARE(queued(*m_device).size(), queuedBefore);
        QCOMPARE(changed.count(), 1);

        // A deleted message stays deleted.
        QVERIFY(conversations.deleteForEveryone(conversation, mine));
        QCOMPARE(refusal(conversations.edit(conversation, mine, "back")),
                 std::optional(client::SessionError::NotTheSender));
        QVERIFY(stored(*m_device, mine).deleted);
    }

    void onlyTheSenderDeletesForEveryone() {
        client::Conversations& conversations = m_device->conversations();
        const auto conversation = conversations.openDirect("bob").value();
        const auto theirs = receiveText(*m_device, conversation, m_bob.rootId, "keep");
        const auto mine = conversations.sendText(conversation, "oops", std::nullopt).value();
        QSignalSpy changed(&conversations, &client::Conversations::messageChanged);

        const auto deletion = conversations.deleteForEveryone(conversation, mine);
        QVERIFY(deletion);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<crypto::MessageId>(), mine);
        const storage::MessageRecord tombstone = stored(*m_device, mine);
        QVERIFY(tombstone.deleted);
        QVERIFY(tombstone.body.empty());
        QVERIFY(!isStored(*m_device, *deletion));
        const auto sends = queued(*m_device);
        QCOMPARE(sends.back().message_id(), bytesOf(*deletion));
        QCOMPARE(sends.back().content_type(), std::uint32_t(crypto::ContentType::Delete));
        QCOMPARE(contentOf(sends.back()).delete_().target(), bytesOf(mine));

        QCOMPARE(refusal(conversations.deleteForEveryone(conversation, theirs)),
                 std::optional(client::SessionError::NotTheSender));
        QCOMPARE(refusal(conversations.deleteForEveryone(
                     conversation, crypto::randomId<crypto::MessageId>(crypto::systemRandom()))),
                 std::optional(client::SessionError::UnknownMessage));
        QVERIFY(!stored(*m_device, theirs).deleted);
        QCOMPARE(textOf(stored(*m_device, theirs)), std::string("keep"));
        QCOMPARE(queued(*m_device).size(), sends.size());
        QCOMPARE(changed.count(), 1);
    }

    void markReadStartsBurnTimersAndSendsOneReceipt() {
        client::Conversations& conversations = m_device->conversations();
        const auto conversation = conversations.openDirect("bob").value();
        const auto burning =
            receiveText(*m_device, conversation, m_bob.rootId, "burn me", {3600, true, 30});
        const auto plain = receiveText(*m_device, conversation, m_bob.rootId, "plain");
        const auto mine = conversations.sendText(conversation, "mine", std::nullopt).value();
        const auto unknown = crypto::randomId<crypto::MessageId>(crypto::systemRandom());
        const std::size_t queuedBefore = queued(*m_device).size();
        QSignalSpy changed(&conversations, &client::Conversations::messageChanged);

        const std::int64_t before = m_device->context().now();
        QVERIFY(conversations.markRead(conversation, {burning, plain, mine, unknown}));
        const std::int64_t after = m_device->context().now();

        // Each message found is announced as changed; an unknown id is skipped.
        QCOMPARE(changed.count(), 3);
        QCOMPARE(changed.at(0).at(0).value<crypto::MessageId>(), burning);
        QCOMPARE(changed.at(1).at(0).value<crypto::MessageId>(), plain);
        QCOMPARE(changed.at(2).at(0).value<crypto::MessageId>(), mine);
        const storage::MessageRecord burnt = stored(*m_device, burning);
        QCOMPARE(burnt.readState, storage::ReadState::Read);
        QVERIFY(burnt.shownAtMs);
        QVERIFY(*burnt.shownAtMs >= before && *burnt.shownAtMs <= after);
        QCOMPARE(burnt.burnDeadlineMs, std::optional<std::int64_t>(*burnt.shownAtMs + 30'000));
        QCOMPARE(stored(*m_device, plain).readState, storage::ReadState::Read);
        QVERIFY(!stored(*m_device, plain).burnDeadlineMs);

        // One receipt, for the received messages only.
        auto sends = queued(*m_device);
        QCOMPARE(sends.size(), queuedBefore + 1);
        QCOMPARE(sends.back().content_type(), std::uint32_t(crypto::ContentType::ReadReceipt));
        const auto receipt = contentOf(sends.back()).read_receipt();
        QCOMPARE(receipt.message_ids_size(), 2);
        QCOMPARE(receipt.message_ids(0), bytesOf(burning));
        QCOMPARE(receipt.message_ids(1), bytesOf(plain));

        // Shown again: announced again, but no second receipt and the burn timer stays.
        QVERIFY(conversations.markRead(conversation, {burning}));
        QCOMPARE(changed.count(), 4);
        QCOMPARE(queued(*m_device).size(), queuedBefore + 1);
        QCOMPARE(stored(*m_device, burning).burnDeadlineMs, burnt.burnDeadlineMs);

        // A message of this conversation asked for under another: untouched.
        const auto other = receiveText(*m_device, conversation, m_bob.rootId, "later");
        QVERIFY(conversations.markRead(
            crypto::randomId<crypto::ConversationId>(crypto::systemRandom()), {other}));
        QCOMPARE(stored(*m_device, other).readState, storage::ReadState::Unread);
        QCOMPARE(changed.count(), 4);
    }

    void aFileIsImportedEncryptedAndQueuedWithItsMessage() {
        client::Conversations& conversations = m_device->conversations();
        const auto conversation = conversations.openDirect("bob").value();
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray contents("a plain text file\n");
        file.write(contents);
        file.close();
        QSignalSpy added(&m_device->outbox(), &client::Outbox::messageStored);

        const auto id = conversations.sendFile(conversation, path);
        QVERIFY(id);
        QCOMPARE(added.count(), 1);
        const auto announced = added.at(0).at(1).value<content::Content>().file();
        QCOMPARE(announced.file_name(), std::string("notes.txt"));
        QCOMPARE(announced.mime_type(), std::string("text/plain"));
        QCOMPARE(announced.size(), std::uint64_t(contents.size()));
        QCOMPARE(stored(*m_device, *id).contentType, crypto::ContentType::File);

        const auto attachments = m_device->store().attachments().ofMessage(*id).value();
        QCOMPARE(attachments.size(), std::size_t{1});
        QCOMPARE(attachments[0].fileName, std::string("notes.txt"));
        QCOMPARE(attachments[0].size, std::uint64_t(contents.size()));
        QVERIFY(attachments[0].localName);
        std::ostringstream plaintext;
        QVERIFY(m_device->store().attachments().read(attachments[0].id, plaintext));
        QCOMPARE(QByteArray::fromStdString(plaintext.str()), contents);
        const auto sends = queued(*m_device);
        QCOMPARE(sends.size(), std::size_t{1});
        QCOMPARE(sends[0].attachment_id(), attachments[0].id);

        const auto missing =
            conversations.sendFile(conversation, folder.filePath(QStringLiteral("absent")));
        QVERIFY(!missing);
        QCOMPARE(missing.error(), client::SessionError::FileError);
        QCOMPARE(refusal(conversations.sendFile(conversation, folder.path())),
                 std::optional(client::SessionError::FileError));
        QCOMPARE(m_device->store().messages().page(conversation).value().size(), std::size_t{1});
        QCOMPARE(queued(*m_device).size(), std::size_t{1});
        QCOMPARE(added.count(), 1);
    }

    void nothingAfterSignOut() {
        client::Conversations& conversations = m_device->conversations();
        const auto conversation = conversations.openDirect("bob").value();
        const auto theirs = receiveText(*m_device, conversation, m_bob.rootId, "hi");
        m_device->context().signedOut = true;
        const auto signedOut = std::optional(client::SessionError::SignedOut);
        QCOMPARE(refusal(conversations.openDirect("bob")), signedOut);
        QCOMPARE(refusal(conversations.sendText(conversation, "late", std::nullopt)), signedOut);
        QCOMPARE(refusal(conversations.react(conversation, theirs, "👍", false)), signedOut);
        QCOMPARE(refusal(conversations.edit(conversation, theirs, "x")), signedOut);
        QCOMPARE(refusal(conversations.deleteForEveryone(conversation, theirs)), signedOut);
        QCOMPARE(refusal(conversations.markRead(conversation, {theirs})), signedOut);
        QCOMPARE(refusal(conversations.sendFile(conversation, QStringLiteral("/etc/hostname"))),
                 signedOut);
        QCOMPARE(stored(*m_device, theirs).readState, storage::ReadState::Unread);
        QCOMPARE(queued(*m_device).size(), std::size_t{0});
    }

private:
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<RoleDevice> m_device;
    storage::ContactRecord m_bob;
};

QTEST_GUILESS_MAIN(ConversationsTest)
#include "tst_conversations.moc"
