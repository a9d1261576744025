// SPDX-License-Identifier: Apache-2.0
#pragma once

// A conversation as the list shows it: a plain value made on the session's side with its newest
// message, announced by Session::conversationUpdated whenever any of it changes.

#include "client/Message.h"

#include <QMetaType>

namespace cinder::client {

enum class ConversationKind : std::uint8_t {
    Direct = 1, // 1:1 with one contact
    Room = 2,
};

struct ConversationSummary {
    crypto::ConversationId id{};
    ConversationKind kind = ConversationKind::Direct;
    std::string title; // the contact's username or the room's title
    std::optional<crypto::RootId> peerRootId;
    std::string peerUsername;
    bool peerVerified = false;
    bool identityChanged = false; // the contact's key changed: sending is blocked
    crypto::Ephemerality timers;  // what new messages get
    std::int64_t createdAtMs = 0;
    std::int64_t lastActivityMs = 0; // newest message's sent time, 0 before the first
    std::uint32_t unreadCount = 0;
    std::uint64_t roomEpoch = 0; // a room's membership version; changes with members and roles
    std::optional<Message> lastMessage;
};

} // namespace cinder::client

Q_DECLARE_METATYPE(cinder::client::ConversationSummary)
