// SPDX-License-Identifier: Apache-2.0
#include "client/RoomState.h"

#include "crypto/WireCodec.h"

#include <algorithm>
#include <set>

namespace cinder::client {

using crypto::fail;

std::string_view describe(RoomError error) {
    switch (error) {
    case RoomError::Malformed:
        return "malformed room membership";
    case RoomError::Stale:
        return "stale room change";
    case RoomError::NotAManager:
        return "sender is not a room manager";
    case RoomError::NotAMember:
        return "not a room member";
    case RoomError::NotARoomId:
        return "room change for an id that is not a room's";
    case RoomError::NotARoom:
        return "room change for a 1:1 conversation";
    }
    return "unknown room error";
}

const RoomMember* RoomState::find(const crypto::RootId& rootId) const {
    const auto it = std::find_if(members.begin(), members.end(),
                                 [&](const RoomMember& m) { return m.rootId == rootId; });
    return it == members.end() ? nullptr : &*it;
}

bool RoomState::isManager(const crypto::RootId& rootId) const {
    const RoomMember* member = find(rootId);
    return member != nullptr && member->manager;
}

std::vector<crypto::RootId> RoomState::memberIds() const {
    std::vector<crypto::RootId> ids;
    ids.reserve(members.size());
    for (const RoomMember& member : members) {
        ids.push_back(member.rootId);
    }
    return ids;
}

content::GroupControl RoomState::toControl(content::GroupControl::Action action) const {
    content::GroupControl control;
    control.set_action(action);
    control.set_epoch(epoch);
    control.set_title(title);
    for (const RoomMember& member : members) {
        content::RoomMember* out = control.add_members();
        out->set_root_id(crypto::toStdString(member.rootId));
        out->set_username(member.username);
        out->set_manager(member.manager);
    }
    if (idNonce) {
        control.set_room_id_nonce(crypto::toStdString(*idNonce));
    }
    return control;
}

crypto::Bytes RoomState::serialize() const {
    const std::string bytes =
        toControl(content::GroupControl::ACTION_UNSPECIFIED).SerializeAsString();
    return crypto::Bytes(bytes.begin(), bytes.end());
}

crypto::Result<RoomState, RoomError> RoomState::fromControl(const content::GroupControl& control) {
    if (control.epoch() == 0 || control.title().size() > kMaxRoomTitle ||
        control.members_size() == 0 ||
        static_cast<std::size_t>(control.members_size()) > kMaxRoomMembers) {
        return fail(RoomError::Malformed);
    }
    RoomState state;
    state.epoch = control.epoch();
    state.title = control.title();
    if (!control.room_id_nonce().empty()) {
        state.idNonce =
            crypto::fixedFromBytes<kRoomIdNonceSize>(crypto::asBytes(control.room_id_nonce()));
        if (!state.idNonce) {
            return fail(RoomError::Malformed);
        }
    }
    std::set<crypto::RootId> seen;
    bool anyManager = false;
    for (const content::RoomMember& member : control.members()) {
        const auto rootId =
            crypto::fixedFromBytes<crypto::kRootIdSize>(crypto::asBytes(member.root_id()));
        if (!rootId || member.username().empty() || member.username().size() > 64 ||
            !seen.insert(*rootId).second) {
            return fail(RoomError::Malformed);
        }
        anyManager = anyManager || member.manager();
        state.members.push_back(RoomMember{*rootId, member.username(), member.manager()});
    }
    if (!anyManager) {
        return fail(RoomError::Malformed);
    }
    return state;
}

crypto::Result<RoomState, RoomError> RoomState::parse(crypto::ByteView bytes) {
    content::GroupControl control;
    if (!crypto::parseCanonical(bytes, 1 << 20, control)) {
        return fail(RoomError::Malformed);
    }
    return fromControl(control);
}

bool isRoomId(const crypto::ConversationId& id, const RoomState& state) {
    return state.idNonce && roomConversationId(*state.idNonce) == id;
}

crypto::Result<RoomState, RoomError> applyRoomControl(const std::optional<RoomState>& current,
                                                      const crypto::RootId& sender,
                                                      const crypto::RootId& self,
                                                      const content::GroupControl& control) {
    auto next = RoomState::fromControl(control);
    if (!next) {
        return next;
    }
    if (!current) {
        // A room new to this device: it is being created, or this user was added. There is no
        // earlier state to check against; the sender must manage the room it describes.
        if (!next->isManager(sender)) {
            return fail(RoomError::NotAManager);
        }
        if (!next->isMember(self)) {
            return fail(RoomError::NotAMember);
        }
        return next;
    }
    if (next->epoch <= current->epoch) {
        return fail(RoomError::Stale);
    }
    // The id's derivation is the room's for good: a change cannot drop or replace it.
    next->idNonce = current->idNonce;
    if (!current->isMember(sender)) {
        return fail(RoomError::NotAMember);
    }
    if (current->isManager(sender)) {
        return next;
    }
    // A member who is not a manager may only leave: the new state is the old one without them.
    if (control.action() != content::GroupControl::ACTION_LEAVE || next->isMember(sender) ||
        next->title != current->title || next->members.size() + 1 != current->members.size()) {
        return fail(RoomError::NotAManager);
    }
    for (const RoomMember& member : next->members) {
        const RoomMember* before = current->find(member.rootId);
        if (before == nullptr || before->manager != member.manager) {
            return fail(RoomError::NotAManager);
        }
    }
    return next;
}

} // namespace cinder::client
