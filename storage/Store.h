// SPDX-License-Identifier: Apache-2.0
#pragma once

// The local store of one account on one device (docs/ARCHITECTURE.md, "Storage"): one SQLCipher
// database keyed with the raw Klds, plus the account's encrypted attachments/ folder. No SQL
// leaves libcinderstorage.
//
// Store opens the database, runs the migrations and holds the table owners, which share its one
// connection; each owner knows the SQL of its own tables only:
//     keys()           identity, prekeys                    KeyTable
//     contacts()       contacts and their device lists      ContactTable
//     conversations()  conversations                        ConversationTable
//     messages()       messages                             MessageTable
//     attachments()    attachments and their files          AttachmentTable
//     outbox()         outbox                               OutboxTable
//     replay()         replay state, handled deliveries     ReplayTable
//     rooms()          room state                           RoomStateTable
//     settings()       settings                             SettingsTable
// and the two that span owners, each in one transaction:
//     expiry()         expired messages, outbox items, files  ExpiryRun
//     deliveryCommit() a received delivery's messages and     DeliveryCommit
//                      its replay state
// A client role is given the owners it uses, never the Store (docs/ARCHITECTURE.md).
//
// Layout of an account directory:
//     vault            sealed Klds (KeyVault)
//     store.db         the SQLCipher database (and store.db-wal, store.db-shm)
//     attachments/     FileStream ciphertexts under random names (AttachmentStore)
//
// The store deletes expired and burned messages itself, rows and attachment files, on open and
// from a timer (ExpiryRun::startTimer), whether or not anything shows them.
//
// A Store belongs to the thread that opened it. Each call is one transaction.

#include "crypto/SecureBuffer.h"
#include "storage/AttachmentTable.h"
#include "storage/ContactTable.h"
#include "storage/ConversationTable.h"
#include "storage/DeliveryCommit.h"
#include "storage/ExpiryRun.h"
#include "storage/KeyTable.h"
#include "storage/MessageTable.h"
#include "storage/OutboxTable.h"
#include "storage/Records.h"
#include "storage/ReplayTable.h"
#include "storage/RoomStateTable.h"
#include "storage/SettingsTable.h"
#include "storage/StoreTypes.h"

#include <QString>

#include <memory>

namespace cinder::storage {

class Store {
public:
    using Clock = storage::Clock;

    // Opens (creating if needed) the store in accountDirectory with Klds, applies pending
    // migrations, removes unreferenced attachment files and deletes everything expired.
    // WrongKey when klds does not open an existing database.
    [[nodiscard]] static StoreResult<std::unique_ptr<Store>>
    open(const QString& accountDirectory, const crypto::SecureBuffer& klds, Clock clock = {});
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    [[nodiscard]] QString databasePath() const;
    [[nodiscard]] int schemaVersion() const { return m_schemaVersion; }
    // Runs the migrations again (a no-op when current); returns the version.
    [[nodiscard]] StoreResult<int> migrate();
    // Moves the WAL into the database file and truncates it.
    [[nodiscard]] StoreResult<void> checkpoint();
    [[nodiscard]] std::int64_t now() const { return m_clock(); }

    [[nodiscard]] KeyTable& keys() { return m_keys; }
    [[nodiscard]] ContactTable& contacts() { return m_contacts; }
    [[nodiscard]] ConversationTable& conversations() { return m_conversations; }
    [[nodiscard]] MessageTable& messages() { return m_messages; }
    [[nodiscard]] AttachmentTable& attachments() { return m_attachments; }
    [[nodiscard]] OutboxTable& outbox() { return m_outbox; }
    [[nodiscard]] ReplayTable& replay() { return m_replay; }
    [[nodiscard]] RoomStateTable& rooms() { return m_rooms; }
    [[nodiscard]] SettingsTable& settings() { return m_settings; }

    [[nodiscard]] ExpiryRun& expiry() { return m_expiry; }
    [[nodiscard]] DeliveryCommit& deliveryCommit() { return m_deliveryCommit; }

private:
    Store(std::unique_ptr<detail::Database> db, QString directory, Clock clock);

    std::unique_ptr<detail::Database> m_db;
    QString m_directory;
    Clock m_clock;
    KeyTable m_keys;
    ContactTable m_contacts;
    AttachmentTable m_attachments;
    ConversationTable m_conversations;
    MessageTable m_messages;
    OutboxTable m_outbox;
    ReplayTable m_replay;
    RoomStateTable m_rooms;
    SettingsTable m_settings;
    ExpiryRun m_expiry;
    DeliveryCommit m_deliveryCommit;
    int m_schemaVersion = 0;
};

} // namespace cinder::storage
