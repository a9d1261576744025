// SPDX-License-Identifier: Apache-2.0
#pragma once

// A message as the views show it: a plain value, decoded once on the session's side
// (client/MessageViews.h) and carried by the session's signals and queries, so nothing above
// the session reads the store again or parses content (docs/ARCHITECTURE.md, "Events").

#include "crypto/Identifiers.h"
#include "crypto/MessageMetadata.h"

#include <QMetaType>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cinder::client {

enum class MessageKind : std::uint8_t {
    Text = 0,
    File = 1,
    Reaction = 2, // an emoji on another message (reactionTarget); views fold it into that one
    Other = 3,
};

enum class ReadState : std::uint8_t {
    Unread = 0,  // received and not shown yet
    Read = 1,    // shown, or written on this account
    Seen = 2,    // ours, and a recipient's read receipt came back
    Sending = 3, // ours, still in this device's outbox
    Failed = 4,  // ours, and sending it was given up
};

// The most messages one page holds (Session::messagePage).
inline constexpr int kMaxMessagePage = 500;

// Where a page of messages ends: pass the oldest message's cursor to get the next older page.
struct MessageCursor {
    std::int64_t sentAtMs = 0;
    std::int64_t order = 0; // the store's insertion order among messages sent in the same ms
};

struct Attachment {
    std::int64_t id = 0;
    std::string fileName; // as the sender named it: display only, never a path
    std::string mimeType;
    std::uint64_t size = 0; // plaintext bytes
    bool downloaded = false;
};

struct Message {
    crypto::MessageId id{};
    crypto::ConversationId conversation{};
    crypto::RootId senderRootId{};
    std::string senderUsername; // empty when unknown; this account's name when outgoing
    bool outgoing = false;      // written on this account (this or another of its devices)
    MessageKind kind = MessageKind::Text;
    crypto::ContentType contentType = crypto::ContentType::Text;
    std::string text; // plain text; empty when deleted. A reaction: its emoji
    std::optional<crypto::MessageId> replyTo;
    std::string replyToText; // the quoted message's text, at most 140 characters
    std::optional<crypto::MessageId> reactionTarget;
    bool reactionRemoved = false; // a reaction taken back
    bool edited = false;
    bool deleted = false; // by its sender: a tombstone
    ReadState readState = ReadState::Read;
    std::int64_t sentAtMs = 0;
    std::int64_t receivedAtMs = 0;
    crypto::Ephemerality timers;
    std::int64_t expiresAtMs = 0;
    std::optional<std::int64_t> shownAtMs;      // first shown on this device
    std::optional<std::int64_t> burnDeadlineMs; // set once shown, for burn-on-read
    std::vector<Attachment> attachments;
    MessageCursor cursor;
};

} // namespace cinder::client

Q_DECLARE_METATYPE(cinder::client::Message)
