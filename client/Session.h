// SPDX-License-Identifier: Apache-2.0
#pragma once

// One account on one device (docs/ARCHITECTURE.md): the facade the desktop app and cinder-cli
// use. It builds the role classes of client/ (Enrollment, Connection, DeviceDirectory,
// PrekeyCache, Outbox, ReceivePipeline, RoomService, FileTransfer, Expiry, Conversations),
// wires their signals to its own and forwards each call to the role that owns it; the owners
// table in docs/ARCHITECTURE.md says which.
//
// Threading: a Session belongs to the thread that made it and must only be called there. It
// blocks that thread while it talks to the server (the socket itself runs on a network thread,
// see ApiChannel), so the app runs its Session on a worker thread and the CLI on its main
// thread. Pushes from the server are handled between calls, never inside one.

#include "client/AccountDirectory.h"
#include "client/ApiChannel.h"
#include "client/ConversationSummary.h"
#include "client/Message.h"
#include "client/RoomState.h"
#include "client/SessionError.h"
#include "client/SessionTypes.h"

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

#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cinder::storage {
class Store;
struct MessageRecord;
} // namespace cinder::storage

namespace cinder::client {

class Connection;
class Conversations;
class DeviceDirectory;
class Expiry;
class FileTransfer;
class MessageViews;
class Outbox;
class PrekeyCache;
class ReceivePipeline;
class RoomService;
class WorkLoop;
struct OpenedAccount;
struct SessionContext;

class Session : public QObject {
    Q_OBJECT
public:
    // --- Accounts (Enrollment, DeviceDirectory) ---
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
    unlock(const QString& accountDirectory, const crypto::SecureBuffer& passphrase,
           SessionOptions options = {});
    ~Session() override;

    // Disconnects and drops every key from memory; the session is unusable afterwards.
    void signOut();
    [[nodiscard]] bool signedOut() const;

    [[nodiscard]] const std::string& username() const;
    [[nodiscard]] const crypto::RootId& rootId() const;
    [[nodiscard]] const crypto::NodeId& nodeId() const;

    [[nodiscard]] SessionResult<std::vector<DeviceInfo>> devices();
    // Publishes a device list without that device; the server disconnects it.
    [[nodiscard]] SessionResult<void> removeDevice(const crypto::NodeId& nodeId);

    // --- Connection (Connection, WorkLoop) ---
    // Connects (and keeps reconnecting); on each connection logs in, refills prekeys when
    // asked, fetches pending deliveries and sends the outbox.
    void goOnline();
    void goOffline();
    [[nodiscard]] bool isOnline() const;
    // Why the session went offline by itself: WrongServer when the server's key or name is
    // not the one the account enrolled with (nothing was signed for it). Cleared by goOnline().
    [[nodiscard]] std::optional<SessionError> serverRefusal() const;
    // Runs the event loop of this thread until logged in or the timeout passes.
    bool waitUntilOnline(int timeoutMs);
    // Runs the event loop until every delivery the server had at login has been handled, no
    // delivery waits, and the outbox holds nothing but messages held back (for an identity
    // change to be accepted), or until the timeout passes. True when idle.
    bool waitUntilIdle(int timeoutMs);
    [[nodiscard]] ReceiveCounters receiveCounters() const;

    // --- Contacts (DeviceDirectory) ---
    // Looks the user up on the server and pins its root key (first contact), or returns the
    // contact already pinned.
    [[nodiscard]] SessionResult<Contact> addContact(std::string_view username);
    [[nodiscard]] SessionResult<std::vector<Contact>> contacts();
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
    [[nodiscard]] SessionResult<Contact> refreshContact(std::string_view username);
    // A contact this device has pinned, without asking the server; nothing when unknown.
    [[nodiscard]] SessionResult<std::optional<Contact>> knownContact(std::string_view username);
    [[nodiscard]] SessionResult<std::optional<Contact>> knownContact(const crypto::RootId& rootId);

    // --- Conversations and messages (Conversations, Expiry, Outbox; values in SessionViews.cpp)
    // ---
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
    // Newest first, older than before when given; at most kMaxMessagePage (client/Message.h).
    [[nodiscard]] SessionResult<std::vector<Message>>
    messagePage(const crypto::ConversationId& conversation,
                std::optional<MessageCursor> before = std::nullopt, int limit = 50);
    // One message; nothing when it is gone (burned, expired) or was never here.
    [[nodiscard]] SessionResult<std::optional<Message>> message(const crypto::MessageId& id);
    // Whether the user has acknowledged, on this device, that messages disappear. Before it,
    // sendText, react, edit, deleteForEveryone and sendFile fail with PolicyNotAcknowledged
    // (cinder-cli: "policy acknowledge"; the app: its policy page).
    [[nodiscard]] bool ephemeralityPolicyAcknowledged();
    [[nodiscard]] SessionResult<void> acknowledgeEphemeralityPolicy();
    [[nodiscard]] SessionResult<std::size_t> outboxSize();

    // --- Rooms (RoomService) ---
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

    // --- Files (Conversations, FileTransfer) ---
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
    // The server was refused and the session went offline (serverRefusal()).
    void serverRefused(cinder::client::SessionError error);
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
    // The server did what only a misbehaving server does, e.g. handed out a one-time prekey
    // again (docs/THREATS.md); what was affected was refused.
    void serverMisbehaved(const QString& what);
    // Upload or download progress of an attachment, in ciphertext bytes.
    void transferProgress(std::int64_t attachmentId, std::uint64_t done, std::uint64_t total);
    void signedOutNow();

private:
    explicit Session(OpenedAccount account, const SessionOptions& options);
    void wireSignals();
    void onPush(const api::Push& push);
    // One round of background work (client/WorkLoop.h); true when more waits.
    bool doWork();

    // SessionViews.cpp: the values the signals carry (client/MessageViews.h).
    MessageViews views();
    // A message just written, with its decoded content: announced without reading it back.
    void announceAdded(const storage::MessageRecord& record, const content::Content& body);
    // A stored message changed: read once, announced.
    void announceUpdated(const crypto::MessageId& id);
    // The conversation's summary is announced on the next turn of the event loop (one for any
    // number of changes in this one).
    void noteConversationChanged(const crypto::ConversationId& id);
    // Each conversation that shows something of this contact is (MessageViews::conversationsWith).
    void noteContactChanged(const crypto::RootId& rootId);
    void announceConversations();
    // For tests only (tests/client/SessionFixture.h): the store, to check what it holds.
    friend struct SessionStoreAccess;

    std::unique_ptr<SessionContext> m_context;
    AccountDirectory m_directory;
    std::unique_ptr<storage::Store> m_store;
    ApiChannel m_channel;
    std::unique_ptr<Connection> m_connection;
    std::unique_ptr<WorkLoop> m_work;
    std::unique_ptr<Expiry> m_expiry;
    std::unique_ptr<DeviceDirectory> m_devices;
    std::unique_ptr<PrekeyCache> m_prekeys;
    std::unique_ptr<FileTransfer> m_files;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<RoomService> m_rooms;
    std::unique_ptr<Conversations> m_conversations;
    std::unique_ptr<ReceivePipeline> m_receive;
    // Conversations to announce, each with the newest message written to it in this turn.
    std::map<crypto::ConversationId, std::optional<Message>> m_changedConversations;
    bool m_conversationsAnnouncement = false; // scheduled
};

} // namespace cinder::client
