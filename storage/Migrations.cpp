// SPDX-License-Identifier: Apache-2.0
// The schema of the local store, as numbered migrations. Never edit a released migration:
// append a new one.

#include "storage/Migrations.h"

#include <array>

namespace cinder::storage::detail {

namespace {

struct Migration {
    int version;
    const char* sql;
};

// Version 1: the whole first schema. Times are ms since the epoch; ids are the protocol's
// fixed-size blobs; messages and conversations use an integer row id internally so that the
// page index (conversation, sent_at_ms, id) stays small.
constexpr const char* kSchema1 = R"sql(
CREATE TABLE identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    username TEXT NOT NULL,
    root_id BLOB NOT NULL,
    root_public_key BLOB NOT NULL,
    root_private_key BLOB NOT NULL,
    remote_storage_key BLOB NOT NULL,
    node_storage_root_key BLOB NOT NULL,
    node_id BLOB NOT NULL,
    node_public_key BLOB NOT NULL,
    node_private_key BLOB NOT NULL,
    node_certificate BLOB NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE prekeys (
    prekey_id BLOB PRIMARY KEY,
    private_key BLOB NOT NULL,
    public_key BLOB NOT NULL,
    last_resort INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE contacts (
    root_id BLOB PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    pinned_root_key BLOB NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0,
    identity_changed INTEGER NOT NULL DEFAULT 0,
    pending_root_key BLOB,
    device_list_version INTEGER NOT NULL DEFAULT 0,
    device_list BLOB NOT NULL,
    added_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    conversation_id BLOB NOT NULL UNIQUE,
    kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
    title TEXT NOT NULL DEFAULT '',
    peer_root_id BLOB,
    default_ttl_seconds INTEGER NOT NULL,
    default_burn_on_read INTEGER NOT NULL DEFAULT 0,
    default_burn_seconds INTEGER NOT NULL DEFAULT 0,
    unread_count INTEGER NOT NULL DEFAULT 0,
    last_activity_ms INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX conversations_by_activity ON conversations (last_activity_ms);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    message_id BLOB NOT NULL UNIQUE,
    conversation INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    sender_root_id BLOB NOT NULL,
    sender_node_id BLOB NOT NULL,
    sequence INTEGER NOT NULL,
    sent_at_ms INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    content_type INTEGER NOT NULL,
    body BLOB NOT NULL,
    reply_to BLOB,
    outgoing INTEGER NOT NULL,
    edited INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    ttl_seconds INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    burn_on_read INTEGER NOT NULL,
    burn_seconds INTEGER NOT NULL,
    shown_at_ms INTEGER,
    burn_deadline_ms INTEGER,
    read_state INTEGER NOT NULL,
    CHECK (burn_deadline_ms IS NULL OR burn_deadline_ms <= expires_at_ms)
);
CREATE INDEX messages_page ON messages (conversation, sent_at_ms, id);
CREATE INDEX messages_expiry ON messages (expires_at_ms);
CREATE INDEX messages_burn ON messages (burn_deadline_ms) WHERE burn_deadline_ms IS NOT NULL;
CREATE TRIGGER messages_counted AFTER INSERT ON messages BEGIN
    UPDATE conversations
       SET unread_count = unread_count + (NEW.read_state = 0),
           last_activity_ms = max(last_activity_ms, NEW.sent_at_ms)
     WHERE id = NEW.conversation;
END;
CREATE TRIGGER messages_uncounted AFTER DELETE ON messages WHEN OLD.read_state = 0 BEGIN
    UPDATE conversations SET unread_count = unread_count - 1 WHERE id = OLD.conversation;
END;
CREATE TRIGGER messages_recounted AFTER UPDATE OF read_state ON messages
WHEN OLD.read_state <> NEW.read_state BEGIN
    UPDATE conversations
       SET unread_count = unread_count + (NEW.read_state = 0) - (OLD.read_state = 0)
     WHERE id = NEW.conversation;
END;
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    message INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    mime_type TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL,
    ciphertext_sha256 BLOB NOT NULL,
    blob_id BLOB NOT NULL,
    file_key BLOB NOT NULL,
    local_name TEXT UNIQUE
);
CREATE INDEX attachments_by_message ON attachments (message);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id BLOB,
    kind INTEGER NOT NULL,
    payload BLOB NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_expiry ON outbox (expires_at_ms);
CREATE TABLE replay_senders (
    node_id BLOB PRIMARY KEY,
    highest INTEGER NOT NULL,
    recent BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE replay_seen (
    node_id BLOB NOT NULL,
    message_id BLOB NOT NULL,
    sent_at_ms INTEGER NOT NULL,
    PRIMARY KEY (node_id, message_id)
) WITHOUT ROWID;
CREATE TABLE room_state (
    conversation INTEGER PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    state BLOB NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
)sql";

// Version 2: packets already read (or dropped), by SHA-256, until the server has confirmed
// their acknowledgement. The server sends a delivery until it hears that acknowledgement; a
// copy must not be opened again, its one-time key is gone.
constexpr const char* kSchema2 = R"sql(
CREATE TABLE handled_deliveries (
    packet_sha256 BLOB PRIMARY KEY,
    handled_at_ms INTEGER NOT NULL,
    acknowledged_at_ms INTEGER
) WITHOUT ROWID;
)sql";

// Version 3: the replay state is written one id at a time and pruned by age
// (storage/ReplayTable.h); pruning walks this index instead of the whole table.
constexpr const char* kSchema3 = R"sql(
CREATE INDEX replay_seen_by_age ON replay_seen (sent_at_ms);
)sql";

// Version 4: other devices' one-time prekeys this device was handed, so that one handed out
// again is noticed (storage/UsedPrekeyTable.h).
constexpr const char* kSchema4 = R"sql(
CREATE TABLE used_prekeys (
    node_id BLOB NOT NULL,
    prekey_id BLOB NOT NULL,
    used_at_ms INTEGER NOT NULL,
    PRIMARY KEY (node_id, prekey_id)
) WITHOUT ROWID;
CREATE INDEX used_prekeys_by_age ON used_prekeys (used_at_ms);
)sql";

constexpr std::array kMigrations{
    Migration{1, kSchema1},
    Migration{2, kSchema2},
    Migration{3, kSchema3},
    Migration{4, kSchema4},
};

} // namespace

int latestSchemaVersion() {
    return kMigrations.back().version;
}

StoreResult<int> migrate(Database& db, std::int64_t nowMs) {
    CINDER_TRY(db.exec("CREATE TABLE IF NOT EXISTS schema_version ("
                       "version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL);"));
    int current = 0;
    {
        CINDER_TRY_ASSIGN(auto query,
                          db.prepare("SELECT coalesce(max(version), 0) FROM schema_version;"));
        CINDER_TRY(query.step());
        current = static_cast<int>(query.integer(0));
    }
    if (current > latestSchemaVersion()) {
        return crypto::fail(StoreError::SchemaTooNew);
    }
    for (const Migration& migration : kMigrations) {
        if (migration.version <= current) {
            continue;
        }
        CINDER_TRY_ASSIGN(auto transaction, db.begin());
        CINDER_TRY(db.exec(migration.sql));
        CINDER_TRY_ASSIGN(
            auto record,
            db.prepare("INSERT INTO schema_version (version, applied_at_ms) VALUES (?, ?);"));
        CINDER_TRY(record.bind(1, std::int64_t{migration.version}).bind(2, nowMs).run());
        CINDER_TRY(transaction.commit());
        current = migration.version;
    }
    return current;
}

} // namespace cinder::storage::detail
