// SPDX-License-Identifier: Apache-2.0
#pragma once

// Message content (proto/cinder/content.proto) to and from bytes. Decoding is strict: canonical
// form, no unknown fields, and the body must be the one the signed content type names.

#include "cinder/content.pb.h"
#include "crypto/Bytes.h"
#include "crypto/MessageMetadata.h"

#include <optional>

namespace cinder::client {

inline constexpr std::size_t kMaxTextBytes = 64 * 1024;
inline constexpr std::size_t kMaxFileNameBytes = 255;

[[nodiscard]] crypto::Bytes encodeContent(const content::Content& body);
// Nothing when the bytes are not a canonical Content of this type, or a field is out of range.
[[nodiscard]] std::optional<content::Content> decodeContent(crypto::ByteView bytes,
                                                            crypto::ContentType type);
// The content type a body must be sent with; nothing for an empty body.
[[nodiscard]] std::optional<crypto::ContentType> contentTypeOf(const content::Content& body);

} // namespace cinder::client
