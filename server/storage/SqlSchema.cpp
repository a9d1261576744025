// SPDX-License-Identifier: Apache-2.0
#include "server/storage/SqlSchema.h"

namespace cinder::server {

namespace {

// Column types that differ between the dialects; everything else is shared SQL.
struct Types {
    QString bytes;     // opaque binary
    QString integer;   // 64-bit signed
    QString serialKey; // increasing 64-bit primary key that is never reused
};

Types typesOf(SqlDialect dialect) {
    if (dialect == SqlDialect::Postgres) {
        return {QStringLiteral("BYTEA"), QStringLiteral("BIGINT"),
                QStringLiteral("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")};
    }
    // AUTOINCREMENT: a plain rowid restarts at 1 once the table is empty, which would make a
    // node's delivery ids go backwards after it acknowledged everything.
    return {QStringLiteral("BLOB"), QStringLiteral("INTEGER"),
            QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT")};
}

QStringList migration1(const Types& t) {
    const QString b = t.bytes;
    const QString i = t.integer;
    return {
        QStringLiteral("CREATE TABLE accounts ("
                       " root_id %1 PRIMARY KEY,"
                       " username TEXT NOT NULL UNIQUE,"
                       " root_public_key %1,"
                       " device_list %1,"
                       " device_list_version %2 NOT NULL,"
                       " recovery_bundle %1,"
                       " recovery_verifier_hash %1,"
                       " recovery_kdf_parameters %1,"
                       " discovery_hash %1,"
                       " created_at_ms %2 NOT NULL)")
            .arg(b, i),
        QStringLiteral("CREATE INDEX accounts_discovery ON accounts (discovery_hash)"),
        QStringLiteral("CREATE TABLE nodes ("
                       " node_id %1 PRIMARY KEY,"
                       " root_id %1 NOT NULL,"
                       " node_public_key %1,"
                       " certificate %1)")
            .arg(b),
        QStringLiteral("CREATE INDEX nodes_root ON nodes (root_id)"),
        QStringLiteral("CREATE TABLE prekeys ("
                       " node_id %1 NOT NULL,"
                       " prekey_id %1 NOT NULL,"
                       " signed_prekey %1,"
                       " PRIMARY KEY (node_id, prekey_id))")
            .arg(b),
        QStringLiteral("CREATE TABLE last_resort ("
                       " node_id %1 PRIMARY KEY,"
                       " signed_prekey %1)")
            .arg(b),
        QStringLiteral("CREATE TABLE deliveries ("
                       " delivery_id %3,"
                       " recipient_node_id %1 NOT NULL,"
                       " sender_root_id %1,"
                       " sender_node_id %1,"
                       " packet %1,"
                       " received_at_ms %2 NOT NULL,"
                       " expires_at_ms %2 NOT NULL)")
            .arg(b, i, t.serialKey),
        QStringLiteral(
            "CREATE INDEX deliveries_recipient ON deliveries (recipient_node_id, delivery_id)"),
        QStringLiteral("CREATE INDEX deliveries_expiry ON deliveries (expires_at_ms)"),
        QStringLiteral("CREATE TABLE fanouts ("
                       " fanout_id %1 PRIMARY KEY,"
                       " owner_root_id %1 NOT NULL)")
            .arg(b),
        QStringLiteral("CREATE TABLE fanout_members ("
                       " fanout_id %1 NOT NULL,"
                       " position %2 NOT NULL,"
                       " node_id %1 NOT NULL,"
                       " PRIMARY KEY (fanout_id, position))")
            .arg(b, i),
        QStringLiteral("CREATE TABLE blobs ("
                       " blob_id %1 PRIMARY KEY,"
                       " owner_node_id %1,"
                       " size %2 NOT NULL,"
                       " received %2 NOT NULL,"
                       " sha256 %1,"
                       " expires_at_ms %2 NOT NULL)")
            .arg(b, i),
        QStringLiteral("CREATE INDEX blobs_expiry ON blobs (expires_at_ms)"),
        QStringLiteral("CREATE TABLE blob_chunks ("
                       " blob_id %1 NOT NULL,"
                       " chunk_offset %2 NOT NULL,"
                       " chunk_size %2 NOT NULL,"
                       " data %1,"
                       " PRIMARY KEY (blob_id, chunk_offset))")
            .arg(b, i),
        QStringLiteral("CREATE TABLE recovery_attempts ("
                       " root_id %1 PRIMARY KEY,"
                       " consecutive_failures %2 NOT NULL,"
                       " locked_until_ms %2 NOT NULL)")
            .arg(b, i),
        QStringLiteral("CREATE TABLE events ("
                       " event_id %3,"
                       " root_id %1 NOT NULL,"
                       " kind TEXT NOT NULL,"
                       " at_ms %2 NOT NULL)")
            .arg(b, i, t.serialKey),
        QStringLiteral("CREATE INDEX events_root ON events (root_id)"),
        QStringLiteral("CREATE INDEX events_at ON events (at_ms)"),
    };
}

// Fan-out lists belong to the device that set them, not to its account: keyed on
// (owner_node_id, fanout_id). Lists are routing caches the clients upload again, so the old
// per-account ones are dropped rather than converted (clients derive new ids for them).
QStringList migration2(const Types& t) {
    const QString b = t.bytes;
    const QString i = t.integer;
    return {
        QStringLiteral("DROP TABLE fanout_members"),
        QStringLiteral("DROP TABLE fanouts"),
        QStringLiteral("CREATE TABLE fanouts ("
                       " owner_node_id %1 NOT NULL,"
                       " fanout_id %1 NOT NULL,"
                       " PRIMARY KEY (owner_node_id, fanout_id))")
            .arg(b),
        QStringLiteral("CREATE TABLE fanout_members ("
                       " owner_node_id %1 NOT NULL,"
                       " fanout_id %1 NOT NULL,"
                       " position %2 NOT NULL,"
                       " node_id %1 NOT NULL,"
                       " PRIMARY KEY (owner_node_id, fanout_id, position))")
            .arg(b, i),
    };
}

} // namespace

std::vector<QStringList> schemaMigrations(SqlDialect dialect) {
    const Types t = typesOf(dialect);
    return {migration1(t), migration2(t)};
}

QStringList schemaTables() {
    return {QStringLiteral("accounts"),       QStringLiteral("nodes"),
            QStringLiteral("prekeys"),        QStringLiteral("last_resort"),
            QStringLiteral("deliveries"),     QStringLiteral("fanouts"),
            QStringLiteral("fanout_members"), QStringLiteral("blobs"),
            QStringLiteral("blob_chunks"),    QStringLiteral("recovery_attempts"),
            QStringLiteral("events"),         QStringLiteral("schema_version")};
}

} // namespace cinder::server
