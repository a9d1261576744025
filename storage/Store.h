// SPDX-License-Identifier: Apache-2.0
#pragma once

// The local store of one account on one device (docs/ARCHITECTURE.md, "Storage"): one SQLCipher
// database keyed with the raw Klds, plus the account's encrypted attachments/ folder. Every other
// part of Cinder reaches the database through this typed interface; no SQL leaves libcinderstorage.
//
// Layout of an account directory:
//     vault            sealed Klds (KeyVault)
//     store.db         the SQLCipher database (and store.db-wal, store.db-shm)
//     attachments/     FileStream ciphertexts under random names (AttachmentStore)
//
// Timers (Wickr's model): a message expires at sentAt + ttl; a burn-on-read message also gets a
// burn deadline when it is first shown, min(shown + burn, expiry), never later than its expiry.
// The store deletes expired and burned messages itself, rows and attachment files, on open and
// from a timer (startExpiryTimer), whether or not anything shows them.
//
// A Store belongs to the thread that opened it. Each call is one transaction.

#include "crypto/EphemeralKeyPool.h"
#include "crypto/Hash.h"
#include "crypto/ReplayGuard.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"
#include "storage/AttachmentStore.h"
#include "storage/Records.h"
#include "storage/StorageError.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace cinder::storage {

namespace detail {
class Database;
}

template <typename T>
using StoreResult = crypto::Result<T, StoreError>;

inline constexpr std::string_view kDatabaseFileName = "store.db";
inline constexpr std::string_view kAttachmentsFolderName = "attachments";
inline constexpr int kMaxPageSize = 500;

class Store : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<std::int64_t()>; // ms since the epoch

    // Opens (creating if needed) the store in accountDirectory with Klds, applies pending
    // migrations, removes unreferenced attachment files and deletes everything expired.
    // WrongKey when klds does not open an existing database.
    [[nodiscard]] static StoreResult<std::unique_ptr<Store>>
    open(const QString& accountDirectory, const crypto::SecureBuffer& klds, Clock clock = {});
    ~Store() override;

    [[nodiscard]] QString databasePath() const;
    [[nodiscard]] const AttachmentStore& attachmentFiles() const { return m_files; }
    [[nodiscard]] int schemaVersion() const { return m_schemaVersion; }
    // Runs the migrations again (a no-op when current); returns the version.
    [[nodiscard]] StoreResult<int> migrate();
    // Moves the WAL into the database file and truncates it.
    [[nodiscard]] StoreResult<void> checkpoint();
    [[nodiscard]] std::int64_t now() const { return m_clock(); }
    // Message rows read back (message(), messagesPage()) since the store was opened: what tests
    // use to see that an announced message is not read again.
    [[nodiscard]] std::uint64_t messageRowsRead() const { return m_messageRowsRead; }

    // --- Own identity (StoreContacts.cpp) ---
    [[nodiscard]] StoreResult<void> saveIdentity(const IdentityRecord& identity);
    [[nodiscard]] StoreResult<std::optional<IdentityRecord>> identity();

    // --- Prekeys ---
    [[nodiscard]] StoreResult<void> savePrekeys(std::span<const PrekeyRecord> prekeys);
    [[nodiscard]] StoreResult<std::vector<PrekeyRecord>> prekeys();
    [[nodiscard]] StoreResult<void> deletePrekey(const crypto::PrekeyId& id);
    // Every entry of the pool, with its private scalar (replaces rows of the same id).
    [[nodiscard]] StoreResult<void> savePrekeyPool(const crypto::EphemeralKeyPool& pool);
    // The pool as stored; Corrupt when a stored pair does not belong together.
    [[nodiscard]] StoreResult<crypto::EphemeralKeyPool> loadPrekeyPool();

    // --- Contacts ---
    // Inserts, or updates the contact with the same root id.
    [[nodiscard]] StoreResult<void> saveContact(const ContactRecord& contact);
    [[nodiscard]] StoreResult<std::optional<ContactRecord>> contact(const crypto::RootId& rootId);
    [[nodiscard]] StoreResult<std::optional<ContactRecord>>
    contactByUsername(std::string_view username);
    [[nodiscard]] StoreResult<std::vector<ContactRecord>> contacts(); // by username
    [[nodiscard]] StoreResult<void> removeContact(const crypto::RootId& rootId);
    [[nodiscard]] StoreResult<void> setContactVerified(const crypto::RootId& rootId, bool verified);
    // A different PKr was seen: flag the contact, keep the pinned key, clear verification.
    [[nodiscard]] StoreResult<void> flagIdentityChange(const crypto::RootId& rootId,
                                                       crypto::ByteView newRootKey);
    // The user accepted the change: pin the pending key, clear the flag (unverified).
    [[nodiscard]] StoreResult<void> acceptIdentityChange(const crypto::RootId& rootId);
    // Stores a signed device list; StaleVersion unless version is above the stored one.
    [[nodiscard]] StoreResult<void> updateDeviceList(const crypto::RootId& rootId,
                                                     std::uint64_t version,
                                                     crypto::ByteView deviceList);

    // --- Conversations (StoreMessages.cpp) ---
    // Inserts, or updates kind, title, peer and default timers of an existing one.
    [[nodiscard]] StoreResult<void> saveConversation(const ConversationRecord& conversation);
    [[nodiscard]] StoreResult<std::optional<ConversationRecord>>
    conversation(const crypto::ConversationId& id);
    // Most recent activity first, with unread counts.
    [[nodiscard]] StoreResult<std::vector<ConversationRecord>> conversations();
    // Deletes the conversation with its messages, attachment files and room state.
    [[nodiscard]] StoreResult<void> removeConversation(const crypto::ConversationId& id);

    // --- Messages ---
    // Duplicate when the message id is stored; UnknownConversation when its conversation is not.
    [[nodiscard]] StoreResult<void> insertMessage(const MessageRecord& message);
    // One transaction for the batch; messages already stored are skipped (at-least-once
    // delivery). Returns how many were inserted. Fails as a whole on any other error.
    [[nodiscard]] StoreResult<std::size_t> insertMessages(std::span<const MessageRecord> batch);
    [[nodiscard]] StoreResult<std::optional<MessageRecord>> message(const crypto::MessageId& id);
    // Newest first; with before, only messages older than that cursor (the next page).
    [[nodiscard]] StoreResult<std::vector<MessageRecord>>
    messagesPage(const crypto::ConversationId& conversation,
                 std::optional<MessageCursor> before = std::nullopt, int limit = 50);
    // The message was shown: marks it read and, for burn-on-read, starts its burn timer once.
    // Returns the burn deadline (unchanged when shown before; nothing without burn-on-read).
    [[nodiscard]] StoreResult<std::optional<std::int64_t>> markShown(const crypto::MessageId& id,
                                                                     std::int64_t nowMs);
    [[nodiscard]] StoreResult<void> setReadState(const crypto::MessageId& id, ReadState state);
    // A message leaves this device's outbox (sent, or given up): Queued becomes `state`. Any
    // other state stays (a read receipt may have come before a retried send returned); false
    // when nothing changed.
    [[nodiscard]] StoreResult<bool> settleQueued(const crypto::MessageId& id, ReadState state);
    // An edit from the sender: replaces the body and sets the edited flag.
    [[nodiscard]] StoreResult<void> applyEdit(const crypto::MessageId& id, crypto::ByteView body);
    // A delete from the sender: keeps a tombstone (deleted flag, empty body), drops attachments.
    [[nodiscard]] StoreResult<void> markDeleted(const crypto::MessageId& id);
    // Removes the message, its attachments (rows and files) everywhere on this device.
    [[nodiscard]] StoreResult<void> deleteMessage(const crypto::MessageId& id);
    // Deletes every message expired or burned at nowMs (rows and attachment files) and every
    // expired outbox item. Returns the ids of the messages removed; emits messagesRemoved.
    [[nodiscard]] StoreResult<std::vector<crypto::MessageId>> deleteExpired(std::int64_t nowMs);
    // Runs deleteExpired(now()) every interval until stopped or destroyed.
    void startExpiryTimer(std::chrono::milliseconds interval);
    void stopExpiryTimer();
    [[nodiscard]] bool expiryTimerActive() const { return m_expiryTimer.isActive(); }

    // --- Attachments (StoreAttachments.cpp) ---
    // Records an attachment of a stored message; returns its id. The file may follow later.
    [[nodiscard]] StoreResult<std::int64_t> addAttachment(const AttachmentRecord& attachment);
    // Encrypts plaintext into the attachments folder under a fresh key and records it.
    [[nodiscard]] StoreResult<AttachmentRecord> importAttachment(const crypto::MessageId& messageId,
                                                                 std::string_view fileName,
                                                                 std::string_view mimeType,
                                                                 std::istream& plaintext);
    // Stores a downloaded blob for a recorded attachment after checking its SHA-256.
    [[nodiscard]] StoreResult<void> importAttachmentCiphertext(std::int64_t attachmentId,
                                                               std::istream& ciphertext);
    // Records the server blob an attachment was uploaded to (or is being uploaded to).
    [[nodiscard]] StoreResult<void> setAttachmentBlob(std::int64_t attachmentId,
                                                      crypto::ByteView blobId);
    [[nodiscard]] StoreResult<std::vector<AttachmentRecord>>
    attachments(const crypto::MessageId& messageId);
    [[nodiscard]] StoreResult<AttachmentRecord> attachment(std::int64_t attachmentId);
    // Streams the decrypted file (error when it has none or it does not decrypt).
    [[nodiscard]] StoreResult<void> readAttachment(std::int64_t attachmentId, std::ostream& out);

    // --- Outbox (StoreState.cpp) ---
    [[nodiscard]] StoreResult<std::int64_t> enqueueOutbox(const OutboxItem& item);
    // Oldest first.
    [[nodiscard]] StoreResult<std::vector<OutboxItem>> peekOutbox(int limit = 100);
    [[nodiscard]] StoreResult<void> removeOutbox(std::int64_t id);
    [[nodiscard]] StoreResult<void> recordOutboxAttempt(std::int64_t id);

    // --- Replay guard ---
    // Replaces the stored state with the guard's.
    [[nodiscard]] StoreResult<void> saveReplayGuard(const crypto::ReplayGuard& guard);
    [[nodiscard]] StoreResult<crypto::ReplayGuard> loadReplayGuard();

    // --- Deliveries already handled, by SHA-256 of the packet ---
    [[nodiscard]] StoreResult<bool> deliveryHandled(const crypto::Sha256Digest& packetHash);
    // Recorded once the delivery was read (or dropped) and before it is acknowledged.
    [[nodiscard]] StoreResult<void> recordHandledDelivery(const crypto::Sha256Digest& packetHash,
                                                          std::int64_t nowMs);
    // The server confirmed the acknowledgement of these packets. Forgets those confirmed before
    // forgetConfirmedBeforeMs, and those never confirmed handled before forgetHandledBeforeMs.
    [[nodiscard]] StoreResult<void>
    settleHandledDeliveries(std::span<const crypto::Sha256Digest> packetHashes, std::int64_t nowMs,
                            std::int64_t forgetConfirmedBeforeMs,
                            std::int64_t forgetHandledBeforeMs);

    // --- Room membership state (opaque for now) ---
    [[nodiscard]] StoreResult<void> saveRoomState(const RoomStateRecord& state);
    [[nodiscard]] StoreResult<std::optional<RoomStateRecord>>
    roomState(const crypto::ConversationId& conversation);

    // --- Settings ---
    [[nodiscard]] StoreResult<void> setSetting(std::string_view key, crypto::ByteView value);
    [[nodiscard]] StoreResult<std::optional<crypto::Bytes>> setting(std::string_view key);
    [[nodiscard]] StoreResult<void> removeSetting(std::string_view key);

signals:
    // Messages the store deleted because they expired or burned.
    void messagesRemoved(const std::vector<cinder::crypto::MessageId>& ids);

private:
    Store(std::unique_ptr<detail::Database> db, QString directory, Clock clock);
    // The integer row of a conversation; UnknownConversation when absent.
    StoreResult<std::int64_t> conversationRow(const crypto::ConversationId& id);
    StoreResult<std::int64_t> messageRow(const crypto::MessageId& id);
    // Local file names of the attachments of the messages matched by a WHERE clause.
    StoreResult<void> removeFiles(const std::vector<std::string>& localNames);
    StoreResult<void> removeOrphanFiles();
    StoreResult<std::vector<std::string>> attachmentFilesOfMessage(std::int64_t messageRow);
    // In one transaction: finds the message's row and attachment files, applies change(row),
    // commits, then removes the files (they are unreachable once the rows are gone).
    StoreResult<void>
    changeMessageAndDropFiles(const crypto::MessageId& id,
                              const std::function<StoreResult<void>(std::int64_t)>& change);
    StoreResult<std::size_t> insertInTransaction(std::span<const MessageRecord> batch,
                                                 bool skipDuplicates);

    std::unique_ptr<detail::Database> m_db;
    QString m_directory;
    AttachmentStore m_files;
    Clock m_clock;
    QTimer m_expiryTimer;
    int m_schemaVersion = 0;
    std::uint64_t m_messageRowsRead = 0;
};

} // namespace cinder::storage
