// SPDX-License-Identifier: Apache-2.0
#pragma once

// The values Store reads and writes. Plain structs: secrets are SecureBuffers, identifiers are
// the protocol's fixed-size types, times are milliseconds since the Unix epoch (UTC).

#include "crypto/Bytes.h"
#include "crypto/Hash.h"
#include "crypto/Identifiers.h"
#include "crypto/MessageMetadata.h"
#include "crypto/SecureBuffer.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cinder::storage {

// This device's own keys (one row). Private keys are columns of the encrypted database.
struct IdentityRecord {
    std::string username;
    crypto::RootId rootId{};
    crypto::Bytes rootPublicKey;
    crypto::SecureBuffer rootPrivateKey; // may be empty on a device that does not hold Kr
    crypto::SecureBuffer remoteStorageKey;
    crypto::SecureBuffer nodeStorageRootKey;
    crypto::NodeId nodeId{};
    crypto::Bytes nodePublicKey;
    crypto::SecureBuffer nodePrivateKey;
    crypto::Bytes nodeCertificate;
    std::int64_t createdAtMs = 0;
};

// One private prekey KEn of this device's pool.
struct PrekeyRecord {
    crypto::PrekeyId id{};
    crypto::SecureBuffer privateKey; // scalar, kPrivateKeySize bytes
    crypto::Bytes publicKey;
    bool lastResort = false;
    std::int64_t createdAtMs = 0;
};

struct ContactRecord {
    crypto::RootId rootId{};
    std::string username;
    std::string displayName;
    crypto::Bytes pinnedRootKey;                 // PKr pinned at first contact
    bool verified = false;                       // fingerprint or QR compared
    bool identityChanged = false;                // a different PKr was seen; sending blocked
    std::optional<crypto::Bytes> pendingRootKey; // that different PKr, until accepted
    std::uint64_t deviceListVersion = 0;         // highest signed version seen
    crypto::Bytes deviceList;                    // the signed device list of that version
    std::int64_t addedAtMs = 0;
};

enum class ConversationKind : std::uint8_t {
    Direct = 1, // 1:1 with one contact
    Room = 2,
};

struct ConversationRecord {
    crypto::ConversationId id{};
    ConversationKind kind = ConversationKind::Direct;
    std::string title;
    std::optional<crypto::RootId> peerRootId; // the contact of a Direct conversation
    crypto::Ephemerality defaults;            // timers new messages get
    std::int64_t createdAtMs = 0;
    // Maintained by the store:
    std::uint32_t unreadCount = 0;
    std::int64_t lastActivityMs = 0;
};

enum class ReadState : std::uint8_t {
    Unread = 0, // received and not shown yet
    Read = 1,   // shown, or written on this account
    Seen = 2,   // written on this account, and a recipient's read receipt came back
    Queued = 3, // written on this device, still in its outbox (not accepted by the server yet)
    Failed = 4, // written on this device, and sending it was given up
};

// Where a page of messages ends: pass the last message of one page to get the next (older) one.
struct MessageCursor {
    std::int64_t sentAtMs = 0;
    std::int64_t rowId = 0;
};

struct MessageRecord {
    crypto::MessageId id{};
    crypto::ConversationId conversationId{};
    crypto::RootId senderRootId{};
    crypto::NodeId senderNodeId{};
    std::uint64_t sequence = 0;
    std::int64_t sentAtMs = 0;
    std::int64_t receivedAtMs = 0;
    crypto::ContentType contentType = crypto::ContentType::Text;
    crypto::Bytes body; // the decrypted content, encoded by its content type
    std::optional<crypto::MessageId> replyTo;
    bool outgoing = false;
    bool edited = false;
    bool deleted = false;
    crypto::Ephemerality ephemerality;
    ReadState readState = ReadState::Unread;
    // Set by the store (ignored on insert):
    std::int64_t expiresAtMs = 0;               // sentAtMs + ttl
    std::optional<std::int64_t> shownAtMs;      // first shown on this device
    std::optional<std::int64_t> burnDeadlineMs; // min(shown + burn, expiresAtMs)
    std::int64_t rowId = 0;

    [[nodiscard]] MessageCursor cursor() const { return {sentAtMs, rowId}; }
};

// A file attached to a message. The file on disk is the FileStream ciphertext (the same bytes
// as the server blob), named at random under the account's attachments/ folder.
struct AttachmentRecord {
    std::int64_t id = 0;
    crypto::MessageId messageId{};
    std::string fileName; // as the sender named it: display only, never a path
    std::string mimeType;
    std::uint64_t size = 0; // plaintext bytes
    crypto::Sha256Digest ciphertextSha256{};
    crypto::Bytes blobId;                 // the server blob, empty when never uploaded
    crypto::SecureBuffer fileKey;         // FileStream key
    std::optional<std::string> localName; // set once the encrypted file is on disk
};

// A packet waiting to be sent when the connection returns.
struct OutboxItem {
    std::int64_t id = 0;
    std::optional<crypto::MessageId> messageId;
    std::uint32_t kind = 0; // the caller's request kind
    crypto::Bytes payload;  // an encrypted packet and its routing, opaque here
    std::int64_t createdAtMs = 0;
    std::int64_t expiresAtMs = 0; // dropped by deleteExpired after this
    std::uint32_t attempts = 0;
};

// Room membership as the client holds it (epoch, members, managers), opaque for now.
struct RoomStateRecord {
    crypto::ConversationId conversationId{};
    std::uint64_t epoch = 0;
    crypto::Bytes state;
};

} // namespace cinder::storage
