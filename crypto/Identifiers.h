// SPDX-License-Identifier: Apache-2.0
#pragma once

// Fixed-size identifiers of the protocol: IDr, IDn, IDken, message and conversation ids.
// Random, public, and compared by value.

#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "crypto/Random.h"

#include <algorithm>
#include <array>
#include <optional>

namespace cinder::crypto {

using RootId = std::array<std::uint8_t, kRootIdSize>;
using NodeId = std::array<std::uint8_t, kNodeIdSize>;
using PrekeyId = std::array<std::uint8_t, kPrekeyIdSize>;
using MessageId = std::array<std::uint8_t, kMessageIdSize>;
using ConversationId = std::array<std::uint8_t, kConversationIdSize>;

// The identifier held in bytes, or nothing when the length is wrong.
template <std::size_t N>
[[nodiscard]] std::optional<std::array<std::uint8_t, N>> fixedFromBytes(ByteView bytes) {
    if (bytes.size() != N) {
        return std::nullopt;
    }
    std::array<std::uint8_t, N> out{};
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

template <typename Id>
[[nodiscard]] Id randomId(RandomSource& random) {
    Id id{};
    random.fill(id);
    return id;
}

} // namespace cinder::crypto
