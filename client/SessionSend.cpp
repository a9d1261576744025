// SPDX-License-Identifier: Apache-2.0
// The send pipeline: a message goes to the store and the outbox first; the outbox pump
// encrypts it for every device of every recipient (and this account's other devices) when the
// server is reachable.
#include "client/ContentCodec.h"
#include "client/Session.h"
#include "client/SessionInternal.h"

#include "crypto/Hash.h"
#include "crypto/PacketEncoder.h"
#include "crypto/Transcript.h"

#include <QFileInfo>

#include <set>

namespace cinder::client {

using crypto::fail;
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

const std::string_view kDefaultTimersSetting = "default-timers";

std::uint64_t decodeU64(const crypto::Bytes& bytes) {
    std::uint64_t value = 0;
    for (const std::uint8_t byte : bytes) {
        value = (value << 8) | byte;
    }
    return value;
}

} // namespace

std::uint64_t Session::nextSequence() {
    std::uint64_t next = 1;
    if (auto stored = m_store->settings().get(kSequenceSetting);
        stored && *stored && (*stored)->size() == 8) {
        next = decodeU64(**stored);
    }
    (void)m_store->settings().set(kSequenceSetting, encodeU64(next + 1));
    return next;
}

SessionResult<crypto::ConversationId> Session::openDirect(std::string_view username) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto contact = addContact(username);
    if (!contact) {
        return fail(contact.error());
    }
    const crypto::ConversationId id = detail::directConversationId(rootId(), contact->rootId);
    auto existing = m_store->conversations().find(id);
    if (!existing) {
        return fail(detail::errorOf(existing.error()));
    }
    if (!*existing) {
        storage::ConversationRecord conversation;
        conversation.id = id;
        conversation.kind = storage::ConversationKind::Direct;
        conversation.title = contact->username;
        conversation.peerRootId = contact->rootId;
        conversation.defaults = defaultTimers();
        conversation.createdAtMs = now();
        if (auto saved = m_store->conversations().save(conversation); !saved) {
            return fail(detail::errorOf(saved.error()));
        }
        noteConversationChanged(id);
    }
    return id;
}

SessionResult<void> Session::setConversationTimers(const crypto::ConversationId& id,
                                                   const crypto::Ephemerality& timers) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(crypto::validateEphemerality(timers)); // docs/PROTOCOL.md section 8.4
    auto conversation = m_store->conversations().find(id);
    if (!conversation) {
        return fail(detail::errorOf(conversation.error()));
    }
    if (!*conversation) {
        return fail(SessionError::UnknownConversation);
    }
    storage::ConversationRecord updated = std::move(**conversation);
    updated.defaults = timers;
    if (auto saved = m_store->conversations().save(updated); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    noteConversationChanged(id);
    return {};
}

crypto::Ephemerality Session::defaultTimers() {
    crypto::Ephemerality timers{m_options.defaultTtlSeconds, false, 0};
    if (m_signedOut) {
        return timers;
    }
    if (auto stored = m_store->settings().get(kDefaultTimersSetting);
        stored && *stored && (*stored)->size() == 9) {
        const crypto::Bytes& b = **stored;
        const auto u32 = [&](std::size_t at) {
            return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
                   (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
        };
        const crypto::Ephemerality stored_{u32(0), b[4] != 0, u32(5)};
        if (crypto::validateEphemerality(stored_)) {
            timers = stored_;
        }
    }
    return timers;
}

SessionResult<void> Session::setDefaultTimers(const crypto::Ephemerality& timers) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(crypto::validateEphemerality(timers)); // docs/PROTOCOL.md section 8.4
    crypto::Bytes b(9);
    const auto put = [&](std::size_t at, std::uint32_t v) {
        b[at] = static_cast<std::uint8_t>(v >> 24);
        b[at + 1] = static_cast<std::uint8_t>(v >> 16);
        b[at + 2] = static_cast<std::uint8_t>(v >> 8);
        b[at + 3] = static_cast<std::uint8_t>(v);
    };
    put(0, timers.ttlSeconds);
    b[4] = timers.burnOnRead ? 1 : 0;
    put(5, timers.burnSeconds);
    if (auto saved = m_store->settings().set(kDefaultTimersSetting, b); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    return {};
}

SessionResult<std::vector<crypto::RootId>>
Session::recipientsOf(const storage::ConversationRecord& conversation) {
    if (conversation.kind == storage::ConversationKind::Direct) {
        if (!conversation.peerRootId) {
            return fail(SessionError::UnknownConversation);
        }
        auto contact = m_store->contacts().find(*conversation.peerRootId);
        if (!contact) {
            return fail(detail::errorOf(contact.error()));
        }
        if (*contact && (*contact)->identityChanged) {
            return fail(SessionError::IdentityChanged);
        }
        return std::vector<crypto::RootId>{*conversation.peerRootId};
    }
    auto room = loadRoom(conversation.id);
    if (!room) {
        return fail(room.error());
    }
    if (!*room || !(*room)->isMember(rootId())) {
        return fail(SessionError::NotAMember);
    }
    std::vector<crypto::RootId> members;
    for (const RoomMember& member : (*room)->members) {
        if (member.rootId != rootId()) {
            members.push_back(member.rootId);
        }
    }
    return members;
}

SessionResult<crypto::MessageId>
Session::enqueue(const crypto::ConversationId& conversationId, crypto::ContentType type,
                 const content::Content& original, bool storeLocally,
                 std::vector<crypto::RootId> extraRecipients, const AttachHook& attach) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto conversation = m_store->conversations().find(conversationId);
    if (!conversation) {
        return fail(detail::errorOf(conversation.error()));
    }
    if (!*conversation) {
        return fail(SessionError::UnknownConversation);
    }
    auto recipients = recipientsOf(**conversation);
    if (!recipients) {
        return fail(recipients.error());
    }
    std::set<crypto::RootId> all(recipients->begin(), recipients->end());
    all.insert(extraRecipients.begin(), extraRecipients.end());
    all.erase(rootId());

    content::Content body = original;
    if ((*conversation)->kind == storage::ConversationKind::Direct) {
        body.set_direct_peer(str(*(*conversation)->peerRootId));
    }
    crypto::Ephemerality timers = (*conversation)->defaults;
    if (timers.ttlSeconds == 0) {
        timers.ttlSeconds = m_options.defaultTtlSeconds;
    }
    const crypto::MessageId messageId = crypto::randomId<crypto::MessageId>(crypto::systemRandom());
    const std::int64_t sentAt = now();
    const crypto::Bytes bytes = encodeContent(body);

    std::optional<storage::MessageRecord> stored;
    if (storeLocally) {
        storage::MessageRecord& record = stored.emplace();
        record.id = messageId;
        record.conversationId = conversationId;
        record.senderRootId = rootId();
        record.senderNodeId = nodeId();
        record.sentAtMs = sentAt;
        record.receivedAtMs = sentAt;
        record.contentType = type;
        record.body = bytes;
        record.outgoing = true;
        record.ephemerality = timers;
        record.readState = storage::ReadState::Queued; // until the server has it
        if (body.has_reaction()) {
            record.replyTo = detail::idFrom<crypto::MessageId>(body.reaction().target());
        } else if (body.has_text() && !body.text().reply_to().empty()) {
            record.replyTo = detail::idFrom<crypto::MessageId>(body.text().reply_to());
        }
        if (auto inserted = m_store->messages().insert(record); !inserted) {
            return fail(detail::errorOf(inserted.error()));
        }
    }
    std::int64_t attachmentId = 0;
    if (attach) {
        auto attached = attach(messageId);
        if (!attached) {
            (void)m_store->messages().remove(messageId);
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
    pending.set_use_fanout((*conversation)->kind == storage::ConversationKind::Room);
    pending.set_attachment_id(attachmentId);

    storage::OutboxItem item;
    item.messageId = messageId;
    item.kind = kOutboxKindMessage;
    const std::string serialized = pending.SerializeAsString();
    item.payload = crypto::Bytes(serialized.begin(), serialized.end());
    item.createdAtMs = sentAt;
    item.expiresAtMs = sentAt + std::int64_t{timers.ttlSeconds} * 1000;
    if (auto queued = m_store->outbox().enqueue(item); !queued) {
        if (storeLocally) {
            (void)m_store->messages().remove(messageId); // it would wait forever for a send
        }
        return fail(detail::errorOf(queued.error()));
    }
    if (stored) {
        announceAdded(*stored, body);
    }
    scheduleWork();
    return messageId;
}

SessionResult<crypto::MessageId> Session::sendText(const crypto::ConversationId& conversation,
                                                   std::string_view text,
                                                   std::optional<crypto::MessageId> replyTo) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (text.empty() || text.size() > kMaxTextBytes) {
        return fail(SessionError::InvalidArgument);
    }
    content::Content body;
    body.mutable_text()->set_text(std::string(text));
    if (replyTo) {
        body.mutable_text()->set_reply_to(str(*replyTo));
    }
    return enqueue(conversation, crypto::ContentType::Text, body, true);
}

SessionResult<crypto::MessageId> Session::react(const crypto::ConversationId& conversation,
                                                const crypto::MessageId& target,
                                                std::string_view emoji, bool remove) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (emoji.empty() || emoji.size() > 64) {
        return fail(SessionError::InvalidArgument);
    }
    auto found = m_store->messages().find(target);
    if (!found || !*found || (*found)->conversationId != conversation) {
        return fail(SessionError::UnknownMessage);
    }
    content::Content body;
    body.mutable_reaction()->set_target(str(target));
    body.mutable_reaction()->set_emoji(std::string(emoji));
    body.mutable_reaction()->set_remove(remove);
    return enqueue(conversation, crypto::ContentType::Reaction, body, true);
}

SessionResult<crypto::MessageId> Session::edit(const crypto::ConversationId& conversation,
                                               const crypto::MessageId& target,
                                               std::string_view text) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (text.empty() || text.size() > kMaxTextBytes) {
        return fail(SessionError::InvalidArgument);
    }
    auto found = m_store->messages().find(target);
    if (!found || !*found || (*found)->conversationId != conversation) {
        return fail(SessionError::UnknownMessage);
    }
    if (!(*found)->outgoing || (*found)->senderRootId != rootId() || (*found)->deleted ||
        (*found)->contentType != crypto::ContentType::Text) {
        return fail(SessionError::NotTheSender);
    }
    content::Content body;
    body.mutable_edit()->set_target(str(target));
    body.mutable_edit()->set_text(std::string(text));
    auto queued = enqueue(conversation, crypto::ContentType::Edit, body, false);
    if (!queued) {
        return queued;
    }
    content::Content replaced;
    replaced.mutable_text()->set_text(std::string(text));
    if ((*found)->replyTo) {
        replaced.mutable_text()->set_reply_to(str(*(*found)->replyTo));
    }
    if (auto applied = m_store->messages().applyEdit(target, encodeContent(replaced)); !applied) {
        return fail(detail::errorOf(applied.error()));
    }
    announceUpdated(target);
    return queued;
}

SessionResult<crypto::MessageId>
Session::deleteForEveryone(const crypto::ConversationId& conversation,
                           const crypto::MessageId& target) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto found = m_store->messages().find(target);
    if (!found || !*found || (*found)->conversationId != conversation) {
        return fail(SessionError::UnknownMessage);
    }
    if ((*found)->senderRootId != rootId()) {
        return fail(SessionError::NotTheSender);
    }
    content::Content body;
    body.mutable_delete_()->set_target(str(target));
    auto queued = enqueue(conversation, crypto::ContentType::Delete, body, false);
    if (!queued) {
        return queued;
    }
    if (auto deleted = m_store->messages().markDeleted(target); !deleted) {
        return fail(detail::errorOf(deleted.error()));
    }
    announceUpdated(target);
    return queued;
}

SessionResult<void> Session::markRead(const crypto::ConversationId& conversation,
                                      const std::vector<crypto::MessageId>& ids) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    content::Content body;
    for (const crypto::MessageId& id : ids) {
        auto found = m_store->messages().find(id);
        if (!found || !*found || (*found)->conversationId != conversation) {
            continue;
        }
        const bool firstTime = !(*found)->shownAtMs;
        if (auto shown = m_store->messages().markShown(id, now()); !shown) {
            return fail(detail::errorOf(shown.error()));
        }
        announceUpdated(id);
        if (firstTime && !(*found)->outgoing) {
            body.mutable_read_receipt()->add_message_ids(str(id));
        }
    }
    if (body.has_read_receipt()) {
        if (auto queued = enqueue(conversation, crypto::ContentType::ReadReceipt, body, false);
            !queued) {
            return fail(queued.error());
        }
    }
    return {};
}

SessionResult<std::vector<MessageView>>
Session::messages(const crypto::ConversationId& conversation, int limit) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto page = m_store->messages().page(conversation, std::nullopt, limit);
    if (!page) {
        return fail(detail::errorOf(page.error()));
    }
    std::vector<MessageView> out;
    out.reserve(page->size());
    for (storage::MessageRecord& record : *page) {
        MessageView message;
        // The store is this device's own: its bodies were checked when they arrived.
        if (!record.deleted) {
            (void)message.content.ParseFromArray(record.body.data(),
                                                 static_cast<int>(record.body.size()));
        }
        message.record = std::move(record);
        out.push_back(std::move(message));
    }
    return out;
}

SessionResult<std::size_t> Session::outboxSize() {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto items = m_store->outbox().peek(storage::kMaxPageSize);
    if (!items) {
        return fail(detail::errorOf(items.error()));
    }
    return items->size();
}

SessionResult<std::vector<crypto::VerifiedPrekey>>
Session::takePrekeys(const std::vector<const crypto::VerifiedNode*>& nodes) {
    std::vector<crypto::VerifiedPrekey> out;
    api::FetchPrekeysRequest request;
    std::map<crypto::NodeId, const crypto::VerifiedNode*> missing;
    for (const crypto::VerifiedNode* node : nodes) {
        auto cached = m_prekeys.find(node->nodeId());
        if (cached != m_prekeys.end() && !cached->second.empty()) {
            out.push_back(std::move(cached->second.front()));
            cached->second.pop_front();
        } else {
            missing.emplace(node->nodeId(), node);
            request.add_node_ids(str(node->nodeId()));
        }
        m_prefetchWanted.insert(node->nodeId());
    }
    if (missing.empty()) {
        return out;
    }
    const net::Reply reply = call(api::VERB_FETCH_PREKEYS, request);
    if (!reply.ok()) {
        return fail(detail::errorOf(reply));
    }
    api::FetchPrekeysResponse response;
    if (!reply.parseBody(response)) {
        return fail(SessionError::ServerMisbehaved);
    }
    std::vector<const crypto::VerifiedNode*> owners;
    std::vector<crypto::Bytes> signedPrekeys;
    for (const api::FetchedPrekey& fetched : response.prekeys()) {
        const auto nodeId = detail::idFrom<crypto::NodeId>(fetched.node_id());
        if (!nodeId || fetched.signed_prekey().empty()) {
            continue;
        }
        const auto owner = missing.find(*nodeId);
        if (owner == missing.end()) {
            continue; // not asked for
        }
        owners.push_back(owner->second);
        signedPrekeys.push_back(crypto::toBytes(view(fetched.signed_prekey())));
    }
    auto verified = crypto::verifyPrekeys(owners, signedPrekeys);
    std::set<crypto::NodeId> served;
    for (std::size_t i = 0; i < verified.size(); ++i) {
        if (!verified[i] || !served.insert(owners[i]->nodeId()).second) {
            qCWarning(lcSession) << "server handed out a prekey that does not verify";
            continue;
        }
        out.push_back(std::move(verified[i]).value());
    }
    return out;
}

void Session::prefetchPrekeys() {
    // Keep one verified prekey ready for each device recently written to, so the next message
    // to it is encrypted without a round trip.
    std::vector<crypto::NodeId> wanted;
    for (const crypto::NodeId& node : m_prefetchWanted) {
        auto cached = m_prekeys.find(node);
        if (cached == m_prekeys.end() || cached->second.empty()) {
            wanted.push_back(node);
        }
    }
    m_prefetchWanted.clear();
    if (wanted.empty() || !m_loggedIn) {
        return;
    }
    std::vector<const crypto::VerifiedNode*> nodes;
    for (const auto& [root, cached] : m_devices) {
        for (const crypto::VerifiedNode& node : cached.list.nodes()) {
            if (std::find(wanted.begin(), wanted.end(), node.nodeId()) != wanted.end()) {
                nodes.push_back(&node);
            }
        }
    }
    auto fetched = takePrekeys(nodes);
    m_prefetchWanted.clear();
    if (!fetched) {
        return;
    }
    for (crypto::VerifiedPrekey& prekey : *fetched) {
        m_prekeys[prekey.nodeId()].push_back(std::move(prekey));
    }
}

SessionResult<crypto::Sha256Digest>
Session::updateFanout(const crypto::ConversationId& room,
                      const google::protobuf::RepeatedPtrField<std::string>& nodeIds) {
    crypto::Transcript name("cinder/v1/hash/fanout-id");
    name.add(crypto::Field::Data, room).add(crypto::Field::RootId, rootId());
    const crypto::Sha256Digest fanoutId = crypto::sha256(name.view());

    std::vector<std::string> sorted(nodeIds.begin(), nodeIds.end());
    std::sort(sorted.begin(), sorted.end());
    crypto::Transcript members("cinder/v1/hash/fanout-members");
    for (const std::string& node : sorted) {
        members.add(crypto::Field::NodeId, view(node));
    }
    const crypto::Sha256Digest digest = crypto::sha256(members.view());
    const std::string setting = "fanout/" + crypto::toHex(fanoutId);
    if (auto stored = m_store->settings().get(setting);
        stored && *stored && **stored == crypto::Bytes(digest.begin(), digest.end())) {
        return fanoutId;
    }
    api::FanoutList list;
    list.set_fanout_id(str(fanoutId));
    for (const std::string& node : sorted) {
        list.add_node_ids(node);
    }
    if (const net::Reply reply = call(api::VERB_SET_FANOUT, list); !reply.ok()) {
        return fail(detail::errorOf(reply));
    }
    (void)m_store->settings().set(setting, digest);
    return fanoutId;
}

SessionResult<bool> Session::sendPending(const storage::OutboxItem& item) {
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
        if (auto uploaded = uploadAttachment(pending.attachment_id()); !uploaded) {
            return fail(uploaded.error());
        }
        auto attachment = m_store->attachments().find(pending.attachment_id());
        content::Content body;
        if (!attachment || !body.ParseFromString(contentBytes) || !body.has_file()) {
            return fail(SessionError::StorageFailure);
        }
        const auto path = attachment->localName
                              ? m_store->attachments().files().pathOf(*attachment->localName)
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
        contentBytes = body.SerializeAsString();
        detail::wipeKeys(body);
    }

    // Every device of every recipient, and this account's other devices.
    std::vector<crypto::RootId> roots{rootId()};
    for (const std::string& raw : pending.recipient_root_ids()) {
        if (const auto id = detail::idFrom<crypto::RootId>(raw)) {
            roots.push_back(*id);
        }
    }
    const bool direct = !pending.use_fanout();
    std::vector<const crypto::VerifiedNode*> nodes;
    for (const crypto::RootId& root : roots) {
        auto list = devicesOf(root, false);
        if (!list && list.error() == SessionError::UnknownUser && root != rootId()) {
            // A room member never met before: pin the key the server publishes now.
            api::ProfileRequest request;
            request.set_root_id(str(root));
            auto profile = fetchProfile(request);
            if (profile && pinProfile(*profile, {})) {
                list = devicesOf(root, false);
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
            if (node.nodeId() != nodeId()) {
                nodes.push_back(&node);
            }
        }
    }
    if (nodes.empty()) {
        return true; // nobody else to tell (a single-device note to self)
    }
    auto prekeys = takePrekeys(nodes);
    if (!prekeys) {
        return fail(prekeys.error());
    }
    std::vector<crypto::RecipientDevice> recipients;
    api::SendRequest request;
    for (const crypto::VerifiedPrekey& prekey : *prekeys) {
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
    const crypto::PacketEncoder encoder(*m_node);
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
        auto fanout = updateFanout(*conversationId, request.recipient_node_ids());
        if (!fanout) {
            return fail(fanout.error());
        }
        request.clear_recipient_node_ids();
        request.set_fanout_id(str(*fanout));
    }
    const net::Reply reply = call(api::VERB_SEND, request);
    if (!reply.ok()) {
        return fail(detail::errorOf(reply));
    }
    return true;
}

void Session::pumpOutbox() {
    auto items = m_store->outbox().peek(kOutboxBatch);
    if (!items) {
        return;
    }
    std::size_t sent = 0;
    m_heldBack = 0;
    for (const storage::OutboxItem& item : *items) {
        if (!m_loggedIn || m_signedOut) {
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
            (void)m_store->outbox().recordAttempt(item.id);
            if (item.attempts + 1 < kMaxSendAttempts) {
                continue;
            }
            qCWarning(lcSession) << "gave up sending a message:"
                                 << describe(outcome.error()).data();
        }
        (void)m_store->outbox().remove(item.id);
        ++sent;
        if (item.messageId) {
            // A stored message (edits, receipts and room controls have none) now shows sent,
            // or not sent; one already seen stays seen.
            const auto state = outcome ? storage::ReadState::Read : storage::ReadState::Failed;
            if (auto settled = m_store->messages().settleQueued(*item.messageId, state);
                settled && *settled) {
                announceUpdated(*item.messageId);
            }
        }
    }
    if (sent == static_cast<std::size_t>(kOutboxBatch)) {
        scheduleWork();
    }
}

} // namespace cinder::client
