// SPDX-License-Identifier: Apache-2.0
#pragma once

// Rooms (docs/PROTOCOL.md, group control): membership changes are signed group-control
// messages from a manager; each device applies them to the state it holds (client/RoomState.h)
// and encrypts only to that membership.

#include "client/RoomState.h"
#include "client/SessionError.h"

#include "crypto/Identifiers.h"
#include "crypto/PacketDecoder.h"
#include "storage/ConversationTable.h"
#include "storage/RoomStateTable.h"

#include <QObject>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinder::client {

class DeviceDirectory;
class Expiry;
class Outbox;
struct SessionContext;

// The room state this device holds (none for a room it has not seen).
[[nodiscard]] SessionResult<std::optional<RoomState>> loadRoom(storage::RoomStateTable& rooms,
                                                               const crypto::ConversationId& room);

class RoomService : public QObject {
    Q_OBJECT
public:
    RoomService(storage::RoomStateTable& rooms, storage::ConversationTable& conversations,
                const SessionContext& context, DeviceDirectory& directory, Outbox& outbox,
                Expiry& expiry);

    [[nodiscard]] SessionResult<crypto::ConversationId>
    createRoom(std::string_view title, const std::vector<std::string>& memberUsernames);
    [[nodiscard]] SessionResult<void> addMembers(const crypto::ConversationId& room,
                                                 const std::vector<std::string>& usernames);
    [[nodiscard]] SessionResult<void> removeMembers(const crypto::ConversationId& room,
                                                    const std::vector<std::string>& usernames);
    [[nodiscard]] SessionResult<void> promote(const crypto::ConversationId& room,
                                              const std::vector<std::string>& usernames);
    [[nodiscard]] SessionResult<void> leaveRoom(const crypto::ConversationId& room);
    [[nodiscard]] SessionResult<void> renameRoom(const crypto::ConversationId& room,
                                                 std::string_view title);
    [[nodiscard]] SessionResult<RoomState> room(const crypto::ConversationId& room);

    // A received group-control message: applied when it comes from a manager of the state
    // held here with a higher epoch, refused (and reported) otherwise; never to a 1:1
    // conversation, and a room new here only when its id derives from the control's nonce.
    void applyControl(const crypto::DecodedMessage& decoded, const content::GroupControl& control);

Q_SIGNALS:
    void conversationChanged(const cinder::crypto::ConversationId& id);
    void deliveryDropped(const QString& reason);

private:
    // A manager's change: load the held state, bump the epoch, change it, save, tell the room
    // (and alsoTell, e.g. removed members).
    using RoomChange =
        std::function<SessionResult<void>(RoomState& next, std::vector<crypto::RootId>& alsoTell)>;
    SessionResult<void> changeManagedRoom(const crypto::ConversationId& room,
                                          content::GroupControl::Action action,
                                          const RoomChange& change);
    SessionResult<void> sendControl(const crypto::ConversationId& room,
                                    content::GroupControl::Action action, const RoomState& next,
                                    const std::vector<crypto::RootId>& alsoTell);
    SessionResult<void> save(const crypto::ConversationId& id, const RoomState& state);
    // WrongConversationKind when the id names a 1:1 conversation held here.
    SessionResult<void> notDirect(const crypto::ConversationId& id);
    void dropControl(RoomError error);

    storage::RoomStateTable& m_roomStates;
    storage::ConversationTable& m_conversations;
    const SessionContext& m_context;
    DeviceDirectory& m_directory;
    Outbox& m_outbox;
    Expiry& m_expiry;
};

} // namespace cinder::client
