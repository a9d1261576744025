// SPDX-License-Identifier: Apache-2.0
// Writing in a conversation: every change is stored here first and queued in the Outbox, and
// nothing the user writes goes out before the ephemerality policy is acknowledged (Expiry).
#include "client/Conversations.h"

#include "client/ContentCodec.h"
#include "client/ConversationIds.h"
#include "client/DeviceDirectory.h"
#include "client/Expiry.h"
#include "client/FileTransfer.h"
#include "client/Outbox.h"
#include "client/SessionContext.h"
#include "client/SessionInternal.h"

#include <QFileInfo>
#include <QMimeDatabase>

#include <fstream>

namespace cinder::client {

using crypto::fail;
using detail::str;

namespace {
bool isValidText(std::string_view text) {
    return !text.empty() && text.size() <= kMaxTextBytes;
}
} // namespace

Conversations::Conversations(storage::MessageTable& messages,
                             storage::ConversationTable& conversations,
                             const SessionContext& context, DeviceDirectory& directory,
                             Outbox& outbox, FileTransfer& files, Expiry& expiry)
    : m_messages(messages), m_conversations(conversations), m_context(context),
      m_directory(directory), m_outbox(outbox), m_files(files), m_expiry(expiry) {}

SessionResult<storage::MessageRecord>
Conversations::messageIn(const crypto::ConversationId& conversation,
                         const crypto::MessageId& target) {
    auto found = m_messages.find(target);
    if (!found || !*found || (*found)->conversationId != conversation) {
        return fail(SessionError::UnknownMessage);
    }
    return std::move(**found);
}

SessionResult<crypto::ConversationId> Conversations::openDirect(std::string_view username) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(const auto contact, m_directory.addContact(username));
    const crypto::ConversationId id = directConversationId(m_context.rootId, contact.rootId);
    CINDER_TRY_ASSIGN(const auto existing, m_conversations.find(id));
    // A record under this id that is not this 1:1 conversation (a room stored by a client
    // from before room ids were derived, docs/PROTOCOL.md "Conversation ids") is never used
    // in its place: messages to the contact would go to its members.
    if (existing && (existing->kind != storage::ConversationKind::Direct ||
                     existing->peerRootId != contact.rootId)) {
        return fail(SessionError::WrongConversationKind);
    }
    if (!existing) {
        storage::ConversationRecord conversation;
        conversation.id = id;
        conversation.kind = storage::ConversationKind::Direct;
        conversation.title = contact.username;
        conversation.peerRootId = contact.rootId;
        conversation.defaults = m_expiry.defaultTimers();
        conversation.createdAtMs = m_context.now();
        CINDER_TRY(m_conversations.save(conversation));
        Q_EMIT conversationChanged(id);
    }
    return id;
}

SessionResult<crypto::MessageId> Conversations::sendText(const crypto::ConversationId& conversation,
                                                         std::string_view text,
                                                         std::optional<crypto::MessageId> replyTo) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(m_expiry.requirePolicy());
    if (!isValidText(text)) {
        return fail(SessionError::InvalidArgument);
    }
    content::Content body;
    body.mutable_text()->set_text(std::string(text));
    if (replyTo) {
        body.mutable_text()->set_reply_to(str(*replyTo));
    }
    return m_outbox.enqueue(conversation, crypto::ContentType::Text, body, true);
}

SessionResult<crypto::MessageId> Conversations::react(const crypto::ConversationId& conversation,
                                                      const crypto::MessageId& target,
                                                      std::string_view emoji, bool remove) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(m_expiry.requirePolicy());
    if (emoji.empty() || emoji.size() > 64) {
        return fail(SessionError::InvalidArgument);
    }
    CINDER_TRY(messageIn(conversation, target));
    content::Content body;
    body.mutable_reaction()->set_target(str(target));
    body.mutable_reaction()->set_emoji(std::string(emoji));
    body.mutable_reaction()->set_remove(remove);
    return m_outbox.enqueue(conversation, crypto::ContentType::Reaction, body, true);
}

SessionResult<crypto::MessageId> Conversations::edit(const crypto::ConversationId& conversation,
                                                     const crypto::MessageId& target,
                                                     std::string_view text) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(m_expiry.requirePolicy());
    if (!isValidText(text)) {
        return fail(SessionError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(const auto found, messageIn(conversation, target));
    if (!found.outgoing || found.senderRootId != m_context.rootId || found.deleted ||
        found.contentType != crypto::ContentType::Text) {
        return fail(SessionError::NotTheSender);
    }
    content::Content body;
    body.mutable_edit()->set_target(str(target));
    body.mutable_edit()->set_text(std::string(text));
    CINDER_TRY_ASSIGN(const auto queued,
                      m_outbox.enqueue(conversation, crypto::ContentType::Edit, body, false));
    content::Content replaced;
    replaced.mutable_text()->set_text(std::string(text));
    if (found.replyTo) {
        replaced.mutable_text()->set_reply_to(str(*found.replyTo));
    }
    CINDER_TRY(m_messages.applyEdit(target, encodeContent(replaced)));
    Q_EMIT messageChanged(target);
    return queued;
}

SessionResult<crypto::MessageId>
Conversations::deleteForEveryone(const crypto::ConversationId& conversation,
                                 const crypto::MessageId& target) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(m_expiry.requirePolicy());
    CINDER_TRY_ASSIGN(const auto found, messageIn(conversation, target));
    if (found.senderRootId != m_context.rootId) {
        return fail(SessionError::NotTheSender);
    }
    content::Content body;
    body.mutable_delete_()->set_target(str(target));
    CINDER_TRY_ASSIGN(const auto queued,
                      m_outbox.enqueue(conversation, crypto::ContentType::Delete, body, false));
    CINDER_TRY(m_messages.markDeleted(target));
    Q_EMIT messageChanged(target);
    return queued;
}

SessionResult<void> Conversations::markRead(const crypto::ConversationId& conversation,
                                            const std::vector<crypto::MessageId>& ids) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    content::Content body;
    for (const crypto::MessageId& id : ids) {
        auto found = messageIn(conversation, id);
        if (!found) {
            continue;
        }
        const bool firstTime = !found->shownAtMs;
        CINDER_TRY(m_messages.markShown(id, m_context.now()));
        Q_EMIT messageChanged(id);
        if (firstTime && !found->outgoing) {
            body.mutable_read_receipt()->add_message_ids(str(id));
        }
    }
    if (body.has_read_receipt()) {
        CINDER_TRY(m_outbox.enqueue(conversation, crypto::ContentType::ReadReceipt, body, false));
    }
    return {};
}

SessionResult<crypto::MessageId> Conversations::sendFile(const crypto::ConversationId& conversation,
                                                         const QString& path) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(m_expiry.requirePolicy());
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        return fail(SessionError::FileError);
    }
    std::ifstream input(info.absoluteFilePath().toStdString(), std::ios::binary);
    if (!input) {
        return fail(SessionError::FileError);
    }
    const std::string name = info.fileName().toStdString().substr(0, kMaxFileNameBytes);
    const std::string mime = QMimeDatabase().mimeTypeForFile(info).name().toStdString();

    content::Content body;
    content::FileDescriptor* file = body.mutable_file();
    file->set_file_name(name);
    file->set_mime_type(mime);
    file->set_size(static_cast<std::uint64_t>(info.size()));
    return m_outbox.enqueue(conversation, crypto::ContentType::File, body, true, {},
                            [&](const crypto::MessageId& messageId) {
                                return m_files.importFile(messageId, name, mime, input);
                            });
}

} // namespace cinder::client
