// SPDX-License-Identifier: Apache-2.0
// The receive pipeline: authenticate the sender against the pinned root key, decrypt, apply
// the content with the sender's timers, then acknowledge.
#include "client/ContentCodec.h"
#include "client/Session.h"
#include "client/SessionInternal.h"

#include "crypto/PacketDecoder.h"

namespace cinder::client {

using crypto::fail;
using detail::str;
using detail::view;

namespace {
constexpr std::size_t kDeliveriesPerBatch = 256;
// A copy pushed before the server committed an acknowledgement can still be queued here after
// the server confirmed it; the record of a handled packet outlives the confirmation this long.
constexpr std::int64_t kHandledKeptAfterAckMs = 24LL * 3600 * 1000;
// Never confirmed (e.g. the server expired the delivery first): kept as long as a packet may
// live (ttl_seconds, docs/PROTOCOL.md section 8.4).
constexpr std::int64_t kHandledKeptMs = 31'622'400LL * 1000;
} // namespace

void Session::handleDeliveries() {
    api::AckRequest ack;
    std::vector<crypto::Sha256Digest> acknowledged;
    std::size_t handled = 0;
    while (!m_incoming.empty() && handled < kDeliveriesPerBatch && !m_signedOut) {
        const api::Delivery delivery = std::move(m_incoming.front());
        m_incoming.pop_front();
        ++handled;
        // The server sends a delivery until it hears the acknowledgement, so a copy of one
        // already read comes after a connection ended in between (or a SYNC). Its one-time key
        // is gone: recognise it by the packet's hash, before any key agreement, and only
        // acknowledge it again.
        const crypto::Sha256Digest packetHash = crypto::sha256(view(delivery.packet()));
        if (auto seen = m_store->replay().deliveryHandled(packetHash); seen && *seen) {
            ++m_receiveCounters.redeliveries;
            ack.add_delivery_ids(delivery.delivery_id());
            acknowledged.push_back(packetHash);
            continue;
        }
        if (handleDelivery(delivery) != Disposition::Acknowledge || m_signedOut) {
            continue;
        }
        // After the message is stored: a crash in between reports the copy as a drop rather
        // than losing the message without a word.
        if (auto recorded = m_store->replay().recordHandledDelivery(packetHash, now()); !recorded) {
            qCWarning(lcSession) << "handled delivery not recorded:"
                                 << describe(recorded.error()).data();
        }
        ack.add_delivery_ids(delivery.delivery_id());
        acknowledged.push_back(packetHash);
    }
    if (m_signedOut) {
        return;
    }
    // Only what this batch accepted is written (storage/ReplayTable.h).
    if (m_replayGuard->hasUnsaved()) {
        if (auto saved = m_store->replay().save(*m_replayGuard); !saved) {
            // Without the guard on disk a replay could be accepted after a restart; keep the
            // deliveries on the server and try again.
            qCWarning(lcSession) << "replay state not saved:" << describe(saved.error()).data();
            return;
        }
    }
    if (ack.delivery_ids_size() > 0 && m_loggedIn) {
        if (const net::Reply reply = call(api::VERB_ACK, ack); !reply.ok()) {
            qCInfo(lcSession) << "acknowledgement not sent; the server will deliver again";
            return;
        }
        const std::int64_t at = now();
        if (auto settled = m_store->replay().settleHandledDeliveries(
                acknowledged, at, at - kHandledKeptAfterAckMs, at - kHandledKeptMs);
            !settled) {
            qCWarning(lcSession) << "handled deliveries not settled:"
                                 << describe(settled.error()).data();
        }
    }
}

Session::Disposition Session::handleDelivery(const api::Delivery& delivery) {
    const auto senderRoot = detail::idFrom<crypto::RootId>(delivery.sender_root_id());
    const auto senderNode = detail::idFrom<crypto::NodeId>(delivery.sender_node_id());
    if (!senderRoot || !senderNode) {
        Q_EMIT deliveryDropped(QStringLiteral("malformed sender"));
        return Disposition::Acknowledge;
    }
    const bool fromSelf = *senderRoot == rootId();
    if (!fromSelf) {
        auto contact = m_store->contacts().find(*senderRoot);
        if (!contact) {
            return Disposition::Keep;
        }
        if (!*contact) {
            // First contact from this user: pin the key the server publishes for them.
            api::ProfileRequest request;
            request.set_root_id(delivery.sender_root_id());
            auto profile = fetchProfile(request);
            if (!profile) {
                return profile.error() == SessionError::NotConnected ? Disposition::Keep
                                                                     : Disposition::Acknowledge;
            }
            if (auto pinned = pinProfile(*profile, {}); !pinned) {
                Q_EMIT deliveryDropped(QStringLiteral("sender profile does not verify"));
                return Disposition::Acknowledge;
            }
        } else if ((*contact)->identityChanged) {
            return Disposition::Keep; // read it once the user accepts the new identity
        }
    }

    const auto findNode = [&](bool refresh) -> SessionResult<const crypto::VerifiedNode*> {
        auto list = devicesOf(*senderRoot, refresh);
        if (!list) {
            return fail(list.error());
        }
        return (*list)->find(*senderNode);
    };
    auto node = findNode(false);
    if (node && *node == nullptr) {
        node = findNode(true); // a device added since the list was fetched
    }
    if (!node) {
        if (node.error() == SessionError::IdentityChanged ||
            node.error() == SessionError::NotConnected) {
            return Disposition::Keep;
        }
        Q_EMIT deliveryDropped(QStringLiteral("sender devices do not verify"));
        return Disposition::Acknowledge;
    }
    if (*node == nullptr) {
        Q_EMIT deliveryDropped(QStringLiteral("sender device is not certified"));
        return Disposition::Acknowledge;
    }

    crypto::PacketDecoder decoder(*m_node, *m_pool, *m_replayGuard);
    ++m_receiveCounters.packetsOpened;
    auto decoded = decoder.decode(view(delivery.packet()), **node);
    if (!decoded) {
        if (decoded.error() != crypto::DecodeError::Replay) {
            qCInfo(lcSession) << "dropped a delivery:" << describe(decoded.error()).data();
            Q_EMIT deliveryDropped(QString::fromLatin1(describe(decoded.error()).data()));
        }
        return Disposition::Acknowledge;
    }
    // The one-time key is gone from memory; now from disk too (forward secrecy).
    if (decoded->usedLastResortKey) {
        m_refillWanted = true;
    } else if (auto deleted = m_store->keys().deletePrekey(decoded->usedPrekey);
               !deleted && deleted.error() != storage::StoreError::NotFound) {
        qCWarning(lcSession) << "used prekey not deleted:" << describe(deleted.error()).data();
    }

    auto body = decodeContent(decoded->content, decoded->metadata.contentType);
    if (!body) {
        detail::wipe(decoded->content);
        Q_EMIT deliveryDropped(QStringLiteral("content does not match its type"));
        return Disposition::Acknowledge;
    }
    applyContent(*decoded, *body, now());
    // The plaintext (and a file key in it) is in the store now; these copies are wiped.
    detail::wipeKeys(*body);
    detail::wipe(decoded->content);
    return Disposition::Acknowledge;
}

SessionResult<crypto::ConversationId>
Session::conversationFor(const crypto::DecodedMessage& decoded, const content::Content& body) {
    const crypto::MessageMetadata& meta = decoded.metadata;
    auto existing = m_store->conversations().find(meta.conversationId);
    if (!existing) {
        return fail(detail::errorOf(existing.error()));
    }
    if (*existing && (*existing)->kind == storage::ConversationKind::Room) {
        auto room = loadRoom(meta.conversationId);
        if (!room || !*room || !(*room)->isMember(meta.senderRootId) ||
            !(*room)->isMember(rootId())) {
            return fail(SessionError::NotAMember);
        }
        return meta.conversationId;
    }
    // A 1:1 conversation: its id is fixed by the two users, so a sender cannot slip a message
    // into another conversation.
    crypto::RootId peer = meta.senderRootId;
    if (meta.senderRootId == rootId()) {
        const auto named = detail::idFrom<crypto::RootId>(body.direct_peer());
        if (!named || *named == rootId()) {
            return fail(SessionError::UnknownConversation);
        }
        peer = *named;
    }
    if (meta.conversationId != detail::directConversationId(rootId(), peer)) {
        return fail(SessionError::UnknownConversation);
    }
    if (*existing) {
        return meta.conversationId;
    }
    auto contact = m_store->contacts().find(peer);
    if (!contact) {
        return fail(detail::errorOf(contact.error()));
    }
    std::string title;
    if (*contact) {
        title = (*contact)->username;
    } else {
        api::ProfileRequest request;
        request.set_root_id(str(peer));
        auto profile = fetchProfile(request);
        if (!profile) {
            return fail(profile.error());
        }
        auto pinned = pinProfile(*profile, {});
        if (!pinned) {
            return fail(pinned.error());
        }
        title = pinned->username;
    }
    storage::ConversationRecord conversation;
    conversation.id = meta.conversationId;
    conversation.kind = storage::ConversationKind::Direct;
    conversation.title = title;
    conversation.peerRootId = peer;
    conversation.defaults = defaultTimers();
    conversation.createdAtMs = now();
    if (auto saved = m_store->conversations().save(conversation); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    noteConversationChanged(conversation.id);
    return conversation.id;
}

void Session::applyContent(const crypto::DecodedMessage& decoded, const content::Content& body,
                           std::int64_t receivedAtMs) {
    const crypto::MessageMetadata& meta = decoded.metadata;
    if (body.has_group_control()) {
        applyRoomControl(decoded, body.group_control());
        return;
    }
    const auto conversation = conversationFor(decoded, body);
    if (!conversation) {
        Q_EMIT deliveryDropped(QStringLiteral("message for no conversation of this device"));
        return;
    }
    const bool fromSelf = meta.senderRootId == rootId();
    // Timers count from the sender's clock, but never from a time in the future.
    const std::int64_t sentAt = std::min(meta.sentAtMs, receivedAtMs);
    if (sentAt + std::int64_t{meta.ephemerality.ttlSeconds} * 1000 <= receivedAtMs) {
        return; // expired before it arrived
    }
    const auto targetOf = [&](const std::string& target) -> std::optional<storage::MessageRecord> {
        const auto id = detail::idFrom<crypto::MessageId>(target);
        if (!id) {
            return std::nullopt;
        }
        auto found = m_store->messages().find(*id);
        if (!found || !*found || (*found)->conversationId != *conversation) {
            return std::nullopt;
        }
        return std::move(**found);
    };

    switch (body.body_case()) {
    case content::Content::kEdit:
    case content::Content::kDelete: {
        const auto target =
            targetOf(body.has_edit() ? body.edit().target() : body.delete_().target());
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
            (void)m_store->messages().applyEdit(target->id, encodeContent(replaced));
        } else {
            (void)m_store->messages().markDeleted(target->id);
        }
        announceUpdated(target->id);
        return;
    }
    case content::Content::kReadReceipt: {
        for (const std::string& raw : body.read_receipt().message_ids()) {
            const auto target = targetOf(raw);
            if (!target) {
                continue;
            }
            if (fromSelf && !target->outgoing) {
                // Read on another device of this account: read (and burning) here too.
                (void)m_store->messages().markShown(target->id, receivedAtMs);
            } else if (!fromSelf && target->outgoing) {
                (void)m_store->messages().setReadState(target->id, storage::ReadState::Seen);
            } else {
                continue;
            }
            announceUpdated(target->id);
        }
        return;
    }
    default:
        break;
    }

    storage::MessageRecord record;
    record.id = meta.messageId;
    record.conversationId = *conversation;
    record.senderRootId = meta.senderRootId;
    record.senderNodeId = meta.senderNodeId;
    record.sequence = meta.sequence;
    record.sentAtMs = sentAt;
    record.receivedAtMs = receivedAtMs;
    record.contentType = meta.contentType;
    record.body = decoded.content;
    record.outgoing = fromSelf;
    record.ephemerality = meta.ephemerality;
    record.readState = fromSelf ? storage::ReadState::Read : storage::ReadState::Unread;
    if (body.has_reaction()) {
        if (!targetOf(body.reaction().target())) {
            return;
        }
        record.replyTo = detail::idFrom<crypto::MessageId>(body.reaction().target());
        record.readState = storage::ReadState::Read; // a reaction is not an unread message
    } else if (body.has_text() && !body.text().reply_to().empty()) {
        record.replyTo = detail::idFrom<crypto::MessageId>(body.text().reply_to());
    }
    if (auto inserted = m_store->messages().insert(record); !inserted) {
        if (inserted.error() != storage::StoreError::Duplicate) {
            qCWarning(lcSession) << "received message not stored:"
                                 << describe(inserted.error()).data();
        }
        return;
    }
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
        if (auto added = m_store->attachments().add(attachment); !added) {
            qCWarning(lcSession) << "attachment not recorded:" << describe(added.error()).data();
        }
    }
    announceAdded(record, body);
}

} // namespace cinder::client
