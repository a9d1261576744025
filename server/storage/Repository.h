// SPDX-License-Identifier: Apache-2.0
#pragma once

// Everything cinder-server keeps, behind one interface with two implementations over Qt SQL:
// SQLite (the embedded default: one file) and PostgreSQL (several server processes share one
// database). The server stores only what it must: public keys, signed device lists and
// prekeys, opaque packets until their recipient device acknowledges them, opaque encrypted
// blobs, the recovery bundle (opaque) with a hash of its verifier, and account events for
// seven days. No plaintext, no private key, no client address.
//
// Every method is synchronous and is called from the storage thread only (StorageWorker);
// a method that returns successfully has committed its writes.

#include "crypto/Result.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace cinder::server {

using crypto::fail;
using crypto::Result;

enum class StoreError {
    NotFound,
    Conflict,    // unique key taken, or a device list that is not newer than the stored one
    Invalid,     // a precondition the caller should have checked (wrong offset, size)
    Unavailable, // the database failed; nothing was changed
};

[[nodiscard]] std::string_view describe(StoreError error);

struct AccountRecord {
    QString username;
    QByteArray rootId;
    QByteArray rootPublicKey;
    QByteArray deviceList; // newest signed cinder.wire.DeviceList
    std::uint64_t deviceListVersion = 0;
    QByteArray recoveryBundle;
    QByteArray recoveryVerifierHash; // SHA-256 of the verifier; the verifier itself is not kept
    QByteArray recoveryKdfParameters;
    QByteArray discoveryHash;
    std::int64_t createdAtMs = 0;
};

// A device in the current device list, with its verified public key.
struct NodeRecord {
    QByteArray nodeId;
    QByteArray rootId;
    QByteArray nodePublicKey;
    QByteArray certificate;
};

struct StoredPrekey {
    QByteArray prekeyId;
    QByteArray signedPrekey;
};

struct PrekeyTake {
    QByteArray signedPrekey; // empty: the device has no prekey and no last-resort key
    bool lastResort = false;
    int remaining = 0; // ordinary prekeys left after this one
};

struct NewMessage {
    QByteArray packet;
    QByteArray senderRootId;
    QByteArray senderNodeId;
    std::vector<QByteArray> recipientNodeIds; // distinct, existing devices
    std::int64_t receivedAtMs = 0;
    std::int64_t expiresAtMs = 0;
};

struct PendingDelivery {
    std::uint64_t deliveryId = 0; // increasing per recipient node
    QByteArray recipientNodeId;
    QByteArray senderRootId;
    QByteArray senderNodeId;
    QByteArray packet;
    std::int64_t receivedAtMs = 0;
};

struct Acknowledgement {
    QByteArray nodeId;
    std::vector<std::uint64_t> deliveryIds;
};

struct RecoveryAttempts {
    int consecutiveFailures = 0;
    std::int64_t lockedUntilMs = 0;
};

struct BlobRecord {
    QByteArray blobId;
    QByteArray ownerNodeId;
    std::uint64_t size = 0;
    std::uint64_t received = 0;
    QByteArray sha256;
    std::int64_t expiresAtMs = 0;
    bool complete() const { return received == size; }
};

struct PurgeCounts {
    int deliveries = 0;
    int blobs = 0;
    int events = 0;
};

// What one relay group commit wrote: the rows of the messages, in message and recipient
// order, and the rows deleted for each acknowledgement, in order.
struct RelayCommit {
    std::vector<PendingDelivery> rows;
    std::vector<int> deleted;
};

class Repository {
public:
    virtual ~Repository() = default;

    // Creates or upgrades the schema (numbered migrations, idempotent).
    virtual Result<void, StoreError> migrate() = 0;

    // --- Accounts and devices ---
    // Conflict when the username or the root id exists.
    virtual Result<void, StoreError> createAccount(const AccountRecord& account,
                                                   const std::vector<NodeRecord>& nodes) = 0;
    virtual Result<AccountRecord, StoreError> accountByUsername(const QString& username) = 0;
    virtual Result<AccountRecord, StoreError> accountByRootId(const QByteArray& rootId) = 0;
    virtual Result<std::vector<AccountRecord>, StoreError>
    accountsByDiscoveryHash(const std::vector<QByteArray>& hashes) = 0;
    // Replaces the device list when version is newer (Conflict otherwise). Devices no longer
    // listed lose their prekeys and queued deliveries; their ids are returned.
    virtual Result<std::vector<QByteArray>, StoreError>
    replaceDeviceList(const QByteArray& rootId, std::uint64_t version, const QByteArray& deviceList,
                      const std::vector<NodeRecord>& nodes) = 0;
    virtual Result<NodeRecord, StoreError> node(const QByteArray& nodeId) = 0;
    virtual Result<std::vector<NodeRecord>, StoreError> nodesOf(const QByteArray& rootId) = 0;

    // --- Recovery ---
    virtual Result<RecoveryAttempts, StoreError> recoveryAttempts(const QByteArray& rootId) = 0;
    virtual Result<void, StoreError> setRecoveryAttempts(const QByteArray& rootId,
                                                         const RecoveryAttempts& attempts) = 0;

    // --- Prekeys ---
    // Adds ordinary prekeys (duplicates by id are ignored) and optionally replaces the
    // last-resort key. Returns the number of ordinary prekeys now held.
    virtual Result<int, StoreError> addPrekeys(const QByteArray& nodeId,
                                               const std::vector<StoredPrekey>& prekeys,
                                               const std::optional<QByteArray>& lastResort) = 0;
    // Hands out one ordinary prekey and deletes it, atomically even across server processes;
    // the last-resort key (kept) when none is left.
    virtual Result<PrekeyTake, StoreError> takePrekey(const QByteArray& nodeId) = 0;
    virtual Result<int, StoreError> prekeyCount(const QByteArray& nodeId) = 0;
    virtual Result<bool, StoreError> hasLastResort(const QByteArray& nodeId) = 0;

    // --- Relay ---
    // Stores one row per recipient node for each message, all in one transaction (the
    // server batches concurrent sends into one commit). Returns the rows written, in order.
    virtual Result<std::vector<PendingDelivery>, StoreError>
    enqueue(const std::vector<NewMessage>& messages) = 0;
    // Rows for nodeId with deliveryId > afterId, oldest first.
    virtual Result<std::vector<PendingDelivery>, StoreError>
    pending(const QByteArray& nodeId, std::uint64_t afterId, int limit) = 0;
    virtual Result<int, StoreError> pendingCount(const QByteArray& nodeId) = 0;
    // Deletes the named rows of nodeId only; rows of other nodes are untouched.
    virtual Result<int, StoreError> acknowledge(const QByteArray& nodeId,
                                                const std::vector<std::uint64_t>& deliveryIds) = 0;
    // Many devices' acknowledgements in one transaction (the server batches concurrent ACKs
    // into one commit, as it does sends). Returns the rows deleted for each, in order.
    virtual Result<std::vector<int>, StoreError>
    acknowledgeMany(const std::vector<Acknowledgement>& acks) {
        std::vector<int> deleted;
        for (const Acknowledgement& ack : acks) {
            CINDER_TRY_ASSIGN(auto one, acknowledge(ack.nodeId, ack.deliveryIds));
            deleted.push_back(one);
        }
        return deleted;
    }

    // Stores messages and applies acknowledgements together: the storage thread's group
    // commit. SqlRepository does both in one transaction (one disk sync). This default runs
    // enqueue() and acknowledgeMany() one after the other, so a failure may follow a commit of
    // the messages; a sender told to retry then sends a duplicate, which clients drop.
    virtual Result<RelayCommit, StoreError> commitRelay(const std::vector<NewMessage>& messages,
                                                        const std::vector<Acknowledgement>& acks) {
        RelayCommit commit;
        if (!messages.empty()) {
            CINDER_TRY_ASSIGN(auto rows, enqueue(messages));
            commit.rows = std::move(rows);
        }
        if (!acks.empty()) {
            CINDER_TRY_ASSIGN(auto deleted, acknowledgeMany(acks));
            commit.deleted = std::move(deleted);
        }
        return commit;
    }

    // --- Fan-out lists (efficiency only: clients decide membership) ---
    // A list belongs to the device that set it: (owner node, fan-out id) names it, so no other
    // device, not even one of the same account, can replace it or send through it.
    virtual Result<void, StoreError> setFanout(const QByteArray& ownerNodeId,
                                               const QByteArray& fanoutId,
                                               const std::vector<QByteArray>& nodeIds) = 0;
    virtual Result<std::vector<QByteArray>, StoreError> fanout(const QByteArray& ownerNodeId,
                                                               const QByteArray& fanoutId) = 0;

    // --- Blobs (encrypted file chunks, uploaded in pieces with resume) ---
    virtual Result<BlobRecord, StoreError> createBlob(const BlobRecord& blob) = 0;
    virtual Result<BlobRecord, StoreError> blob(const QByteArray& blobId) = 0;
    // Appends data at offset == received (Invalid otherwise, or past the declared size).
    virtual Result<BlobRecord, StoreError>
    appendBlob(const QByteArray& blobId, std::uint64_t offset, const QByteArray& data) = 0;
    virtual Result<QByteArray, StoreError> readBlob(const QByteArray& blobId, std::uint64_t offset,
                                                    std::uint32_t length) = 0;

    // --- Account events (kept seven days) and expiry ---
    virtual Result<void, StoreError> recordEvent(const QByteArray& rootId, const QString& kind,
                                                 std::int64_t atMs) = 0;
    virtual Result<int, StoreError> eventCount(const QByteArray& rootId) = 0;
    virtual Result<PurgeCounts, StoreError> purgeExpired(std::int64_t nowMs,
                                                         std::int64_t eventCutoffMs) = 0;

    // --- Wake-ups between server processes sharing one database ---
    // From now on, listener(nodeId) is called on the storage thread (which must run a Qt event
    // loop) when another server process has committed deliveries for nodeId; never for this
    // repository's own enqueue. The default does nothing: SQLite has one process, no peers.
    virtual void setRemoteDeliveryListener(std::function<void(const QByteArray& nodeId)> listener) {
        static_cast<void>(listener);
    }
};

} // namespace cinder::server
