// SPDX-License-Identifier: Apache-2.0
// Rooms: a manager's changes go out as signed group-control messages; received ones are
// applied to the state held here only when client/RoomState.h accepts them.
#include "client/RoomService.h"

#include "client/DeviceDirectory.h"
#include "client/Expiry.h"
#include "client/Outbox.h"
#include "client/SessionContext.h"
#include "client/SessionInternal.h"

namespace cinder::client {

using crypto::fail;
using detail::orFail;

SessionResult<std::optional<RoomState>> loadRoom(storage::RoomStateTable& rooms,
                                                 const crypto::ConversationId& room) {
    CINDER_TRY_ASSIGN(const auto stored, rooms.find(room));
    if (!stored) {
        return std::optional<RoomState>{};
    }
    CINDER_TRY_ASSIGN(auto state,
                      orFail(RoomState::parse(stored->state), SessionError::StorageFailure));
    return std::optional<RoomState>{std::move(state)};
}

namespace {

// The held state of a room this user manages, or why not.
SessionResult<RoomState> managedRoom(const SessionResult<std::optional<RoomState>>& loaded,
                                     const crypto::RootId& self) {
    CINDER_TRY(loaded);
    if (!*loaded || !(*loaded)->isMember(self)) {
        return fail(SessionError::NotAMember);
    }
    if (!(*loaded)->isManager(self)) {
        return fail(SessionError::NotAManager);
    }
    return **loaded;
}

RoomMember* memberNamed(RoomState& state, const std::string& username) {
    const auto it = std::find_if(state.members.begin(), state.members.end(),
                                 [&](const RoomMember& m) { return m.username == username; });
    return it == state.members.end() ? nullptr : &*it;
}

} // namespace

RoomService::RoomService(storage::RoomStateTable& rooms, storage::ConversationTable& conversations,
                         const SessionContext& context, DeviceDirectory& directory, Outbox& outbox,
                         Expiry& expiry)
    : m_roomStates(rooms), m_conversations(conversations), m_context(context),
      m_directory(directory), m_outbox(outbox), m_expiry(expiry) {}

SessionResult<void> RoomService::save(const crypto::ConversationId& id, const RoomState& state) {
    CINDER_TRY(m_roomStates.save({id, state.epoch, state.serialize()}));
    return {};
}

SessionResult<void> RoomService::notDirect(const crypto::ConversationId& id) {
    CINDER_TRY_ASSIGN(const auto conversation, m_conversations.find(id));
    if (conversation && conversation->kind != storage::ConversationKind::Room) {
        return fail(SessionError::WrongConversationKind);
    }
    return {};
}

SessionResult<RoomState> RoomService::room(const crypto::ConversationId& id) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(notDirect(id));
    CINDER_TRY_ASSIGN(auto state, loadRoom(m_roomStates, id));
    return orFail(std::move(state), SessionError::UnknownConversation);
}

SessionResult<crypto::ConversationId>
RoomService::createRoom(std::string_view title, const std::vector<std::string>& usernames) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (title.empty() || title.size() > kMaxRoomTitle || usernames.size() + 1 > kMaxRoomMembers) {
        return fail(SessionError::InvalidArgument);
    }
    RoomState state;
    state.epoch = 1;
    state.title = std::string(title);
    // The id is derived, not drawn, so every member can tell it is a room's (ConversationIds.h).
    state.idNonce = crypto::randomId<RoomIdNonce>(crypto::systemRandom());
    state.members.push_back(RoomMember{m_context.rootId, m_context.username, true});
    for (const std::string& username : usernames) {
        CINDER_TRY_ASSIGN(const auto contact, m_directory.addContact(username));
        if (!state.isMember(contact.rootId)) {
            state.members.push_back(RoomMember{contact.rootId, contact.username, false});
        }
    }
    const crypto::ConversationId id = roomConversationId(*state.idNonce);
    storage::ConversationRecord conversation;
    conversation.id = id;
    conversation.kind = storage::ConversationKind::Room;
    conversation.title = state.title;
    conversation.defaults = m_expiry.defaultTimers();
    conversation.createdAtMs = m_context.now();
    CINDER_TRY(m_conversations.save(conversation));
    CINDER_TRY(save(id, state));
    CINDER_TRY(sendControl(id, content::GroupControl::ACTION_CREATE, state, {}));
    Q_EMIT conversationChanged(id);
    return id;
}

SessionResult<void> RoomService::sendControl(const crypto::ConversationId& room,
                                             content::GroupControl::Action action,
                                             const RoomState& next,
                                             const std::vector<crypto::RootId>& alsoTell) {
    content::Content body;
    *body.mutable_group_control() = next.toControl(action);
    CINDER_TRY(m_outbox.enqueue(room, crypto::ContentType::GroupControl, body, false, alsoTell));
    return {};
}

SessionResult<void> RoomService::changeManagedRoom(const crypto::ConversationId& id,
                                                   content::GroupControl::Action action,
                                                   const RoomChange& change) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(notDirect(id));
    CINDER_TRY_ASSIGN(RoomState next, managedRoom(loadRoom(m_roomStates, id), m_context.rootId));
    ++next.epoch;
    std::vector<crypto::RootId> alsoTell;
    CINDER_TRY(change(next, alsoTell));
    CINDER_TRY(save(id, next));
    Q_EMIT conversationChanged(id);
    return sendControl(id, action, next, alsoTell);
}

SessionResult<void> RoomService::addMembers(const crypto::ConversationId& id,
                                            const std::vector<std::string>& usernames) {
    return changeManagedRoom(
        id, content::GroupControl::ACTION_ADD_MEMBERS,
        [&](RoomState& next, std::vector<crypto::RootId>&) -> SessionResult<void> {
            for (const std::string& username : usernames) {
                CINDER_TRY_ASSIGN(const auto contact, m_directory.addContact(username));
                if (!next.isMember(contact.rootId)) {
                    next.members.push_back(RoomMember{contact.rootId, contact.username, false});
                }
            }
            if (next.members.size() > kMaxRoomMembers) {
                return fail(SessionError::InvalidArgument);
            }
            return {};
        });
}

SessionResult<void> RoomService::removeMembers(const crypto::ConversationId& id,
                                               const std::vector<std::string>& usernames) {
    // The removed members hear of it too, and nothing after it.
    return changeManagedRoom(
        id, content::GroupControl::ACTION_REMOVE_MEMBERS,
        [&](RoomState& next, std::vector<crypto::RootId>& removed) -> SessionResult<void> {
            for (const std::string& username : usernames) {
                const RoomMember* member = memberNamed(next, username);
                if (member == nullptr || member->rootId == m_context.rootId) {
                    return fail(SessionError::InvalidArgument);
                }
                const crypto::RootId gone = member->rootId;
                removed.push_back(gone);
                std::erase_if(next.members, [&](const RoomMember& m) { return m.rootId == gone; });
            }
            return {};
        });
}

SessionResult<void> RoomService::promote(const crypto::ConversationId& id,
                                         const std::vector<std::string>& usernames) {
    return changeManagedRoom(
        id, content::GroupControl::ACTION_PROMOTE,
        [&](RoomState& next, std::vector<crypto::RootId>&) -> SessionResult<void> {
            for (const std::string& username : usernames) {
                RoomMember* member = memberNamed(next, username);
                if (member == nullptr) {
                    return fail(SessionError::InvalidArgument);
                }
                member->manager = true;
            }
            return {};
        });
}

SessionResult<void> RoomService::renameRoom(const crypto::ConversationId& id,
                                            std::string_view title) {
    if (title.empty() || title.size() > kMaxRoomTitle) {
        return fail(SessionError::InvalidArgument);
    }
    return changeManagedRoom(
        id, content::GroupControl::ACTION_RENAME,
        [&](RoomState& next, std::vector<crypto::RootId>&) -> SessionResult<void> {
            next.title = std::string(title);
            if (auto conversation = m_conversations.find(id); conversation && *conversation) {
                storage::ConversationRecord renamed = std::move(**conversation);
                renamed.title = next.title;
                (void)m_conversations.save(renamed);
            }
            return {};
        });
}

SessionResult<void> RoomService::leaveRoom(const crypto::ConversationId& id) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    const crypto::RootId& self = m_context.rootId;
    CINDER_TRY(notDirect(id));
    CINDER_TRY_ASSIGN(const auto loaded, loadRoom(m_roomStates, id));
    if (!loaded || !loaded->isMember(self)) {
        return fail(SessionError::NotAMember);
    }
    RoomState next = *loaded;
    ++next.epoch;
    std::erase_if(next.members, [&](const RoomMember& m) { return m.rootId == self; });
    if (next.members.empty()) {
        // The last member leaves: nobody to tell, nothing to keep.
        CINDER_TRY(m_conversations.remove(id));
        Q_EMIT conversationChanged(id);
        return {};
    }
    if (std::none_of(next.members.begin(), next.members.end(),
                     [](const RoomMember& m) { return m.manager; })) {
        // The last manager leaves: the longest-standing member takes over, so the room can
        // still be managed.
        next.members.front().manager = true;
    }
    // Sent to the membership before the change (this device still holds it), then applied.
    CINDER_TRY(sendControl(id, content::GroupControl::ACTION_LEAVE, next, {}));
    CINDER_TRY(save(id, next));
    Q_EMIT conversationChanged(id);
    return {};
}

void RoomService::dropControl(RoomError error) {
    qCInfo(lcSession) << "room change refused:" << describe(error).data();
    Q_EMIT deliveryDropped(QString::fromLatin1(describe(error).data()));
}

void RoomService::applyControl(const crypto::DecodedMessage& decoded,
                               const content::GroupControl& control) {
    const crypto::ConversationId& id = decoded.metadata.conversationId;
    auto conversation = m_conversations.find(id);
    auto current = loadRoom(m_roomStates, id);
    if (!conversation || !current) {
        return;
    }
    // A control never creates or changes a 1:1 conversation (docs/PROTOCOL.md, "Conversation
    // ids"): one held here is refused by its kind, and a room new to this device must carry
    // the derivation of its id, which a 1:1 id (another label) can never match.
    if (*conversation && (*conversation)->kind != storage::ConversationKind::Room) {
        dropControl(RoomError::NotARoom);
        return;
    }
    if (!*conversation) {
        auto announced = RoomState::fromControl(control);
        if (announced && !isRoomId(id, *announced)) {
            dropControl(RoomError::NotARoomId);
            return;
        }
    }
    auto next = client::applyRoomControl(*current, decoded.metadata.senderRootId, m_context.rootId,
                                         control);
    if (!next) {
        if (next.error() != RoomError::Stale) {
            dropControl(next.error());
        }
        return;
    }
    storage::ConversationRecord record;
    if (*conversation) {
        record = std::move(**conversation);
    } else {
        record.id = id;
        record.kind = storage::ConversationKind::Room;
        record.defaults = m_expiry.defaultTimers();
        record.createdAtMs = m_context.now();
    }
    record.title = next->title;
    if (!m_conversations.save(record) || !save(id, *next)) {
        return;
    }
    Q_EMIT conversationChanged(id);
}

} // namespace cinder::client
