// SPDX-License-Identifier: Apache-2.0
#pragma once

// Conversation ids (docs/PROTOCOL.md, "Conversation ids"): a 1:1 conversation's id and a room's
// come from two derivations under different labels, so an id is one kind or the other, never
// both, and a device can check which: it recomputes a 1:1 id from the two root ids, and a room
// id from the nonce every group control carries.

#include "crypto/Identifiers.h"

#include <array>
#include <cstdint>

namespace cinder::client {

inline constexpr std::size_t kRoomIdNonceSize = 32;
using RoomIdNonce = std::array<std::uint8_t, kRoomIdNonceSize>;

// SHA-256(T("cinder/v1/hash/direct-conversation", RootId: lower IDr, RootId: higher IDr)):
// both ends compute it from the two IDr.
[[nodiscard]] crypto::ConversationId directConversationId(const crypto::RootId& a,
                                                          const crypto::RootId& b);

// SHA-256(T("cinder/v1/hash/room-conversation", Nonce: nonce)), the nonce drawn at random by
// the room's creator.
[[nodiscard]] crypto::ConversationId roomConversationId(const RoomIdNonce& nonce);

} // namespace cinder::client
