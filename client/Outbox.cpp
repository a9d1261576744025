// SPDX-License-Identifier: Apache-2.0
// The send pipeline: a message goes to the store and the outbox first; the pump encrypts it
// for every device of every recipient (and this account's other devices) when the server is
// reachable.
#include "client/Outbox.h"

#include "client/ContentCodec.h"
#include "client/DeviceDirectory.h"
#include "client/Expiry.h"
#include "client/FileTransfer.h"
#include "client/PrekeyCache.h"
#include "client/RoomService.h"
#include "client/SessionContext.h"
#include "client/SessionInternal.h"
#include "client/WorkLoop.h"

#include "crypto/PacketEncoder.h"
#include "crypto/Transcript.h"

#include <QFileInfo>

#include <set>

namespace cinder::client {

using crypto::fail;
using detail::orFail;
using detail::str;
using detail::view;

namespace {

const std::string_view kSequenceSetting = "next-sequence";
constexpr std::uint32_t kOutboxKindMessage = 1;
constexpr std::uint32_t kMaxSendAttempts = 5;
constexpr int kOutboxBatch = 50;

crypto::Bytes encodeU64(std::uint64_t value) {
    crypto::Bytes out(8);
    for (int i = 7; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value & 0xff);
        value >>= 8;
    }
    return out;
}

std::uint64_t decodeU64(const crypto::Bytes& bytes) {
    std::uint64_t value = 0;
    for (const std::uint8_t byte : bytes) {
        value = (value << 8) | byte;
    }
    return value;
}

// The message a reply or a reaction refers to.
std::optional<crypto::MessageId> replyToOf(const content::Content& body) {
    if (body.has_reaction()) {
        return detail::idFrom<crypto::MessageId>(body.reaction().target());
    }
    if (body.has_text() && !body.text().reply_to().empty()) {
        return detail::idFrom<crypto::MessageId>(body.text().reply_to());
    }
    return std::nullopt;
}

} // namespace

Outbox::Outbox(ServerChannel& channel, const OutboxTables& tables, const SessionContext& context,
               DeviceDirectory& directory, PrekeyCache& prekeys, FileTransfer& files,
               Expiry& expiry, WorkLoop& work)
    : m_channel(channel), m_tables(tables), m_context(context), m_directory(directory),
      m_prekeys(prekeys), m_files(files), m_expiry(expiry), m_work(work) {}

std::uint64_t Outbox::nextSequence() {
    std::uint64_t next = 1;
    if (auto stored = m_tables.settings.get(kSequenceSetting);
        stored && *stored && (*stored)->size() == 8) {
        next = decodeU64(**stored);
    }
    (void)m_tables.settings.set(kSequenceSetting, encodeU64(next + 1));
    return next;
}

SessionResult<std::vector<crypto::RootId>>
Outbox::recipientsOf(const storage::ConversationRecord& conversation) {
    const crypto::RootId& self = m_context.rootId;
    if (conversation.kind == storage::ConversationKind::Direct) {
        if (!conversation.peerRootId) {
            return fail(SessionError::UnknownConversation);
        }
        CINDER_TRY_ASSIGN(const auto contact, m_tables.contacts.find(*conversation.peerRootId));
        if (contact && contact->identityChanged) {
            return fail(SessionError::IdentityChanged);
        }
        return std::vector<crypto::RootId>{*conversation.peerRootId};
    }
    CINDER_TRY_ASSIGN(const auto room, loadRoom(m_tables.rooms, conversation.id));
    if (!room || !room->isMember(self)) {
        return fail(SessionError::NotAMember);
    }
    std::vector<crypto::RootId> members;
    for (const RoomMember& member : room->members) {
        if (member.rootId != self) {
            members.push_back(member.rootId);
        }
    }
    return members;
}

SessionResult<crypto::MessageId>
Outbox::enqueue(const crypto::ConversationId& conversationId, crypto::ContentType type,
                const content::Content& original, bool storeLocally,
                std::vector<crypto::RootId> extraRecipients, const AttachHook& attach) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(auto found, m_tables.conversations.find(conversationId));
    CINDER_TRY_ASSIGN(const auto conversation,
                      orFail(std::move(found), SessionError::UnknownConversation));
    CINDER_TRY_ASSIGN(const auto recipients, recipientsOf(conversation));
    std::set<crypto::RootId> all(recipients.begin(), recipients.end());
    all.insert(extraRecipients.begin(), extraRecipients.end());
    all.erase(m_context.rootId);

    content::Content body = original;
    if (conversation.kind == storage::ConversationKind::Direct) {
        body.set_direct_peer(str(*conversation.peerRootId));
    }
    const crypto::Ephemerality timers = m_expiry.timersToSend(conversation.defaults);
    const crypto::MessageId messageId = crypto::randomId<crypto::MessageId>(crypto::systemRandom());
    const std::int64_t sentAt = m_context.now();
    const crypto::Bytes bytes = encodeContent(body);

    std::optional<storage::MessageRecord> stored;
    if (storeLocally) {
        storage::MessageRecord& record = stored.emplace();
        record.id = messageId;
        record.conversationId = conversationId;
        record.senderRootId = m_context.rootId;
        record.senderNodeId = m_context.nodeId;
        record.sentAtMs = sentAt;
        record.receivedAtMs = sentAt;
        record.contentType = type;
        record.body = bytes;
        record.outgoing = true;
        record.ephemerality = timers;
        record.readState = storage::ReadState::Queued; // until the server has it
        record.replyTo = replyToOf(body);
        CINDER_TRY(m_tables.messages.insert(record));
    }
    std::int64_t attachmentId = 0;
    if (attach) {
        auto attached = attach(messageId);
        if (!attached) {
            (void)m_tables.messages.remove(messageId);
            return fail(attached.error());
        }
        attachmentId = *attached;
    }

    content::PendingSend pending;
    pending.set_message_id(str(messageId));
    pending.set_conversation_id(str(conversationId));
    pending.set_sequence(nextSequence());
    pending.set_sent_at_ms(sentAt);
    pending.set_content_type(static_cast<std::uint32_t>(type));
    pending.set_ttl_seconds(timers.ttlSeconds);
    pending.set_burn_on_read(timers.burnOnRead);
    pending.set_burn_seconds(timers.burnSeconds);
    pending.set_content(str(bytes));
    for (const crypto::RootId& recipient : all) {
        pending.add_recipient_root_ids(str(recipient));
    }
    pending.set_use_fanout(conversation.kind == storage::ConversationKind::Room);
    pending.set_attachment_id(attachmentId);

    storage::OutboxItem item;
    item.messageId = messageId;
    item.kind = kOutboxKindMessage;
    const std::string serialized = pending.SerializeAsString();
    item.payload = crypto::Bytes(serialized.begin(), serialized.end());
    item.createdAtMs = sentAt;
    item.expiresAtMs = sentAt + std::int64_t{timers.ttlSeconds} * 1000;
    if (auto queued = m_tables.outbox.enqueue(item); !queued) {
        if (storeLocally) {
            (void)m_tables.messages.remove(messageId); // it would wait forever for a send
        }
        return fail(detail::errorOf(queued.error()));
    }
    if (stored) {
        Q_EMIT messageStored(*stored, body);
    }
    m_work.schedule();
    return messageId;
}

SessionResult<std::size_t> Outbox::size() {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(const auto items, m_tables.outbox.peek(storage::kMaxPageSize));
    return items.size();
}

bool Outbox::onlyHeldBackLeft() {
    auto pending = m_tables.outbox.peek(storage::kMaxPageSize);
    return pending && pending->size() <= m_heldBack;
}

SessionResult<crypto::Sha256Digest>
Outbox::updateFanout(const crypto::ConversationId& room,
                     const google::protobuf::RepeatedPtrField<std::string>& nodeIds) {
    crypto::Transcript name("cinder/v1/hash/fanout-id");
    name.add(crypto::Field::Data, room).add(crypto::Field::RootId, m_context.rootId);
    const crypto::Sha256Digest fanoutId = crypto::sha256(name.view());

    std::vector<std::string> sorted(nodeIds.begin(), nodeIds.end());
    std::sort(sorted.begin(), sorted.end());
    crypto::Transcript members("cinder/v1/hash/fanout-members");
    for (const std::string& node : sorted) {
        members.add(crypto::Field::NodeId, view(node));
    }
    const crypto::Sha256Digest digest = crypto::sha256(members.view());
    const std::string setting = "fanout/" + crypto::toHex(fanoutId);
    if (auto stored = m_tables.settings.get(setting);
        stored && *stored && **stored == crypto::Bytes(digest.begin(), digest.end())) {
        return fanoutId;
    }
    api::FanoutList list;
    list.set_fanout_id(str(fanoutId));
    for (const std::string& node : sorted) {
        list.add_node_ids(node);
    }
    CINDER_TRY(detail::accepted(m_channel.call(api::VERB_SET_FANOUT, list)));
    (void)m_tables.settings.set(setting, digest);
    return fanoutId;
}

SessionResult<std::string> Outbox::withUploadedFile(const content::PendingSend& pending) {
    CINDER_TRY(m_files.upload(pending.attachment_id()));
    auto attachment = m_tables.attachments.find(pending.attachment_id());
    content::Content body;
    if (!attachment || !body.ParseFromString(pending.content()) || !body.has_file()) {
        return fail(SessionError::StorageFailure);
    }
    const auto path = attachment->localName
                          ? m_tables.attachments.files().pathOf(*attachment->localName)
                          : std::nullopt;
    if (!path) {
        return fail(SessionError::StorageFailure);
    }
    content::FileDescriptor* file = body.mutable_file();
    file->set_blob_id(str(attachment->blobId));
    file->set_file_key(reinterpret_cast<const char*>(attachment->fileKey.data()),
                       attachment->fileKey.size()); // no std::string temporary
    file->set_ciphertext_sha256(str(attachment->ciphertextSha256));
    file->set_size(attachment->size);
    file->set_ciphertext_size(static_cast<std::uint64_t>(QFileInfo(*path).size()));
    std::string bytes = body.SerializeAsString();
    detail::wipeKeys(body);
    return bytes;
}

SessionResult<bool> Outbox::sendPending(const storage::OutboxItem& item) {
    content::PendingSend pending;
    if (!pending.ParseFromArray(item.payload.data(), static_cast<int>(item.payload.size()))) {
        return fail(SessionError::StorageFailure);
    }
    const auto messageId = detail::idFrom<crypto::MessageId>(pending.message_id());
    const auto conversationId = detail::idFrom<crypto::ConversationId>(pending.conversation_id());
    if (!messageId || !conversationId) {
        return fail(SessionError::StorageFailure);
    }
    std::string contentBytes = pending.content();
    // With a file it carries the file key: wiped when this attempt ends, however it ends.
    const detail::WipeOnExit wipeContent(contentBytes);
    if (pending.attachment_id() != 0) {
        CINDER_TRY_ASSIGN(contentBytes, withUploadedFile(pending));
    }

    // Every device of every recipient, and this account's other devices.
    const crypto::RootId& self = m_context.rootId;
    std::vector<crypto::RootId> roots{self};
    for (const std::string& raw : pending.recipient_root_ids()) {
        if (const auto id = detail::idFrom<crypto::RootId>(raw)) {
            roots.push_back(*id);
        }
    }
    const bool direct = !pending.use_fanout();
    std::vector<const crypto::VerifiedNode*> nodes;
    for (const crypto::RootId& root : roots) {
        auto list = m_directory.devicesOf(root, false);
        if (!list && list.error() == SessionError::UnknownUser && root != self) {
            // A room member never met before: pin the key the server publishes now.
            if (m_directory.pinById(root)) {
                list = m_directory.devicesOf(root, false);
            }
        }
        if (!list) {
            if (list.error() == SessionError::IdentityChanged) {
                if (direct) {
                    return false; // held until the user accepts the new identity
                }
                continue; // a room goes on without the member in doubt
            }
            if (list.error() == SessionError::NotConnected) {
                return fail(list.error());
            }
            qCWarning(lcSession) << "no devices for a recipient:" << describe(list.error()).data();
            continue;
        }
        for (const crypto::VerifiedNode& node : (*list)->nodes()) {
            if (node.nodeId() != m_context.nodeId) {
                nodes.push_back(&node);
            }
        }
    }
    if (nodes.empty()) {
        return true; // nobody else to tell (a single-device note to self)
    }
    CINDER_TRY_ASSIGN(const auto prekeys, m_prekeys.take(nodes));
    std::vector<crypto::RecipientDevice> recipients;
    api::SendRequest request;
    for (const crypto::VerifiedPrekey& prekey : prekeys) {
        const auto node = std::find_if(nodes.begin(), nodes.end(), [&](const auto* n) {
            return n->nodeId() == prekey.nodeId();
        });
        if (node == nodes.end()) {
            continue;
        }
        recipients.push_back(crypto::RecipientDevice{*node, &prekey});
        request.add_recipient_node_ids(str(prekey.nodeId()));
    }
    if (recipients.empty()) {
        return fail(SessionError::NoDevices);
    }

    crypto::MessageMetadata metadata;
    metadata.messageId = *messageId;
    metadata.sequence = pending.sequence();
    metadata.sentAtMs = pending.sent_at_ms();
    metadata.contentType = static_cast<crypto::ContentType>(pending.content_type());
    metadata.ephemerality = {pending.ttl_seconds(), pending.burn_on_read(), pending.burn_seconds()};
    metadata.conversationId = *conversationId;
    const crypto::PacketEncoder encoder(*m_context.node);
    auto packet = encoder.encode(metadata, crypto::asBytes(contentBytes), recipients);
    if (!packet) {
        qCWarning(lcSession) << "message not encrypted:" << describe(packet.error()).data();
        return fail(SessionError::CryptoFailure);
    }
    request.set_packet(str(*packet));
    request.set_ttl_seconds(pending.ttl_seconds());
    if (pending.use_fanout()) {
        // A room goes through this device's fan-out list on the server: one list per room,
        // uploaded again only when the devices change. The list only routes; the packet is
        // readable by exactly the devices it was encrypted to above.
        CINDER_TRY_ASSIGN(const auto fanout,
                          updateFanout(*conversationId, request.recipient_node_ids()));
        request.clear_recipient_node_ids();
        request.set_fanout_id(str(fanout));
    }
    CINDER_TRY(detail::accepted(m_channel.call(api::VERB_SEND, request)));
    return true;
}

void Outbox::pump() {
    auto items = m_tables.outbox.peek(kOutboxBatch);
    if (!items) {
        return;
    }
    std::size_t sent = 0;
    m_heldBack = 0;
    for (const storage::OutboxItem& item : *items) {
        if (!m_channel.isConnected() || m_context.signedOut) {
            return;
        }
        auto outcome = sendPending(item);
        if (outcome && !*outcome) {
            ++m_heldBack;
            continue; // held back
        }
        if (!outcome) {
            if (outcome.error() == SessionError::NotConnected) {
                return; // everything waits for the next connection
            }
            if (outcome.error() == SessionError::TransferFailed) {
                continue; // the upload resumes on the next round
            }
            (void)m_tables.outbox.recordAttempt(item.id);
            if (item.attempts + 1 < kMaxSendAttempts) {
                continue;
            }
            qCWarning(lcSession) << "gave up sending a message:"
                                 << describe(outcome.error()).data();
        }
        (void)m_tables.outbox.remove(item.id);
        ++sent;
        if (item.messageId) {
            // A stored message (edits, receipts and room controls have none) now shows sent,
            // or not sent; one already seen stays seen.
            const auto state = outcome ? storage::ReadState::Read : storage::ReadState::Failed;
            if (auto settled = m_tables.messages.settleQueued(*item.messageId, state);
                settled && *settled) {
                Q_EMIT messageChanged(*item.messageId);
            }
        }
    }
    if (sent == static_cast<std::size_t>(kOutboxBatch)) {
        m_work.schedule();
    }
}

} // namespace cinder::client
