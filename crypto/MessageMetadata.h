// SPDX-License-Identifier: Apache-2.0
#pragma once

// Message metadata (paper, "Prepare Packet Content", step 1: "message metadata including
// content type and ephemerality configuration"), carried inside the encrypted payload EP.

#include "crypto/Identifiers.h"

#include <cstdint>

namespace cinder::crypto {

enum class ContentType : std::uint32_t {
    Text = 1,
    Reaction = 2,
    Edit = 3,
    Delete = 4,
    ReadReceipt = 5,
    File = 6,
    CallOffer = 7,
    CallAnswer = 8,
    CallEnd = 9,
    GroupControl = 10,
    DeviceListChange = 11,
    KeyVerification = 12,
};
inline constexpr std::uint32_t kMaxContentType = 12;

// Every message expires; a receiver refuses a message without an expiry or with one longer
// than this (Wickr's model: the sender's timer is part of the message).
inline constexpr std::uint32_t kMaxTtlSeconds = 366U * 24U * 3600U;

struct Ephemerality {
    std::uint32_t ttlSeconds = 0;  // from sentAtMs
    bool burnOnRead = false;       // the timer below starts when the recipient first shows it
    std::uint32_t burnSeconds = 0; // never extends past the expiry
};

struct MessageMetadata {
    MessageId messageId{};
    std::uint64_t sequence = 0; // increasing per sender node; receivers accept each once
    std::int64_t sentAtMs = 0;
    ContentType contentType = ContentType::Text;
    Ephemerality ephemerality;
    ConversationId conversationId{};
    RootId senderRootId{}; // filled by the encoder; checked against the signer by the decoder
    NodeId senderNodeId{};
};

// The rules both ends enforce on metadata (lengths are fixed by the types).
[[nodiscard]] inline bool metadataIsValid(const MessageMetadata& metadata) {
    const auto type = static_cast<std::uint32_t>(metadata.contentType);
    const Ephemerality& e = metadata.ephemerality;
    return type >= 1 && type <= kMaxContentType && metadata.sequence > 0 && metadata.sentAtMs > 0 &&
           e.ttlSeconds > 0 && e.ttlSeconds <= kMaxTtlSeconds &&
           (e.burnOnRead ? (e.burnSeconds > 0 && e.burnSeconds <= e.ttlSeconds)
                         : e.burnSeconds == 0);
}

} // namespace cinder::crypto
