// SPDX-License-Identifier: Apache-2.0
#pragma once

// MessageMetadata to and from its wire form (proto/cinder/packet.proto, MessageMetadata).

#include "cinder/packet.pb.h"
#include "crypto/MessageMetadata.h"

#include <optional>

namespace cinder::crypto {

void metadataToWire(const MessageMetadata& metadata, wire::MessageMetadata& out);
// Nothing when a length, the content type or an ephemerality rule is wrong.
[[nodiscard]] std::optional<MessageMetadata> metadataFromWire(const wire::MessageMetadata& in);

} // namespace cinder::crypto
