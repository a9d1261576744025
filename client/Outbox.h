// SPDX-License-Identifier: Apache-2.0
#pragma once

// The send queue: every outgoing message is written to the store and to the outbox first, then
// encrypted and sent by the pump when the server is reachable, so nothing written offline is
// lost. Encryption always targets the devices of the membership this device holds (signed
// device lists, signed group-control messages), never a list the server provides. A failed
// send is retried a few times, then the message shows as not sent; one to a contact whose
// identity changed is held back until the change is accepted.

#include "client/ServerChannel.h"
#include "client/SessionError.h"

#include "cinder/content.pb.h"
#include "crypto/Hash.h"
#include "crypto/Identifiers.h"
#include "crypto/MessageMetadata.h"
#include "storage/AttachmentTable.h"
#include "storage/ContactTable.h"
#include "storage/ConversationTable.h"
#include "storage/MessageTable.h"
#include "storage/OutboxTable.h"
#include "storage/RoomStateTable.h"
#include "storage/SettingsTable.h"

#include <QObject>

#include <functional>
#include <vector>

namespace cinder::client {

class DeviceDirectory;
class Expiry;
class FileTransfer;
class PrekeyCache;
class WorkLoop;
struct SessionContext;

// The table owners the outbox may touch (docs/ARCHITECTURE.md, owners table).
struct OutboxTables {
    storage::MessageTable& messages;           // messages written here, their states
    storage::OutboxTable& outbox;              // packets waiting for the connection
    storage::ConversationTable& conversations; // read: who a conversation goes to
    storage::ContactTable& contacts;           // read: a direct conversation's peer
    storage::RoomStateTable& rooms;            // read: a room's members
    storage::AttachmentTable& attachments;     // read: the file of an upload
    storage::SettingsTable& settings;          // the sequence number, fan-out lists
};

class Outbox : public QObject {
    Q_OBJECT
public:
    // Records the attachment of a message just stored, before it is queued; returns its id.
    using AttachHook = std::function<SessionResult<std::int64_t>(const crypto::MessageId&)>;

    Outbox(ServerChannel& channel, const OutboxTables& tables, const SessionContext& context,
           DeviceDirectory& directory, PrekeyCache& prekeys, FileTransfer& files, Expiry& expiry,
           WorkLoop& work);

    // Queues a message to the conversation (and to extraRecipients, e.g. members just
    // removed from a room), stored here first when storeLocally; asks for a pump.
    [[nodiscard]] SessionResult<crypto::MessageId>
    enqueue(const crypto::ConversationId& conversation, crypto::ContentType type,
            const content::Content& body, bool storeLocally,
            std::vector<crypto::RootId> extraRecipients = {}, const AttachHook& attach = {});
    // Sends what is queued, in order, while the server is reachable.
    void pump();
    [[nodiscard]] SessionResult<std::size_t> size();
    // Nothing queued but messages held back for an identity change.
    [[nodiscard]] bool onlyHeldBackLeft();

Q_SIGNALS:
    // A message just stored here, with its decoded content (nothing needs to read it back).
    void messageStored(const cinder::storage::MessageRecord& record,
                       const cinder::content::Content& body);
    void messageChanged(const cinder::crypto::MessageId& id);

private:
    SessionResult<std::vector<crypto::RootId>>
    recipientsOf(const storage::ConversationRecord& conversation);
    // Sends one outbox item: Ok(true) sent, Ok(false) kept for later.
    SessionResult<bool> sendPending(const storage::OutboxItem& item);
    SessionResult<std::string> withUploadedFile(const content::PendingSend& pending);
    SessionResult<crypto::Sha256Digest>
    updateFanout(const crypto::ConversationId& room,
                 const google::protobuf::RepeatedPtrField<std::string>& nodeIds);
    std::uint64_t nextSequence();

    ServerChannel& m_channel;
    OutboxTables m_tables;
    const SessionContext& m_context;
    DeviceDirectory& m_directory;
    PrekeyCache& m_prekeys;
    FileTransfer& m_files;
    Expiry& m_expiry;
    WorkLoop& m_work;
    std::size_t m_heldBack = 0; // outbox items the last pump could not send
};

} // namespace cinder::client
