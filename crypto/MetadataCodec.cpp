// SPDX-License-Identifier: Apache-2.0
#include "crypto/MetadataCodec.h"

#include "crypto/WireCodec.h"

namespace cinder::crypto {

void metadataToWire(const MessageMetadata& metadata, wire::MessageMetadata& out) {
    out.set_message_id(stringOf(metadata.messageId));
    out.set_sequence(metadata.sequence);
    out.set_sent_at_ms(metadata.sentAtMs);
    out.set_content_type(static_cast<wire::ContentType>(metadata.contentType));
    auto* ephemerality = out.mutable_ephemerality();
    ephemerality->set_ttl_seconds(metadata.ephemerality.ttlSeconds);
    ephemerality->set_burn_on_read(metadata.ephemerality.burnOnRead);
    ephemerality->set_burn_seconds(metadata.ephemerality.burnSeconds);
    out.set_conversation_id(stringOf(metadata.conversationId));
    out.set_sender_root_id(stringOf(metadata.senderRootId));
    out.set_sender_node_id(stringOf(metadata.senderNodeId));
}

std::optional<MessageMetadata> metadataFromWire(const wire::MessageMetadata& in) {
    const auto messageId = fixedFromBytes<kMessageIdSize>(viewOf(in.message_id()));
    const auto conversationId = fixedFromBytes<kConversationIdSize>(viewOf(in.conversation_id()));
    const auto senderRoot = fixedFromBytes<kRootIdSize>(viewOf(in.sender_root_id()));
    const auto senderNode = fixedFromBytes<kNodeIdSize>(viewOf(in.sender_node_id()));
    if (!messageId || !conversationId || !senderRoot || !senderNode || !in.has_ephemerality()) {
        return std::nullopt;
    }
    MessageMetadata metadata;
    metadata.messageId = *messageId;
    metadata.sequence = in.sequence();
    metadata.sentAtMs = in.sent_at_ms();
    metadata.contentType = static_cast<ContentType>(in.content_type());
    metadata.ephemerality.ttlSeconds = in.ephemerality().ttl_seconds();
    metadata.ephemerality.burnOnRead = in.ephemerality().burn_on_read();
    metadata.ephemerality.burnSeconds = in.ephemerality().burn_seconds();
    metadata.conversationId = *conversationId;
    metadata.senderRootId = *senderRoot;
    metadata.senderNodeId = *senderNode;
    if (!metadataIsValid(metadata)) {
        return std::nullopt;
    }
    return metadata;
}

} // namespace cinder::crypto
