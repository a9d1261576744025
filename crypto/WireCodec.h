// SPDX-License-Identifier: Apache-2.0
#pragma once

// Strict decoding of the protobuf wire formats in proto/cinder/packet.proto.
//
// Protobuf accepts many encodings of one message (fields in any order, repeated scalars,
// non-minimal varints, unknown fields). Signed and hashed objects must have exactly one, so
// parseCanonical() checks the size before parsing (protobuf never allocates more than the
// input holds), parses, refuses unknown fields, and refuses input that is not byte-identical
// to the re-serialisation of what was parsed.

#include "crypto/Bytes.h"
#include "crypto/Result.h"

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

namespace cinder::crypto {

enum class WireError {
    Empty,        // no bytes at all
    Oversized,    // more bytes than the object may have
    Malformed,    // not a parseable message
    NonCanonical, // parseable, but not the single canonical encoding (or unknown fields)
};

[[nodiscard]] std::string_view describe(WireError error);

// True when the message or any message nested in it carried fields this version does not
// know.
[[nodiscard]] bool hasUnknownFields(const google::protobuf::Message& message);

template <typename Message>
[[nodiscard]] Result<void, WireError> parseCanonical(ByteView bytes, std::size_t maxSize,
                                                     Message& out) {
    if (bytes.empty()) {
        return fail(WireError::Empty);
    }
    if (bytes.size() > maxSize) {
        return fail(WireError::Oversized);
    }
    if (!out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return fail(WireError::Malformed);
    }
    if (hasUnknownFields(out)) {
        return fail(WireError::NonCanonical);
    }
    std::string again;
    if (!out.SerializeToString(&again) || again.size() != bytes.size() ||
        again.compare(0, again.size(), reinterpret_cast<const char*>(bytes.data()), bytes.size()) !=
            0) {
        return fail(WireError::NonCanonical);
    }
    return {};
}

[[nodiscard]] inline Bytes serialize(const google::protobuf::Message& message) {
    Bytes out(message.ByteSizeLong());
    if (!out.empty()) {
        message.SerializeWithCachedSizesToArray(out.data());
    }
    return out;
}

[[nodiscard]] inline ByteView viewOf(const std::string& field) {
    return {reinterpret_cast<const std::uint8_t*>(field.data()), field.size()};
}

[[nodiscard]] inline std::string stringOf(ByteView bytes) {
    return toStdString(bytes);
}

} // namespace cinder::crypto
