// SPDX-License-Identifier: Apache-2.0
#pragma once

// The receive path (docs/PROTOCOL.md, receiving): decode → replay check → apply → persist →
// announce, then acknowledge. Each delivery is decrypted against the sender's device as
// certified by the root key pinned at first contact, stored (with the sender's timers) and
// then acknowledged; an undecryptable or replayed delivery is acknowledged and dropped, one
// from a contact whose identity changed is kept on the server until the user accepts the
// change. A copy of a delivery already handled is recognised by its hash and only
// acknowledged again.
//
// Deliveries are handled in batches (docs/ARCHITECTURE.md, "Receive path"): the senders are
// resolved in order, the packets opened on every core (signature and key agreement, which
// change nothing), then accepted, applied and stored in order, and the batch's new messages
// committed together before they are announced and acknowledged.

#include "client/ServerChannel.h"
#include "client/SessionError.h"
#include "client/SessionTypes.h"

#include "cinder/content.pb.h"
#include "crypto/Hash.h"
#include "crypto/PacketDecoder.h"
#include "crypto/ReplayGuard.h"
#include "storage/AttachmentTable.h"
#include "storage/ContactTable.h"
#include "storage/ConversationTable.h"
#include "storage/DeliveryCommit.h"
#include "storage/MessageTable.h"
#include "storage/ReplayTable.h"
#include "storage/RoomStateTable.h"

#include <QObject>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cinder::client {

class DeviceDirectory;
class Expiry;
class PrekeyCache;
class RoomService;
struct SessionContext;

// The table owners the receive path may touch (docs/ARCHITECTURE.md, owners table).
struct ReceiveTables {
    storage::MessageTable& messages;           // received messages; edits, deletions, receipts
    storage::ConversationTable& conversations; // a conversation met for the first time
    storage::ContactTable& contacts;           // read: the sender's pinned key
    storage::AttachmentTable& attachments;     // a received file's description
    storage::RoomStateTable& rooms;            // read: a room's members
    storage::ReplayTable& replay;              // handled deliveries and the replay state
    storage::DeliveryCommit& deliveryCommit;   // a message with its handled record, at once
};

class ReceivePipeline : public QObject {
    Q_OBJECT
public:
    ReceivePipeline(ServerChannel& channel, const ReceiveTables& tables,
                    const SessionContext& context, DeviceDirectory& directory, PrekeyCache& prekeys,
                    RoomService& rooms, Expiry& expiry, crypto::ReplayGuard replayGuard);

    // A delivery pushed by the server, handled on the next handlePending().
    void queue(const api::Delivery& delivery);
    // The server announced this many deliveries at login; idle waits for them.
    void expectDeliveries(std::uint32_t count) { m_awaitingDeliveries = count; }
    void connectionLost() { m_awaitingDeliveries = 0; }
    [[nodiscard]] bool hasQueued() const { return !m_incoming.empty(); }
    // Handles one batch of queued deliveries, then acknowledges them together.
    void handlePending();
    // Nothing queued and nothing announced still to come.
    [[nodiscard]] bool idle() const { return m_incoming.empty() && m_awaitingDeliveries == 0; }
    [[nodiscard]] const ReceiveCounters& counters() const { return m_counters; }
    // Signed out: drops what waits and the replay state held in memory.
    void clear();

Q_SIGNALS:
    // A message just stored here, with its decoded content (nothing needs to read it back).
    void messageStored(const cinder::storage::MessageRecord& record,
                       const cinder::content::Content& body);
    void messageChanged(const cinder::crypto::MessageId& id);
    void conversationChanged(const cinder::crypto::ConversationId& id);
    void deliveryDropped(const QString& reason);

private:
    enum class Disposition { Acknowledge, Keep };
    struct Pending;
    // The sender's certified device, or what to do with a delivery that cannot be opened.
    void resolveSender(Pending& entry);
    // Opens every resolved packet of the batch, on as many threads as there are cores.
    void openAll(std::vector<Pending>& batch);
    Disposition handleOpened(Pending& entry);
    // First contact pins the sender; a sender whose identity is in doubt waits. Empty when
    // the delivery may be opened.
    std::optional<Disposition> checkSender(const api::Delivery& delivery,
                                           const crypto::RootId& senderRoot);
    // Commits the messages persist() collected, with their packets' handled records and the
    // replay state, then announces them. Runs before anything reads the messages table and at
    // the end of a batch.
    void flushStored();
    void announceStored(const storage::MessageRecord& record, const content::Content& body);
    void apply(const crypto::DecodedMessage& decoded, const content::Content& body,
               std::int64_t receivedAtMs);
    // An edit, a deletion or read receipts: changes to messages held here.
    void applyChange(const crypto::DecodedMessage& decoded, const content::Content& body,
                     const crypto::ConversationId& conversation, std::int64_t receivedAtMs);
    void persist(const crypto::DecodedMessage& decoded, const content::Content& body,
                 const crypto::ConversationId& conversation, std::int64_t receivedAtMs);
    SessionResult<crypto::ConversationId> conversationFor(const crypto::DecodedMessage& decoded,
                                                          const content::Content& body);
    std::optional<storage::MessageRecord> targetIn(const crypto::ConversationId& conversation,
                                                   const std::string& target);

    ServerChannel& m_channel;
    ReceiveTables m_tables;
    const SessionContext& m_context;
    DeviceDirectory& m_directory;
    PrekeyCache& m_prekeys;
    RoomService& m_rooms;
    Expiry& m_expiry;
    std::unique_ptr<crypto::ReplayGuard> m_replayGuard;
    std::deque<api::Delivery> m_incoming;
    std::uint32_t m_awaitingDeliveries = 0;       // pending at login and not yet handled
    std::optional<crypto::Sha256Digest> m_packet; // hash of the delivery being handled
    bool m_committed = false; // its message goes in with its handled record (flushStored)
    // Messages of this batch not committed yet, with their decoded content.
    std::vector<storage::ReceivedMessage> m_unstored;
    std::vector<content::Content> m_unstoredBodies;
    // Packets whose message could not be committed: not acknowledged, the server delivers
    // them again.
    std::vector<crypto::Sha256Digest> m_notStored;
    ReceiveCounters m_counters;
};

} // namespace cinder::client
