// SPDX-License-Identifier: Apache-2.0
#pragma once

// Public (non-secret) byte strings and views. Secrets use SecureBuffer instead.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cinder::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

[[nodiscard]] inline ByteView asBytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

[[nodiscard]] inline Bytes toBytes(ByteView view) {
    return Bytes(view.begin(), view.end());
}

[[nodiscard]] inline Bytes toBytes(std::string_view text) {
    return toBytes(asBytes(text));
}

[[nodiscard]] inline std::string toStdString(ByteView view) {
    return std::string(reinterpret_cast<const char*>(view.data()), view.size());
}

[[nodiscard]] std::string toHex(ByteView bytes);
[[nodiscard]] std::optional<Bytes> fromHex(std::string_view hex);

// Constant-time comparison (CRYPTO_memcmp); false when the lengths differ.
[[nodiscard]] bool constantTimeEqual(ByteView a, ByteView b);

} // namespace cinder::crypto
