// SPDX-License-Identifier: Apache-2.0
// The receive pipeline: authenticate the sender against the pinned root key, decrypt, apply
// the content with the sender's timers, store, announce, then acknowledge.
#include "client/ReceivePipeline.h"

#include "client/ContentCodec.h"
#include "client/ConversationIds.h"
#include "client/DeviceDirectory.h"
#include "client/Expiry.h"
#include "client/PrekeyCache.h"
#include "client/RoomService.h"
#include "client/SessionContext.h"
#include "client/SessionInternal.h"

#include <algorithm>
#include <future>
#include <set>
#include <thread>

namespace cinder::client {

using crypto::fail;
using detail::orFail;
using detail::str;
using detail::view;

namespace {
constexpr std::size_t kDeliveriesPerBatch = 256;
// Fewer packets than this are opened on the calling thread: a thread costs more than they do.
constexpr std::size_t kPacketsPerThread = 4;
// A copy pushed before the server committed an acknowledgement can still be queued here after
// the server confirmed it; the record of a handled packet outlives the confirmation this long.
constexpr std::int64_t kHandledKeptAfterAckMs = 24LL * 3600 * 1000;
// Never confirmed (e.g. the server expired the delivery first): kept as long as a packet may
// live (docs/PROTOCOL.md section 8.5).
constexpr std::int64_t kHandledKeptMs = crypto::kMaxDeliveryAgeMs;
} // namespace

ReceivePipeline::ReceivePipeline(ServerChannel& channel, const ReceiveTables& tables,
                                 const SessionContext& context, DeviceDirectory& directory,
                                 PrekeyCache& prekeys, RoomService& rooms, Expiry& expiry,
                                 crypto::ReplayGuard replayGuard)
    : m_channel(channel), m_tables(tables), m_context(context), m_directory(directory),
      m_prekeys(prekeys), m_rooms(rooms), m_expiry(expiry),
      m_replayGuard(std::make_unique<crypto::ReplayGuard>(std::move(replayGuard))) {}

void ReceivePipeline::queue(const api::Delivery& delivery) {
    ++m_counters.deliveries;
    m_incoming.push_back(delivery);
    if (m_awaitingDeliveries > 0) {
        --m_awaitingDeliveries;
    }
}

void ReceivePipeline::clear() {
    m_incoming.clear();
    for (content::Content& body : m_unstoredBodies) {
        detail::wipeKeys(body);
    }
    m_unstored.clear();
    m_unstoredBodies.clear();
    m_notStored.clear();
    m_replayGuard.reset();
}

// One delivery of a batch on its way through handlePending().
struct ReceivePipeline::Pending {
    api::Delivery delivery;
    crypto::Sha256Digest packetHash{};
    bool redelivery = false;                // a copy of one handled before: acknowledged again
    std::optional<Disposition> disposition; // decided; empty while the packet is to be opened
    std::optional<crypto::VerifiedNode> sender;
    std::optional<crypto::Result<crypto::OpenedPacket, crypto::DecodeError>> opened;
};

void ReceivePipeline::handlePending() {
    std::vector<Pending> batch;
    std::set<crypto::Sha256Digest> inBatch;
    while (!m_incoming.empty() && batch.size() < kDeliveriesPerBatch) {
        Pending entry;
        entry.packetHash = crypto::sha256(view(m_incoming.front().packet()));
        // A second copy of a packet in this batch waits for the next one, where the first
        // copy's record tells what to do with it.
        if (!inBatch.insert(entry.packetHash).second) {
            break;
        }
        entry.delivery = std::move(m_incoming.front());
        m_incoming.pop_front();
        batch.push_back(std::move(entry));
    }

    // 1. In delivery order: copies already handled, and the device each sender signed with
    //    (which may pin a first contact or fetch a device list from the server).
    for (Pending& entry : batch) {
        if (m_context.signedOut) {
            return;
        }
        // The server sends a delivery until it hears the acknowledgement, so a copy of one
        // already read comes after a connection ended in between (or a SYNC). Its one-time
        // key is gone: recognise it by the packet's hash, before any key agreement, and only
        // acknowledge it again.
        if (auto seen = m_tables.replay.deliveryHandled(entry.packetHash); seen && *seen) {
            ++m_counters.redeliveries;
            entry.redelivery = true;
            entry.disposition = Disposition::Acknowledge;
            continue;
        }
        resolveSender(entry);
    }
    // 2. The packets' signatures and key agreements, on every core.
    openAll(batch);
    // 3. In delivery order: accept (replay guard, ephemeral key destroyed), apply, store.
    for (Pending& entry : batch) {
        if (m_context.signedOut) {
            return;
        }
        if (entry.opened) {
            m_packet = entry.packetHash;
            m_committed = false;
            entry.disposition = handleOpened(entry);
            m_packet.reset();
        }
        if (entry.redelivery || entry.disposition != Disposition::Acknowledge ||
            m_context.signedOut || m_committed) {
            m_committed = false;
            continue;
        }
        // A stored message is committed with its packet's record (flushStored()); anything
        // else is recorded after it was applied: a crash in between reports the copy as a drop
        // rather than losing the change without a word.
        if (auto recorded =
                m_tables.replay.recordHandledDelivery(entry.packetHash, m_context.now());
            !recorded) {
            qCWarning(lcSession) << "handled delivery not recorded:"
                                 << describe(recorded.error()).data();
        }
    }
    if (m_context.signedOut) {
        return;
    }
    flushStored();

    api::AckRequest ack;
    std::vector<crypto::Sha256Digest> acknowledged;
    for (const Pending& entry : batch) {
        if (entry.disposition != Disposition::Acknowledge ||
            std::find(m_notStored.begin(), m_notStored.end(), entry.packetHash) !=
                m_notStored.end()) {
            continue;
        }
        ack.add_delivery_ids(entry.delivery.delivery_id());
        acknowledged.push_back(entry.packetHash);
    }
    m_notStored.clear();
    // Only what this batch accepted and did not commit yet is written (storage/ReplayTable.h).
    if (m_replayGuard->hasUnsaved()) {
        if (auto saved = m_tables.replay.save(*m_replayGuard); !saved) {
            // Without the guard on disk a replay could be accepted after a restart; keep the
            // deliveries on the server and try again.
            qCWarning(lcSession) << "replay state not saved:" << describe(saved.error()).data();
            return;
        }
    }
    if (ack.delivery_ids_size() > 0 && m_channel.isConnected()) {
        if (const net::Reply reply = m_channel.call(api::VERB_ACK, ack); !reply.ok()) {
            qCInfo(lcSession) << "acknowledgement not sent; the server will deliver again";
            return;
        }
        const std::int64_t at = m_context.now();
        if (auto settled = m_tables.replay.settleHandledDeliveries(
                acknowledged, at, at - kHandledKeptAfterAckMs, at - kHandledKeptMs);
            !settled) {
            qCWarning(lcSession) << "handled deliveries not settled:"
                                 << describe(settled.error()).data();
        }
    }
}

void ReceivePipeline::openAll(std::vector<Pending>& batch) {
    std::vector<Pending*> toOpen;
    for (Pending& entry : batch) {
        if (!entry.disposition && entry.sender) {
            toOpen.push_back(&entry);
        }
    }
    if (toOpen.empty()) {
        return;
    }
    m_counters.packetsOpened += toOpen.size();
    // open() only reads the key pool and the identity, and nothing changes them until the
    // threads are joined here.
    const crypto::PacketDecoder decoder(*m_context.node, m_prekeys.pool(), *m_replayGuard);
    const auto openRange = [&decoder, &toOpen](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            Pending& entry = *toOpen[i];
            entry.opened = decoder.open(view(entry.delivery.packet()), *entry.sender);
        }
    };
    const std::size_t threads =
        std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1,
                                (toOpen.size() + kPacketsPerThread - 1) / kPacketsPerThread);
    const std::size_t share = (toOpen.size() + threads - 1) / threads;
    std::vector<std::future<void>> helpers;
    for (std::size_t from = share; from < toOpen.size(); from += share) {
        helpers.push_back(
            std::async(std::launch::async, openRange, from, std::min(from + share, toOpen.size())));
    }
    openRange(0, std::min(share, toOpen.size()));
    for (auto& helper : helpers) {
        helper.get();
    }
}

std::optional<ReceivePipeline::Disposition>
ReceivePipeline::checkSender(const api::Delivery& delivery, const crypto::RootId& senderRoot) {
    if (senderRoot == m_context.rootId) {
        return std::nullopt;
    }
    auto contact = m_tables.contacts.find(senderRoot);
    if (!contact) {
        return Disposition::Keep;
    }
    if (*contact) {
        if ((*contact)->identityChanged) {
            return Disposition::Keep; // read it once the user accepts the new identity
        }
        return std::nullopt;
    }
    // First contact from this user: pin the key the server publishes for them.
    api::ProfileRequest request;
    request.set_root_id(delivery.sender_root_id());
    auto profile = m_directory.fetchProfile(request);
    if (!profile) {
        return profile.error() == SessionError::NotConnected ? Disposition::Keep
                                                             : Disposition::Acknowledge;
    }
    if (auto pinned = m_directory.pin(*profile, {}); !pinned) {
        Q_EMIT deliveryDropped(QStringLiteral("sender profile does not verify"));
        return Disposition::Acknowledge;
    }
    return std::nullopt;
}

void ReceivePipeline::resolveSender(Pending& entry) {
    const api::Delivery& delivery = entry.delivery;
    const auto senderRoot = detail::idFrom<crypto::RootId>(delivery.sender_root_id());
    const auto senderNode = detail::idFrom<crypto::NodeId>(delivery.sender_node_id());
    if (!senderRoot || !senderNode) {
        Q_EMIT deliveryDropped(QStringLiteral("malformed sender"));
        entry.disposition = Disposition::Acknowledge;
        return;
    }
    if (const auto disposition = checkSender(delivery, *senderRoot)) {
        entry.disposition = *disposition;
        return;
    }

    const auto findNode = [&](bool refresh) -> SessionResult<const crypto::VerifiedNode*> {
        CINDER_TRY_ASSIGN(const auto* list, m_directory.devicesOf(*senderRoot, refresh));
        return list->find(*senderNode);
    };
    auto node = findNode(false);
    if (node && *node == nullptr) {
        node = findNode(true); // a device added since the list was fetched
    }
    if (!node) {
        if (node.error() == SessionError::IdentityChanged ||
            node.error() == SessionError::NotConnected) {
            entry.disposition = Disposition::Keep;
            return;
        }
        Q_EMIT deliveryDropped(QStringLiteral("sender devices do not verify"));
        entry.disposition = Disposition::Acknowledge;
        return;
    }
    if (*node == nullptr) {
        Q_EMIT deliveryDropped(QStringLiteral("sender device is not certified"));
        entry.disposition = Disposition::Acknowledge;
        return;
    }
    // A copy: a later delivery of this batch may refresh the list the pointer points into.
    entry.sender = **node;
}

ReceivePipeline::Disposition ReceivePipeline::handleOpened(Pending& entry) {
    auto& opened = *entry.opened;
    if (!opened) {
        qCInfo(lcSession) << "dropped a delivery:" << describe(opened.error()).data();
        Q_EMIT deliveryDropped(QString::fromLatin1(describe(opened.error()).data()));
        return Disposition::Acknowledge;
    }
    // The replay check (message id, sequence per sender node) is part of accepting.
    crypto::PacketDecoder decoder(*m_context.node, m_prekeys.pool(), *m_replayGuard);
    auto decoded = decoder.accept(std::move(*opened));
    if (!decoded) {
        if (decoded.error() != crypto::DecodeError::Replay) {
            qCInfo(lcSession) << "dropped a delivery:" << describe(decoded.error()).data();
            Q_EMIT deliveryDropped(QString::fromLatin1(describe(decoded.error()).data()));
        }
        return Disposition::Acknowledge;
    }
    // The one-time key is gone from memory; now from disk too (forward secrecy).
    m_prekeys.consumed(*decoded);

    auto body = decodeContent(decoded->content, decoded->metadata.contentType);
    if (!body) {
        detail::wipe(decoded->content);
        Q_EMIT deliveryDropped(QStringLiteral("content does not match its type"));
        return Disposition::Acknowledge;
    }
    apply(*decoded, *body, m_context.now());
    // The plaintext (and a file key in it) is in the store now, or in the batch's copy that
    // flushStored() wipes; these copies are wiped.
    detail::wipeKeys(*body);
    detail::wipe(decoded->content);
    return Disposition::Acknowledge;
}

SessionResult<crypto::ConversationId>
ReceivePipeline::conversationFor(const crypto::DecodedMessage& decoded,
                                 const content::Content& body) {
    const crypto::MessageMetadata& meta = decoded.metadata;
    const crypto::RootId& self = m_context.rootId;
    CINDER_TRY_ASSIGN(const auto existing, m_tables.conversations.find(meta.conversationId));
    if (existing && existing->kind == storage::ConversationKind::Room) {
        // A room under a 1:1 id was stored before room ids were derived (docs/PROTOCOL.md,
        // "Conversation ids"): the sender's 1:1 messages never go into it.
        if (meta.conversationId == directConversationId(self, meta.senderRootId)) {
            return fail(SessionError::WrongConversationKind);
        }
        auto room = loadRoom(m_tables.rooms, meta.conversationId);
        if (!room || !*room || !(*room)->isMember(meta.senderRootId) || !(*room)->isMember(self)) {
            return fail(SessionError::NotAMember);
        }
        return meta.conversationId;
    }
    // A 1:1 conversation: its id is fixed by the two users, so a sender cannot slip a message
    // into another conversation.
    crypto::RootId peer = meta.senderRootId;
    if (meta.senderRootId == self) {
        const auto named = detail::idFrom<crypto::RootId>(body.direct_peer());
        if (!named || *named == self) {
            return fail(SessionError::UnknownConversation);
        }
        peer = *named;
    }
    if (meta.conversationId != directConversationId(self, peer)) {
        return fail(SessionError::UnknownConversation);
    }
    if (existing) {
        return meta.conversationId;
    }
    CINDER_TRY_ASSIGN(const auto contact, m_tables.contacts.find(peer));
    std::string title;
    if (contact) {
        title = contact->username;
    } else {
        CINDER_TRY_ASSIGN(const auto pinned, m_directory.pinById(peer));
        title = pinned.username;
    }
    storage::ConversationRecord conversation;
    conversation.id = meta.conversationId;
    conversation.kind = storage::ConversationKind::Direct;
    conversation.title = title;
    conversation.peerRootId = peer;
    conversation.defaults = m_expiry.defaultTimers();
    conversation.createdAtMs = m_context.now();
    CINDER_TRY(m_tables.conversations.save(conversation));
    Q_EMIT conversationChanged(conversation.id);
    return conversation.id;
}

std::optional<storage::MessageRecord>
ReceivePipeline::targetIn(const crypto::ConversationId& conversation, const std::string& target) {
    const auto id = detail::idFrom<crypto::MessageId>(target);
    if (!id) {
        return std::nullopt;
    }
    flushStored(); // the target may be a message of this batch
    auto found = m_tables.messages.find(*id);
    if (!found || !*found || (*found)->conversationId != conversation) {
        return std::nullopt;
    }
    return std::move(**found);
}

void ReceivePipeline::apply(const crypto::DecodedMessage& decoded, const content::Content& body,
                            std::int64_t receivedAtMs) {
    if (body.has_group_control()) {
        flushStored(); // what the room said before the change is stored before it
        m_rooms.applyControl(decoded, body.group_control());
        return;
    }
    const auto conversation = conversationFor(decoded, body);
    if (!conversation) {
        Q_EMIT deliveryDropped(QStringLiteral("message for no conversation of this device"));
        return;
    }
    if (Expiry::expiredOnArrival(decoded.metadata, receivedAtMs)) {
        return;
    }
    switch (body.body_case()) {
    case content::Content::kEdit:
    case content::Content::kDelete:
    case content::Content::kReadReceipt:
        applyChange(decoded, body, *conversation, receivedAtMs);
        return;
    default:
        persist(decoded, body, *conversation, receivedAtMs);
        return;
    }
}

void ReceivePipeline::applyChange(const crypto::DecodedMessage& decoded,
                                  const content::Content& body,
                                  const crypto::ConversationId& conversation,
                                  std::int64_t receivedAtMs) {
    const crypto::MessageMetadata& meta = decoded.metadata;
    if (body.has_read_receipt()) {
        const bool fromSelf = meta.senderRootId == m_context.rootId;
        for (const std::string& raw : body.read_receipt().message_ids()) {
            const auto target = targetIn(conversation, raw);
            if (!target) {
                continue;
            }
            if (fromSelf && !target->outgoing) {
                // Read on another device of this account: read (and burning) here too.
                (void)m_tables.messages.markShown(target->id, receivedAtMs);
            } else if (!fromSelf && target->outgoing) {
                (void)m_tables.messages.setReadState(target->id, storage::ReadState::Seen);
            } else {
                continue;
            }
            Q_EMIT messageChanged(target->id);
        }
        return;
    }
    const auto target =
        targetIn(conversation, body.has_edit() ? body.edit().target() : body.delete_().target());
    if (!target || target->senderRootId != meta.senderRootId || target->deleted) {
        Q_EMIT deliveryDropped(QStringLiteral("change of a message not the sender's"));
        return;
    }
    if (body.has_edit()) {
        content::Content replaced;
        replaced.mutable_text()->set_text(body.edit().text());
        if (auto old = decodeContent(target->body, crypto::ContentType::Text);
            old && !old->text().reply_to().empty()) {
            replaced.mutable_text()->set_reply_to(old->text().reply_to());
        }
        (void)m_tables.messages.applyEdit(target->id, encodeContent(replaced));
    } else {
        (void)m_tables.messages.markDeleted(target->id);
    }
    Q_EMIT messageChanged(target->id);
}

void ReceivePipeline::persist(const crypto::DecodedMessage& decoded, const content::Content& body,
                              const crypto::ConversationId& conversation,
                              std::int64_t receivedAtMs) {
    const crypto::MessageMetadata& meta = decoded.metadata;
    const bool fromSelf = meta.senderRootId == m_context.rootId;
    storage::MessageRecord record;
    record.id = meta.messageId;
    record.conversationId = conversation;
    record.senderRootId = meta.senderRootId;
    record.senderNodeId = meta.senderNodeId;
    record.sequence = meta.sequence;
    record.sentAtMs = Expiry::sentAt(meta, receivedAtMs);
    record.receivedAtMs = receivedAtMs;
    record.contentType = meta.contentType;
    record.body = decoded.content;
    record.outgoing = fromSelf;
    record.ephemerality = meta.ephemerality;
    record.readState = fromSelf ? storage::ReadState::Read : storage::ReadState::Unread;
    if (body.has_reaction()) {
        if (!targetIn(conversation, body.reaction().target())) {
            return;
        }
        record.replyTo = detail::idFrom<crypto::MessageId>(body.reaction().target());
        record.readState = storage::ReadState::Read; // a reaction is not an unread message
    } else if (body.has_text() && !body.text().reply_to().empty()) {
        record.replyTo = detail::idFrom<crypto::MessageId>(body.text().reply_to());
    }
    if (m_packet) {
        // The message, its packet's handled record and the replay state go in one transaction
        // (storage::DeliveryCommit, flushStored()): a crash cannot keep one and lose another.
        m_unstored.push_back({std::move(record), *m_packet});
        m_unstoredBodies.push_back(body);
        m_committed = true;
        return;
    }
    auto inserted = m_tables.messages.insertBatch({&record, 1});
    if (!inserted) {
        qCWarning(lcSession) << "received message not stored:" << describe(inserted.error()).data();
        return;
    }
    if (*inserted == 1) {
        announceStored(record, body);
    }
}

void ReceivePipeline::flushStored() {
    if (m_unstored.empty()) {
        return;
    }
    auto inserted = m_tables.deliveryCommit.commitAll(m_unstored, m_replayGuard.get());
    if (!inserted) {
        // One message the store refuses must not take the batch with it: each on its own.
        qCWarning(lcSession) << "received messages not stored together:"
                             << describe(inserted.error()).data();
        std::vector<bool> each;
        for (const storage::ReceivedMessage& one : m_unstored) {
            auto alone = m_tables.deliveryCommit.commitAll({&one, 1}, m_replayGuard.get());
            if (!alone) {
                qCWarning(lcSession)
                    << "received message not stored:" << describe(alone.error()).data();
                m_notStored.push_back(one.packetHash);
            }
            each.push_back(alone && alone->front());
        }
        inserted = std::move(each);
    }
    for (std::size_t i = 0; i < m_unstored.size(); ++i) {
        if ((*inserted)[i]) { // else stored before
            announceStored(m_unstored[i].record, m_unstoredBodies[i]);
        }
        detail::wipeKeys(m_unstoredBodies[i]);
        detail::wipe(m_unstored[i].record.body);
    }
    m_unstored.clear();
    m_unstoredBodies.clear();
}

void ReceivePipeline::announceStored(const storage::MessageRecord& record,
                                     const content::Content& body) {
    if (body.has_file()) {
        const content::FileDescriptor& file = body.file();
        storage::AttachmentRecord attachment;
        attachment.messageId = record.id;
        attachment.fileName = file.file_name();
        attachment.mimeType = file.mime_type();
        attachment.size = file.size();
        std::copy(file.ciphertext_sha256().begin(), file.ciphertext_sha256().end(),
                  attachment.ciphertextSha256.begin());
        attachment.blobId = crypto::toBytes(view(file.blob_id()));
        attachment.fileKey = crypto::SecureBuffer::copyOf(view(file.file_key()));
        if (auto added = m_tables.attachments.add(attachment); !added) {
            qCWarning(lcSession) << "attachment not recorded:" << describe(added.error()).data();
        }
    }
    Q_EMIT messageStored(record, body);
}

} // namespace cinder::client
