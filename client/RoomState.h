// SPDX-License-Identifier: Apache-2.0
#pragma once

// Room membership as this device holds it: built only from signed group-control messages,
// never from anything the server says. A change is accepted from a manager of the state held
// here; a member who is not a manager may only remove themselves (leave). Each change carries
// the whole new membership with a higher epoch, so a device that missed one catches up.

#include "client/ConversationIds.h"

#include "cinder/content.pb.h"
#include "crypto/Bytes.h"
#include "crypto/Identifiers.h"
#include "crypto/Result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinder::client {

inline constexpr std::size_t kMaxRoomMembers = 1000;
inline constexpr std::size_t kMaxRoomTitle = 200;

enum class RoomError {
    Malformed,   // not a valid membership (duplicates, no manager, bad lengths, too many)
    Stale,       // an epoch not above the one held
    NotAManager, // the sender may not make this change
    NotAMember,  // the sender is not in the room, or this device's user is not in it
    NotARoomId,  // a room new to this device whose id is not derived as a room's (§ conversation
                 // ids in docs/PROTOCOL.md): e.g. the id of a 1:1 conversation
    NotARoom,    // the id names a 1:1 conversation held here
};

[[nodiscard]] std::string_view describe(RoomError error);

struct RoomMember {
    crypto::RootId rootId{};
    std::string username;
    bool manager = false;
};

struct RoomState {
    std::uint64_t epoch = 0;
    std::string title;
    std::vector<RoomMember> members;
    // What the room's id derives from (client/ConversationIds.h); none in a room made before
    // room ids were derived.
    std::optional<RoomIdNonce> idNonce;

    [[nodiscard]] const RoomMember* find(const crypto::RootId& rootId) const;
    [[nodiscard]] bool isMember(const crypto::RootId& rootId) const { return find(rootId); }
    [[nodiscard]] bool isManager(const crypto::RootId& rootId) const;
    [[nodiscard]] std::vector<crypto::RootId> memberIds() const;

    // The GroupControl body carrying this state (the storage form as well).
    [[nodiscard]] content::GroupControl toControl(content::GroupControl::Action action) const;
    [[nodiscard]] crypto::Bytes serialize() const;
    [[nodiscard]] static crypto::Result<RoomState, RoomError>
    fromControl(const content::GroupControl& control);
    [[nodiscard]] static crypto::Result<RoomState, RoomError> parse(crypto::ByteView bytes);
};

// Whether `id` is derived as a room's from the nonce this state carries.
[[nodiscard]] bool isRoomId(const crypto::ConversationId& id, const RoomState& state);

// Decides whether a received change applies. `current` is the state held here (none for a
// room this device has not seen), `sender` the authenticated sender, `self` this user.
[[nodiscard]] crypto::Result<RoomState, RoomError>
applyRoomControl(const std::optional<RoomState>& current, const crypto::RootId& sender,
                 const crypto::RootId& self, const content::GroupControl& control);

} // namespace cinder::client
