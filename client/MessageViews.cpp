// SPDX-License-Identifier: Apache-2.0
#include "client/MessageViews.h"

#include "client/RoomState.h"
#include "client/SessionInternal.h"

#include <algorithm>

namespace cinder::client {

static_assert(kMaxMessagePage == storage::kMaxPageSize, "a page is what the store reads at once");

namespace {

constexpr qsizetype kQuoteCharacters = 140;

ReadState readStateOf(storage::ReadState state) {
    switch (state) {
    case storage::ReadState::Unread:
        return ReadState::Unread;
    case storage::ReadState::Read:
        return ReadState::Read;
    case storage::ReadState::Seen:
        return ReadState::Seen;
    case storage::ReadState::Queued:
        return ReadState::Sending;
    case storage::ReadState::Failed:
        return ReadState::Failed;
    }
    return ReadState::Read;
}

std::optional<content::Content> parsed(const storage::MessageRecord& record) {
    content::Content body;
    if (!body.ParseFromArray(record.body.data(), static_cast<int>(record.body.size()))) {
        return std::nullopt;
    }
    return body;
}

// The first characters of a quoted text, cut on a character, not a byte.
std::string quoteOf(const std::string& text) {
    return QString::fromStdString(text).left(kQuoteCharacters).toStdString();
}

} // namespace

SessionResult<Message> MessageViews::message(const storage::MessageRecord& record,
                                             const content::Content* body) {
    std::optional<content::Content> decoded;
    if (body == nullptr) {
        decoded = parsed(record);
        body = decoded ? &*decoded : nullptr;
    }
    Message m;
    m.id = record.id;
    m.conversation = record.conversationId;
    m.senderRootId = record.senderRootId;
    m.outgoing = record.outgoing;
    m.senderUsername =
        record.senderRootId == m_self ? m_selfUsername : usernameOf(record.senderRootId);
    m.contentType = record.contentType;
    m.replyTo = record.replyTo;
    m.edited = record.edited;
    m.deleted = record.deleted;
    // As the store writes it: a message of this account is never unread.
    m.readState = record.outgoing && record.readState == storage::ReadState::Unread
                      ? ReadState::Read
                      : readStateOf(record.readState);
    m.sentAtMs = record.sentAtMs;
    m.receivedAtMs = record.receivedAtMs;
    m.timers = record.ephemerality;
    // The store sets the expiry when it writes the row; a record just written has it as zero.
    m.expiresAtMs = record.expiresAtMs != 0
                        ? record.expiresAtMs
                        : record.sentAtMs + std::int64_t{record.ephemerality.ttlSeconds} * 1000;
    m.shownAtMs = record.shownAtMs;
    m.burnDeadlineMs = record.burnDeadlineMs;
    m.cursor = {record.sentAtMs, record.rowId};

    if (record.contentType == crypto::ContentType::Reaction) {
        m.kind = MessageKind::Reaction;
        m.replyTo.reset();
        m.reactionTarget = record.replyTo;
        if (body != nullptr && body->has_reaction()) {
            m.text = body->reaction().emoji();
            m.reactionRemoved = body->reaction().remove();
        }
        return m;
    }
    if (record.contentType == crypto::ContentType::File) {
        m.kind = MessageKind::File;
        CINDER_TRY_ASSIGN(auto attachments, m_tables.attachments.ofMessage(record.id));
        for (const storage::AttachmentRecord& file : attachments) {
            m.attachments.push_back(
                {file.id, file.fileName, file.mimeType, file.size, file.localName.has_value()});
        }
        if (m.attachments.empty() && body != nullptr && body->has_file()) {
            m.attachments.push_back({0, body->file().file_name(), body->file().mime_type(),
                                     body->file().size(), false});
        }
    } else if (record.contentType == crypto::ContentType::Text) {
        m.kind = MessageKind::Text;
        if (!record.deleted && body != nullptr && body->has_text()) {
            m.text = body->text().text();
        }
    } else {
        m.kind = MessageKind::Other;
    }
    if (record.replyTo) {
        CINDER_TRY_ASSIGN(auto quoted, m_tables.messages.find(*record.replyTo));
        if (quoted && !quoted->deleted) {
            if (auto quotedBody = parsed(*quoted); quotedBody && quotedBody->has_text()) {
                m.replyToText = quoteOf(quotedBody->text().text());
            }
        }
    }
    return m;
}

SessionResult<std::optional<Message>> MessageViews::message(const crypto::MessageId& id) {
    CINDER_TRY_ASSIGN(auto record, m_tables.messages.find(id));
    if (!record) {
        return std::optional<Message>();
    }
    CINDER_TRY_ASSIGN(Message m, message(*record));
    return std::optional<Message>(std::move(m));
}

SessionResult<std::vector<Message>> MessageViews::page(const crypto::ConversationId& conversation,
                                                       std::optional<MessageCursor> before,
                                                       int limit) {
    std::optional<storage::MessageCursor> cursor;
    if (before) {
        cursor = storage::MessageCursor{before->sentAtMs, before->order};
    }
    CINDER_TRY_ASSIGN(auto records, m_tables.messages.page(conversation, cursor, limit));
    std::vector<Message> out;
    out.reserve(records.size());
    for (const storage::MessageRecord& record : records) {
        CINDER_TRY_ASSIGN(Message m, message(record));
        out.push_back(std::move(m));
    }
    return out;
}

SessionResult<std::optional<ConversationSummary>>
MessageViews::summary(const crypto::ConversationId& id, const Message* newest) {
    CINDER_TRY_ASSIGN(auto record, m_tables.conversations.find(id));
    if (!record) {
        return std::optional<ConversationSummary>();
    }
    CINDER_TRY_ASSIGN(ConversationSummary s, summary(*record, newest));
    return std::optional<ConversationSummary>(std::move(s));
}

SessionResult<ConversationSummary> MessageViews::summary(const storage::ConversationRecord& record,
                                                         const Message* newest) {
    ConversationSummary s;
    s.id = record.id;
    s.kind = record.kind == storage::ConversationKind::Room ? ConversationKind::Room
                                                            : ConversationKind::Direct;
    s.title = record.title;
    s.peerRootId = record.peerRootId;
    s.timers = record.defaults;
    s.createdAtMs = record.createdAtMs;
    s.lastActivityMs = record.lastActivityMs;
    s.unreadCount = record.unreadCount;
    if (s.kind == ConversationKind::Room) {
        CINDER_TRY_ASSIGN(auto room, m_tables.rooms.find(record.id));
        s.roomEpoch = room ? room->epoch : 0;
    }
    if (record.peerRootId) {
        CINDER_TRY_ASSIGN(auto contact, m_tables.contacts.find(*record.peerRootId));
        if (contact) {
            s.peerUsername = contact->username;
            s.peerVerified = contact->verified;
            s.identityChanged = contact->identityChanged;
        }
    }
    // The store keeps the newest sent time as the conversation's activity: a message just
    // written with that time is the newest, and its row need not be read back.
    if (newest != nullptr && newest->conversation == record.id &&
        newest->sentAtMs == record.lastActivityMs) {
        s.lastMessage = *newest;
    } else if (record.lastActivityMs != 0) {
        CINDER_TRY_ASSIGN(auto latest, page(record.id, std::nullopt, 1));
        if (!latest.empty()) {
            s.lastMessage = std::move(latest.front());
        }
    }
    return s;
}

SessionResult<std::vector<ConversationSummary>> MessageViews::summaries() {
    CINDER_TRY_ASSIGN(auto records, m_tables.conversations.all());
    std::vector<ConversationSummary> out;
    out.reserve(records.size());
    for (const storage::ConversationRecord& record : records) {
        CINDER_TRY_ASSIGN(ConversationSummary s, summary(record));
        out.push_back(std::move(s));
    }
    return out;
}

SessionResult<std::vector<crypto::ConversationId>>
MessageViews::conversationsWith(const crypto::RootId& contact) {
    CINDER_TRY_ASSIGN(auto records, m_tables.conversations.all());
    std::vector<crypto::ConversationId> out;
    for (const storage::ConversationRecord& record : records) {
        if (record.peerRootId == contact) {
            out.push_back(record.id);
            continue;
        }
        if (record.kind != storage::ConversationKind::Room) {
            continue;
        }
        CINDER_TRY_ASSIGN(auto room, m_tables.rooms.find(record.id));
        if (!room) {
            continue;
        }
        const auto state = RoomState::parse(room->state);
        if (state && std::any_of(state->members.begin(), state->members.end(),
                                 [&](const RoomMember& m) { return m.rootId == contact; })) {
            out.push_back(record.id);
        }
    }
    return out;
}

std::string MessageViews::usernameOf(const crypto::RootId& rootId) {
    if (auto cached = m_names.find(rootId); cached != m_names.end()) {
        return cached->second;
    }
    std::string name;
    if (auto contact = m_tables.contacts.find(rootId); contact && *contact) {
        name = (*contact)->username;
    }
    m_names.emplace(rootId, name);
    return name;
}

} // namespace cinder::client
