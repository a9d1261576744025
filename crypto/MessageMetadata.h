// SPDX-License-Identifier: Apache-2.0
#pragma once

// Message metadata (paper, "Prepare Packet Content", step 1: "message metadata including
// content type and ephemerality configuration"), carried inside the encrypted payload EP.

#include "crypto/EphemeralityRule.h"
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
    return type >= 1 && type <= kMaxContentType && metadata.sequence > 0 && metadata.sentAtMs > 0 &&
           validateEphemerality(metadata.ephemerality).ok();
}

} // namespace cinder::crypto
