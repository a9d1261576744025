// SPDX-License-Identifier: Apache-2.0
// Rooms: membership changes are signed group-control messages from a manager; each device
// applies them to the state it holds and encrypts only to that membership.
#include "client/ContentCodec.h"
#include "client/Session.h"
#include "client/SessionInternal.h"

#include <set>

namespace cinder::client {

using crypto::fail;
using detail::str;

SessionResult<std::optional<RoomState>> Session::loadRoom(const crypto::ConversationId& room) {
    auto stored = m_store->rooms().find(room);
    if (!stored) {
        return fail(detail::errorOf(stored.error()));
    }
    if (!*stored) {
        return std::optional<RoomState>{};
    }
    auto state = RoomState::parse((*stored)->state);
    if (!state) {
        return fail(SessionError::StorageFailure);
    }
    return std::optional<RoomState>{std::move(state).value()};
}

namespace {

SessionResult<void> saveRoom(storage::Store& store, const crypto::ConversationId& id,
                             const RoomState& state) {
    if (auto saved = store.rooms().save({id, state.epoch, state.serialize()}); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    return {};
}

} // namespace

SessionResult<RoomState> Session::room(const crypto::ConversationId& id) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto state = loadRoom(id);
    if (!state) {
        return fail(state.error());
    }
    if (!*state) {
        return fail(SessionError::UnknownConversation);
    }
    return std::move(**state);
}

SessionResult<crypto::ConversationId>
Session::createRoom(std::string_view title, const std::vector<std::string>& usernames) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (title.empty() || title.size() > kMaxRoomTitle || usernames.size() + 1 > kMaxRoomMembers) {
        return fail(SessionError::InvalidArgument);
    }
    RoomState state;
    state.epoch = 1;
    state.title = std::string(title);
    state.members.push_back(RoomMember{rootId(), m_username, true});
    for (const std::string& username : usernames) {
        auto contact = addContact(username);
        if (!contact) {
            return fail(contact.error());
        }
        if (!state.isMember(contact->rootId)) {
            state.members.push_back(RoomMember{contact->rootId, contact->username, false});
        }
    }
    const auto id = crypto::randomId<crypto::ConversationId>(crypto::systemRandom());
    storage::ConversationRecord conversation;
    conversation.id = id;
    conversation.kind = storage::ConversationKind::Room;
    conversation.title = state.title;
    conversation.defaults = defaultTimers();
    conversation.createdAtMs = now();
    if (auto saved = m_store->conversations().save(conversation); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    if (auto saved = saveRoom(*m_store, id, state); !saved) {
        return fail(saved.error());
    }
    if (auto sent = sendRoomControl(id, content::GroupControl::ACTION_CREATE, state, {}); !sent) {
        return fail(sent.error());
    }
    noteConversationChanged(id);
    return id;
}

SessionResult<void> Session::sendRoomControl(const crypto::ConversationId& room,
                                             content::GroupControl::Action action,
                                             const RoomState& next,
                                             const std::vector<crypto::RootId>& alsoTell) {
    content::Content body;
    *body.mutable_group_control() = next.toControl(action);
    auto queued = enqueue(room, crypto::ContentType::GroupControl, body, false, alsoTell);
    if (!queued) {
        return fail(queued.error());
    }
    return {};
}

namespace {

// The held state of a room this user manages, or why not.
SessionResult<RoomState> managedRoom(const SessionResult<std::optional<RoomState>>& loaded,
                                     const crypto::RootId& self) {
    if (!loaded) {
        return fail(loaded.error());
    }
    if (!*loaded || !(*loaded)->isMember(self)) {
        return fail(SessionError::NotAMember);
    }
    if (!(*loaded)->isManager(self)) {
        return fail(SessionError::NotAManager);
    }
    return **loaded;
}

} // namespace

SessionResult<void> Session::changeManagedRoom(const crypto::ConversationId& id,
                                               content::GroupControl::Action action,
                                               const RoomChange& change) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto current = managedRoom(loadRoom(id), rootId());
    if (!current) {
        return fail(current.error());
    }
    RoomState next = *current;
    ++next.epoch;
    std::vector<crypto::RootId> alsoTell;
    if (auto changed = change(next, alsoTell); !changed) {
        return changed;
    }
    if (auto saved = saveRoom(*m_store, id, next); !saved) {
        return saved;
    }
    noteConversationChanged(id);
    return sendRoomControl(id, action, next, alsoTell);
}

namespace {

RoomMember* memberNamed(RoomState& state, const std::string& username) {
    const auto it = std::find_if(state.members.begin(), state.members.end(),
                                 [&](const RoomMember& m) { return m.username == username; });
    return it == state.members.end() ? nullptr : &*it;
}

} // namespace

SessionResult<void> Session::addMembers(const crypto::ConversationId& id,
                                        const std::vector<std::string>& usernames) {
    return changeManagedRoom(
        id, content::GroupControl::ACTION_ADD_MEMBERS,
        [&](RoomState& next, std::vector<crypto::RootId>&) -> SessionResult<void> {
            for (const std::string& username : usernames) {
                auto contact = addContact(username);
                if (!contact) {
                    return fail(contact.error());
                }
                if (!next.isMember(contact->rootId)) {
                    next.members.push_back(RoomMember{contact->rootId, contact->username, false});
                }
            }
            if (next.members.size() > kMaxRoomMembers) {
                return fail(SessionError::InvalidArgument);
            }
            return {};
        });
}

SessionResult<void> Session::removeMembers(const crypto::ConversationId& id,
                                           const std::vector<std::string>& usernames) {
    // The removed members hear of it too, and nothing after it.
    return changeManagedRoom(
        id, content::GroupControl::ACTION_REMOVE_MEMBERS,
        [&](RoomState& next, std::vector<crypto::RootId>& removed) -> SessionResult<void> {
            for (const std::string& username : usernames) {
                const RoomMember* member = memberNamed(next, username);
                if (member == nullptr || member->rootId == rootId()) {
                    return fail(SessionError::InvalidArgument);
                }
                const crypto::RootId gone = member->rootId;
                removed.push_back(gone);
                std::erase_if(next.members, [&](const RoomMember& m) { return m.rootId == gone; });
            }
            return {};
        });
}

SessionResult<void> Session::promote(const crypto::ConversationId& id,
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

SessionResult<void> Session::renameRoom(const crypto::ConversationId& id, std::string_view title) {
    if (title.empty() || title.size() > kMaxRoomTitle) {
        return fail(SessionError::InvalidArgument);
    }
    return changeManagedRoom(
        id, content::GroupControl::ACTION_RENAME,
        [&](RoomState& next, std::vector<crypto::RootId>&) -> SessionResult<void> {
            next.title = std::string(title);
            if (auto conversation = m_store->conversations().find(id);
                conversation && *conversation) {
                storage::ConversationRecord renamed = std::move(**conversation);
                renamed.title = next.title;
                (void)m_store->conversations().save(renamed);
            }
            return {};
        });
}

SessionResult<void> Session::leaveRoom(const crypto::ConversationId& id) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto loaded = loadRoom(id);
    if (!loaded) {
        return fail(loaded.error());
    }
    if (!*loaded || !(*loaded)->isMember(rootId())) {
        return fail(SessionError::NotAMember);
    }
    RoomState next = **loaded;
    ++next.epoch;
    std::erase_if(next.members, [&](const RoomMember& m) { return m.rootId == rootId(); });
    if (next.members.empty()) {
        // The last member leaves: nobody to tell, nothing to keep.
        if (auto removed = m_store->conversations().remove(id); !removed) {
            return fail(detail::errorOf(removed.error()));
        }
        noteConversationChanged(id);
        return {};
    }
    if (std::none_of(next.members.begin(), next.members.end(),
                     [](const RoomMember& m) { return m.manager; })) {
        // The last manager leaves: the longest-standing member takes over, so the room can
        // still be managed.
        next.members.front().manager = true;
    }
    // Sent to the membership before the change (this device still holds it), then applied.
    if (auto sent = sendRoomControl(id, content::GroupControl::ACTION_LEAVE, next, {}); !sent) {
        return sent;
    }
    if (auto saved = saveRoom(*m_store, id, next); !saved) {
        return saved;
    }
    noteConversationChanged(id);
    return {};
}

void Session::applyRoomControl(const crypto::DecodedMessage& decoded,
                               const content::GroupControl& control) {
    const crypto::ConversationId& id = decoded.metadata.conversationId;
    auto current = loadRoom(id);
    if (!current) {
        return;
    }
    auto next =
        client::applyRoomControl(*current, decoded.metadata.senderRootId, rootId(), control);
    if (!next) {
        if (next.error() != RoomError::Stale) {
            qCInfo(lcSession) << "room change refused:" << describe(next.error()).data();
            Q_EMIT deliveryDropped(QString::fromLatin1(describe(next.error()).data()));
        }
        return;
    }
    auto conversation = m_store->conversations().find(id);
    if (!conversation) {
        return;
    }
    if (*conversation && (*conversation)->kind != storage::ConversationKind::Room) {
        Q_EMIT deliveryDropped(QStringLiteral("room change for a 1:1 conversation"));
        return;
    }
    storage::ConversationRecord record;
    if (*conversation) {
        record = std::move(**conversation);
    } else {
        record.id = id;
        record.kind = storage::ConversationKind::Room;
        record.defaults = defaultTimers();
        record.createdAtMs = now();
    }
    record.title = next->title;
    if (auto saved = m_store->conversations().save(record); !saved) {
        return;
    }
    if (auto saved = saveRoom(*m_store, id, *next); !saved) {
        return;
    }
    noteConversationChanged(id);
}

} // namespace cinder::client
