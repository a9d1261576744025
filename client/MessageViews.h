// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one place that turns what the store keeps (a message row and its decoded content, a
// conversation row) into the plain values the session announces and returns (client/Message.h,
// client/ConversationSummary.h). Runs on the session's thread, over the session's store, reading
// only.

#include "client/ConversationSummary.h"
#include "client/Message.h"
#include "client/SessionError.h"

#include "cinder/content.pb.h"
#include "storage/AttachmentTable.h"
#include "storage/ContactTable.h"
#include "storage/ConversationTable.h"
#include "storage/MessageTable.h"
#include "storage/Records.h"
#include "storage/RoomStateTable.h"

#include <map>
#include <optional>
#include <vector>

namespace cinder::client {

// The table owners the views read (docs/ARCHITECTURE.md, owners table); nothing is written.
struct ViewTables {
    storage::MessageTable& messages;
    storage::AttachmentTable& attachments;
    storage::ConversationTable& conversations;
    storage::RoomStateTable& rooms;
    storage::ContactTable& contacts;
};

class MessageViews {
public:
    MessageViews(const ViewTables& tables, const crypto::RootId& self, std::string selfUsername)
        : m_tables(tables), m_self(self), m_selfUsername(std::move(selfUsername)) {}

    // A message as written or read. With body, the content is not decoded again; the row is not
    // read again either way (its attachments and a quoted message are other rows).
    [[nodiscard]] SessionResult<Message> message(const storage::MessageRecord& record,
                                                 const content::Content* body = nullptr);
    // Reads one message row; nothing when it is gone.
    [[nodiscard]] SessionResult<std::optional<Message>> message(const crypto::MessageId& id);
    // Newest first, older than before when given.
    [[nodiscard]] SessionResult<std::vector<Message>>
    page(const crypto::ConversationId& conversation, std::optional<MessageCursor> before,
         int limit);

    // A conversation with its newest message. newest, when given, is a message just written
    // to it: it is used without reading its row when nothing newer is stored.
    [[nodiscard]] SessionResult<std::optional<ConversationSummary>>
    summary(const crypto::ConversationId& id, const Message* newest = nullptr);
    [[nodiscard]] SessionResult<ConversationSummary>
    summary(const storage::ConversationRecord& record, const Message* newest = nullptr);
    // Every conversation, most recent activity first.
    [[nodiscard]] SessionResult<std::vector<ConversationSummary>> summaries();
    // The conversations whose summary shows something of this contact: the 1:1 conversation
    // with them (name, verification, identity change) and the rooms they are a member of (the
    // sender's name of the newest message).
    [[nodiscard]] SessionResult<std::vector<crypto::ConversationId>>
    conversationsWith(const crypto::RootId& contact);

private:
    [[nodiscard]] std::string usernameOf(const crypto::RootId& rootId);

    ViewTables m_tables;
    crypto::RootId m_self;
    std::string m_selfUsername;
    std::map<crypto::RootId, std::string> m_names; // contacts met in this call
};

} // namespace cinder::client
