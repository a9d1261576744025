// SPDX-License-Identifier: Apache-2.0
#pragma once

// One account on one device (docs/ARCHITECTURE.md): its identity, its encrypted store, its line
// to the server and the send/receive pipeline over libcindercrypto. The desktop app and
// cinder-cli are two faces over this object.
//
// Threading: a Session belongs to the thread that made it and must only be called there. It
// blocks that thread while it talks to the server (the socket itself runs on a network thread,
// see ApiChannel), so the app runs its Session on a worker thread and the CLI on its main
// thread. Pushes from the server are handled between calls, never inside one.
//
// Sending: every outgoing message is written to the store and to the outbox first, then
// encrypted and sent by the outbox pump when the server is reachable, so nothing written
// offline is lost. Encryption always targets the devices of the membership this device holds
// (signed device lists, signed group-control messages), never a list the server provides.
//
// Receiving: each delivery is decrypted against the sender's device as certified by the root
// key pinned at first contact, stored (with the sender's timers) and then acknowledged; an
// undecryptable or replayed delivery is acknowledged and dropped, one from a contact whose
// identity changed is kept on the server until the user accepts the change.

#include "client/AccountDirectory.h"
#include "client/ApiChannel.h"
#include "client/ConversationSummary.h"
#include "client/Message.h"
#include "client/MessageViews.h"
#include "client/RoomState.h"
#include "client/SessionError.h"

#include "cinder/api.pb.h"
#include "cinder/content.pb.h"
#include "crypto/DeviceList.h"
#include "crypto/EphemeralKeyPool.h"
#include "crypto/Hash.h"
#include "crypto/Kdf.h"
#include "crypto/NodeIdentity.h"
#include "crypto/PacketDecoder.h"
#include "crypto/ReplayGuard.h"
#include "crypto/RootIdentity.h"
#include "storage/KeyVault.h"
#include "storage/Store.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cinder::client {

struct SessionOptions {
    crypto::ScryptCost vaultCost = storage::KeyVault::defaultCost();
    crypto::ScryptCost recoveryCost{}; // crypto's default for recovery bundles
    net::ServerConnection::BackOff backOff{};
    std::size_t prekeyBatch = 50; // prekeys generated per upload
    std::uint32_t defaultTtlSeconds = 7U * 24U * 3600U;
    int requestTimeoutMs = ApiChannel::kDefaultTimeoutMs;
    int deviceListMaxAgeMs = 60'000; // refresh a contact's devices before sending after this
    // Keep a verified prekey ready for each device recently written to. Off for short-lived
    // processes (the CLI), which would fetch one-time keys of peers only to drop them.
    bool prefetchPrekeys = true;
    storage::Store::Clock clock; // ms since the epoch; the system clock when empty
};

struct NewAccount {
    std::string username;
    std::string passphrase;
    net::ServerEndpoint server;
};

struct DeviceInfo {
    crypto::NodeId nodeId{};
    std::int64_t createdAtMs = 0;
    bool thisDevice = false;
};

// What the receive path did since the session was created: diagnostics, and what tests use to
// see that a delivery is opened once however often it arrives.
struct ReceiveCounters {
    std::uint64_t deliveries = 0;      // delivery pushes received
    std::uint64_t redeliveries = 0;    // of those, already handled: acknowledged, not opened
    std::uint64_t packetsOpened = 0;   // packets given to the decoder (one key agreement each)
    std::uint64_t messageRowsRead = 0; // message rows read back from the store, for any reason
};

struct VerificationInfo {
    std::string username;
    std::string fingerprintDigits; // the contact's fingerprint in digit groups
    std::string safetyCode;        // the same on both devices: compare it with the contact
    crypto::Bytes ownQrPayload;    // what this account's QR code encodes
    bool verified = false;
    bool identityChanged = false;
};

// A received or sent message as the store keeps it, with its content decoded (for tests; views
// use client::Message).
struct MessageView {
    storage::MessageRecord record;
    content::Content content;
};

class Session : public QObject {
    Q_OBJECT
public:
    // --- Accounts (SessionAccount.cpp) ---
    // Registers a new user with this device as its first one, uploads the recovery bundle
    // sealed by the passphrase, and creates the local vault and store.
    [[nodiscard]] static SessionResult<std::unique_ptr<Session>>
    createAccount(const QString& accountDirectory, const NewAccount& account,
                  SessionOptions options = {});
    // Enrolls this device for an existing user from username and passphrase (the recovery
    // bundle). History is not copied: a new device starts empty.
    [[nodiscard]] static SessionResult<std::unique_ptr<Session>>
    signIn(const QString& accountDirectory, const NewAccount& account, SessionOptions options = {});
    // Opens the account already on this device; nothing is changed by a wrong passphrase.
    [[nodiscard]] static SessionResult<std::unique_ptr<Session>>
    unlock(const QString& accountDirectory, std::string_view passphrase,
           SessionOptions options = {});
    ~Session() override;

    // Disconnects and drops every key from memory; the session is unusable afterwards.
    void signOut();
    [[nodiscard]] bool signedOut() const { return m_signedOut; }

    [[nodiscard]] const std::string& username() const { return m_username; }
    [[nodiscard]] const crypto::RootId& rootId() const { return m_rootId; }
    [[nodiscard]] const crypto::NodeId& nodeId() const { return m_nodeId; }

    [[nodiscard]] SessionResult<std::vector<DeviceInfo>> devices();
    // Publishes a device list without that device; the server disconnects it.
    [[nodiscard]] SessionResult<void> removeDevice(const crypto::NodeId& nodeId);

    // --- Connection (Session.cpp) ---
    // Connects (and keeps reconnecting); on each connection logs in, refills prekeys when
    // asked, fetches pending deliveries and sends the outbox.
    void goOnline();
    void goOffline();
    [[nodiscard]] bool isOnline() const { return m_loggedIn; }
    // Runs the event loop of this thread until logged in or the timeout passes.
    bool waitUntilOnline(int timeoutMs);
    // Runs the event loop until every delivery the server had at login has been handled, no
    // delivery waits, and the outbox holds nothing but messages held back (for an identity
    // change to be accepted), or until the timeout passes. True when idle.
    bool waitUntilIdle(int timeoutMs);
    [[nodiscard]] ReceiveCounters receiveCounters() const;

    // --- Contacts (SessionContacts.cpp) ---
    // Looks the user up on the server and pins its root key (first contact), or returns the
    // contact already pinned.
    [[nodiscard]] SessionResult<storage::ContactRecord> addContact(std::string_view username);
    [[nodiscard]] SessionResult<std::vector<storage::ContactRecord>> contacts();
    [[nodiscard]] SessionResult<VerificationInfo> verification(std::string_view username);
    // This account's own fingerprint digits and QR payload (no contact needed).
    [[nodiscard]] SessionResult<VerificationInfo> ownVerification();
    // The user compared the safety code with the contact's and they match.
    [[nodiscard]] SessionResult<void> markVerified(std::string_view username);
    // The contact's QR payload matches the pinned key: the contact becomes verified. A code
    // of another user or key is InvalidArgument and changes nothing.
    [[nodiscard]] SessionResult<void> verifyQr(std::string_view username, crypto::ByteView payload);
    // Pins the new root key of a contact whose identity changed; sending is allowed again.
    [[nodiscard]] SessionResult<void> acceptIdentityChange(std::string_view username);
    // Fetches the contact's profile again (new devices, or a changed identity).
    [[nodiscard]] SessionResult<storage::ContactRecord> refreshContact(std::string_view username);
    // A contact this device has pinned, without asking the server; nothing when unknown.
    [[nodiscard]] SessionResult<std::optional<storage::ContactRecord>>
    knownContact(std::string_view username);
    [[nodiscard]] SessionResult<std::optional<storage::ContactRecord>>
    knownContact(const crypto::RootId& rootId);

    // --- Conversations and messages (SessionSend.cpp) ---
    [[nodiscard]] SessionResult<crypto::ConversationId> openDirect(std::string_view username);
    // Every conversation with its newest message, most recent activity first.
    [[nodiscard]] SessionResult<std::vector<ConversationSummary>> conversations();
    [[nodiscard]] SessionResult<std::optional<ConversationSummary>>
    conversation(const crypto::ConversationId& id);
    [[nodiscard]] SessionResult<void> setConversationTimers(const crypto::ConversationId& id,
                                                            const crypto::Ephemerality& timers);
    // The timers new conversations start with (kept in the store; options' ttl until set).
    [[nodiscard]] crypto::Ephemerality defaultTimers();
    [[nodiscard]] SessionResult<void> setDefaultTimers(const crypto::Ephemerality& timers);
    [[nodiscard]] SessionResult<crypto::MessageId>
    sendText(const crypto::ConversationId& conversation, std::string_view text,
             std::optional<crypto::MessageId> replyTo = std::nullopt);
    [[nodiscard]] SessionResult<crypto::MessageId> react(const crypto::ConversationId& conversation,
                                                         const crypto::MessageId& target,
                                                         std::string_view emoji,
                                                         bool remove = false);
    [[nodiscard]] SessionResult<crypto::MessageId> edit(const crypto::ConversationId& conversation,
                                                        const crypto::MessageId& target,
                                                        std::string_view text);
    // Deletes one of this account's messages everywhere (a tombstone stays).
    [[nodiscard]] SessionResult<crypto::MessageId>
    deleteForEveryone(const crypto::ConversationId& conversation, const crypto::MessageId& target);
    // Marks messages shown here (starting burn timers) and tells their senders.
    [[nodiscard]] SessionResult<void> markRead(const crypto::ConversationId& conversation,
                                               const std::vector<crypto::MessageId>& ids);
    // Newest first, decoded.
    [[nodiscard]] SessionResult<std::vector<MessageView>>
    messages(const crypto::ConversationId& conversation, int limit = 50);
    // Newest first, older than before when given; at most storage's page size (500).
    [[nodiscard]] SessionResult<std::vector<Message>>
    messagePage(const crypto::ConversationId& conversation,
                std::optional<MessageCursor> before = std::nullopt, int limit = 50);
    // One message; nothing when it is gone (burned, expired) or was never here.
    [[nodiscard]] SessionResult<std::optional<Message>> message(const crypto::MessageId& id);
    // Whether the user has acknowledged, on this device, that messages disappear (nothing can
    // be sent in the app before).
    [[nodiscard]] bool ephemeralityPolicyAcknowledged();
    [[nodiscard]] SessionResult<void> acknowledgeEphemeralityPolicy();
    [[nodiscard]] SessionResult<std::size_t> outboxSize();

    // --- Rooms (SessionRooms.cpp) ---
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

    // --- Files (SessionFiles.cpp) ---
    // Encrypts the file into the attachment store, queues the upload and the message.
    [[nodiscard]] SessionResult<crypto::MessageId>
    sendFile(const crypto::ConversationId& conversation, const QString& path);
    // Downloads (resuming a partial download) and checks a received attachment.
    [[nodiscard]] SessionResult<void> downloadAttachment(std::int64_t attachmentId);
    // Decrypts a downloaded attachment into directory under a safe name; returns the path.
    [[nodiscard]] SessionResult<QString> saveAttachment(std::int64_t attachmentId,
                                                        const QString& directory);
    [[nodiscard]] SessionResult<Attachment> attachment(std::int64_t attachmentId);

Q_SIGNALS:
    void onlineChanged(bool online);
    // A message stored on this device: received, or written here.
    void messageAdded(const cinder::client::Message& message);
    // A stored message changed: edited, deleted by its sender, a reaction's target, shown, read
    // by a recipient, sent or given up, its attachment downloaded.
    void messageUpdated(const cinder::client::Message& message);
    // Messages gone from this device (expired or burned).
    void messagesRemoved(const std::vector<cinder::crypto::MessageId>& ids);
    // A conversation is new or changed (title, timers, members, unread count, newest message,
    // its contact's state). Announced once per change of the event loop's turn, after the
    // messages that changed it.
    void conversationUpdated(const cinder::client::ConversationSummary& summary);
    void conversationRemoved(const cinder::crypto::ConversationId& id);
    void contactChanged(const cinder::crypto::RootId& rootId);
    // A delivery that could not be read (not for this device, tampered, replayed).
    void deliveryDropped(const QString& reason);
    // Upload or download progress of an attachment, in ciphertext bytes.
    void transferProgress(std::int64_t attachmentId, std::uint64_t done, std::uint64_t total);
    void signedOutNow();

private:
    // Records the attachment of a message just stored, before it is queued; returns its id.
    using AttachHook = std::function<SessionResult<std::int64_t>(const crypto::MessageId&)>;
    struct CachedDevices {
        crypto::VerifiedDeviceList list;
        std::int64_t fetchedAtMs = 0;
    };

    Session(AccountDirectory directory, std::unique_ptr<storage::Store> store,
            crypto::RootIdentity root, crypto::NodeIdentity node, crypto::EphemeralKeyPool pool,
            crypto::ReplayGuard replayGuard, net::ServerEndpoint server, SessionOptions options);
    [[nodiscard]] static SessionResult<std::unique_ptr<Session>>
    createLocal(const AccountDirectory& directory, const NewAccount& account,
                crypto::RootIdentity root, crypto::NodeIdentity node, SessionOptions options);

    std::int64_t now() const;
    net::Reply call(api::Verb verb, const google::protobuf::Message& body);
    template <typename Message>
    SessionResult<Message> callFor(api::Verb verb, const google::protobuf::Message& body);

    // Session.cpp
    void onConnected();
    void onDisconnected();
    void onPush(const api::Push& push);
    SessionResult<void> login();
    // Uploads a batch when the server holds fewer than the refill threshold (asked when
    // knownRemaining is not given).
    SessionResult<void> refillPrekeys(std::optional<std::uint32_t> knownRemaining = std::nullopt);
    void scheduleWork();
    void doWork();

    // SessionContacts.cpp
    SessionResult<storage::ContactRecord> pinProfile(const api::Profile& profile,
                                                     std::string_view expectedUsername);
    SessionResult<const crypto::VerifiedDeviceList*> devicesOf(const crypto::RootId& rootId,
                                                               bool forceRefresh);
    SessionResult<storage::ContactRecord> contactNamed(std::string_view username);
    SessionResult<api::Profile> fetchProfile(const api::ProfileRequest& request);

    // SessionReceive.cpp
    void handleDeliveries();
    enum class Disposition { Acknowledge, Keep };
    Disposition handleDelivery(const api::Delivery& delivery);
    void applyContent(const crypto::DecodedMessage& decoded, const content::Content& body,
                      std::int64_t receivedAtMs);
    SessionResult<crypto::ConversationId> conversationFor(const crypto::DecodedMessage& decoded,
                                                          const content::Content& body);

    // SessionSend.cpp
    SessionResult<crypto::MessageId> enqueue(const crypto::ConversationId& conversation,
                                             crypto::ContentType type, const content::Content& body,
                                             bool storeLocally,
                                             std::vector<crypto::RootId> extraRecipients = {},
                                             const AttachHook& attach = {});
    SessionResult<std::vector<crypto::RootId>>
    recipientsOf(const storage::ConversationRecord& conversation);
    // Sends one outbox item: Ok(true) sent, Ok(false) kept for later.
    SessionResult<bool> sendPending(const storage::OutboxItem& item);
    void pumpOutbox();
    SessionResult<crypto::Sha256Digest>
    updateFanout(const crypto::ConversationId& room,
                 const google::protobuf::RepeatedPtrField<std::string>& nodeIds);
    SessionResult<std::vector<crypto::VerifiedPrekey>>
    takePrekeys(const std::vector<const crypto::VerifiedNode*>& nodes);
    void prefetchPrekeys();
    std::uint64_t nextSequence();

    // SessionRooms.cpp
    SessionResult<void> sendRoomControl(const crypto::ConversationId& room,
                                        content::GroupControl::Action action, const RoomState& next,
                                        const std::vector<crypto::RootId>& alsoTell);
    void applyRoomControl(const crypto::DecodedMessage& decoded, const content::GroupControl& body);
    // A manager's change: load the held state, bump the epoch, change it, save, tell the room
    // (and alsoTell, e.g. removed members).
    using RoomChange =
        std::function<SessionResult<void>(RoomState& next, std::vector<crypto::RootId>& alsoTell)>;
    SessionResult<void> changeManagedRoom(const crypto::ConversationId& room,
                                          content::GroupControl::Action action,
                                          const RoomChange& change);
    SessionResult<std::optional<RoomState>> loadRoom(const crypto::ConversationId& room);

    // SessionFiles.cpp
    SessionResult<void> uploadAttachment(std::int64_t attachmentId);

    // SessionEvents.cpp: the values the signals carry (client/MessageViews.h).
    MessageViews views();
    // A message just written, with its decoded content: announced without reading it back.
    void announceAdded(const storage::MessageRecord& record, const content::Content& body);
    // A stored message changed: read once, announced.
    void announceUpdated(const crypto::MessageId& id);
    // The conversation's summary is announced on the next turn of the event loop (one for any
    // number of changes in this one); with everything, all conversations are.
    void noteConversationChanged(const crypto::ConversationId& id);
    void noteAllConversationsChanged();
    void announceConversations();
    // For tests only (tests/client/SessionFixture.h): the store, to check what it holds.
    friend struct SessionStoreAccess;

    AccountDirectory m_directory;
    std::unique_ptr<storage::Store> m_store;
    std::unique_ptr<crypto::RootIdentity> m_root;
    std::unique_ptr<crypto::NodeIdentity> m_node;
    std::unique_ptr<crypto::EphemeralKeyPool> m_pool;
    std::unique_ptr<crypto::ReplayGuard> m_replayGuard;
    net::ServerEndpoint m_server;
    SessionOptions m_options;
    std::string m_username;
    crypto::RootId m_rootId{};
    crypto::NodeId m_nodeId{};
    ApiChannel m_channel;

    bool m_online = false; // goOnline() called
    bool m_loggedIn = false;
    bool m_loggingIn = false; // login() runs: its own calls may go out
    bool m_signedOut = false;
    bool m_working = false;
    bool m_workScheduled = false;
    bool m_refillWanted = false;
    std::uint32_t m_awaitingDeliveries = 0; // pending at login and not yet handled
    std::size_t m_heldBack = 0;             // outbox items the last pump could not send
    std::deque<api::Delivery> m_incoming;
    ReceiveCounters m_receiveCounters;
    std::map<crypto::RootId, CachedDevices> m_devices;
    std::map<crypto::NodeId, std::deque<crypto::VerifiedPrekey>> m_prekeys;
    std::set<crypto::NodeId> m_prefetchWanted;
    // Conversations to announce, each with the newest message written to it in this turn.
    std::map<crypto::ConversationId, std::optional<Message>> m_changedConversations;
    bool m_allConversationsChanged = false;
    bool m_conversationsAnnouncement = false; // scheduled
};

} // namespace cinder::client
