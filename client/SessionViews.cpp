// SPDX-License-Identifier: Apache-2.0
// What the views get from the session: its queries return plain values (client/Message.h,
// client/ConversationSummary.h) and its signals carry them, made once here from what the store
// keeps (client/MessageViews.h). A message just written is announced from the record in hand;
// a changed one is read once; a conversation's summary is announced once per turn of the event
// loop however many of its messages changed in that turn.

#include "client/Session.h"

#include "client/MessageViews.h"
#include "client/ReceivePipeline.h"
#include "client/SessionContext.h"
#include "client/SessionInternal.h"

#include "storage/Store.h"

namespace cinder::client {

using crypto::fail;

MessageViews Session::views() {
    storage::Store& store = *m_store;
    return MessageViews({store.messages(), store.attachments(), store.conversations(),
                         store.rooms(), store.contacts()},
                        m_context->rootId, m_context->username);
}

ReceiveCounters Session::receiveCounters() const {
    ReceiveCounters counters = m_receive->counters();
    if (m_store) {
        counters.messageRowsRead = m_store->messages().rowsRead();
    }
    return counters;
}

// --- Queries ---

SessionResult<std::vector<ConversationSummary>> Session::conversations() {
    if (m_context->signedOut) {
        return fail(SessionError::SignedOut);
    }
    return views().summaries();
}

SessionResult<std::optional<ConversationSummary>>
Session::conversation(const crypto::ConversationId& id) {
    if (m_context->signedOut) {
        return fail(SessionError::SignedOut);
    }
    return views().summary(id);
}

SessionResult<std::vector<Message>> Session::messagePage(const crypto::ConversationId& conversation,
                                                         std::optional<MessageCursor> before,
                                                         int limit) {
    if (m_context->signedOut) {
        return fail(SessionError::SignedOut);
    }
    return views().page(conversation, before, limit);
}

SessionResult<std::optional<Message>> Session::message(const crypto::MessageId& id) {
    if (m_context->signedOut) {
        return fail(SessionError::SignedOut);
    }
    return views().message(id);
}

SessionResult<std::optional<Contact>> Session::knownContact(std::string_view username) {
    if (m_context->signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(auto record, m_store->contacts().findByUsername(username));
    return record ? std::optional(detail::contactOf(*record)) : std::nullopt;
}

SessionResult<std::optional<Contact>> Session::knownContact(const crypto::RootId& rootId) {
    if (m_context->signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(auto record, m_store->contacts().find(rootId));
    return record ? std::optional(detail::contactOf(*record)) : std::nullopt;
}

SessionResult<Attachment> Session::attachment(std::int64_t attachmentId) {
    if (m_context->signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(storage::AttachmentRecord file, m_store->attachments().find(attachmentId));
    return Attachment{file.id, file.fileName, file.mimeType, file.size, file.localName.has_value()};
}

// --- Events ---

void Session::announceAdded(const storage::MessageRecord& record, const content::Content& body) {
    auto message = views().message(record, &body);
    if (!message) {
        qCWarning(lcSession) << "stored message not announced:" << describe(message.error()).data();
        noteConversationChanged(record.conversationId);
        return;
    }
    Q_EMIT messageAdded(*message);
    // Written now, it is the newest of its conversation unless one sent later is stored.
    std::optional<Message>& newest = m_changedConversations[record.conversationId];
    if (!newest || newest->sentAtMs <= message->sentAtMs) {
        newest = std::move(message).value();
    }
    noteConversationChanged(record.conversationId);
}

void Session::announceUpdated(const crypto::MessageId& id) {
    auto message = views().message(id);
    if (!message || !*message) {
        return; // gone: messagesRemoved tells
    }
    Q_EMIT messageUpdated(**message);
    auto& newest = m_changedConversations[(*message)->conversation];
    if (newest && newest->id == id) {
        newest = **message;
    }
    noteConversationChanged((*message)->conversation);
}

void Session::noteConversationChanged(const crypto::ConversationId& id) {
    m_changedConversations.try_emplace(id);
    if (!m_conversationsAnnouncement) {
        m_conversationsAnnouncement = true;
        QMetaObject::invokeMethod(this, &Session::announceConversations, Qt::QueuedConnection);
    }
}

void Session::noteContactChanged(const crypto::RootId& rootId) {
    if (m_context->signedOut) {
        return;
    }
    auto affected = views().conversationsWith(rootId);
    if (!affected) {
        qCWarning(lcSession) << "contact's conversations not announced:"
                             << describe(affected.error()).data();
        return;
    }
    for (const crypto::ConversationId& id : *affected) {
        noteConversationChanged(id);
    }
}

void Session::announceConversations() {
    m_conversationsAnnouncement = false;
    auto changed = std::exchange(m_changedConversations, {});
    if (m_context->signedOut) {
        return;
    }
    MessageViews reader = views();
    for (const auto& [id, newest] : changed) {
        auto summary = reader.summary(id, newest ? &*newest : nullptr);
        if (!summary) {
            qCWarning(lcSession) << "conversation not announced:"
                                 << describe(summary.error()).data();
        } else if (*summary) {
            Q_EMIT conversationUpdated(**summary);
        } else {
            Q_EMIT conversationRemoved(id);
        }
    }
}

} // namespace cinder::client
