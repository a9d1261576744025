// SPDX-License-Identifier: Apache-2.0
// The outbox (packets queued while offline), the persisted replay guard, the deliveries
// already handled and room state.

#include "storage/Store.h"

#include "storage/Database.h"

namespace cinder::storage {

using crypto::fail;

namespace {

crypto::Bytes packSequences(const std::set<std::uint64_t>& sequences) {
    crypto::Bytes out;
    out.reserve(sequences.size() * 8);
    for (std::uint64_t sequence : sequences) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.push_back(static_cast<std::uint8_t>(sequence >> shift));
        }
    }
    return out;
}

std::optional<std::set<std::uint64_t>> unpackSequences(crypto::ByteView packed) {
    if (packed.size() % 8 != 0) {
        return std::nullopt;
    }
    std::set<std::uint64_t> out;
    for (std::size_t at = 0; at < packed.size(); at += 8) {
        std::uint64_t sequence = 0;
        for (std::size_t i = 0; i < 8; ++i) {
            sequence = (sequence << 8) | packed[at + i];
        }
        out.insert(sequence);
    }
    return out;
}

} // namespace

// --- Outbox ---

StoreResult<std::int64_t> Store::enqueueOutbox(const OutboxItem& item) {
    auto statement = m_db->prepare("INSERT INTO outbox (message_id, kind, payload, created_at_ms, "
                                   "expires_at_ms, attempts) VALUES (?, ?, ?, ?, ?, 0);");
    if (!statement) {
        return fail(statement.error());
    }
    std::optional<crypto::Bytes> messageId;
    if (item.messageId) {
        messageId = crypto::toBytes(*item.messageId);
    }
    statement->bind(1, messageId)
        .bind(2, std::int64_t{item.kind})
        .bind(3, crypto::ByteView(item.payload))
        .bind(4, item.createdAtMs)
        .bind(5, item.expiresAtMs);
    if (auto inserted = statement->run(); !inserted) {
        return fail(inserted.error());
    }
    return m_db->lastInsertRowId();
}

StoreResult<std::vector<OutboxItem>> Store::peekOutbox(int limit) {
    if (limit <= 0) {
        return fail(StoreError::InvalidArgument);
    }
    auto statement = m_db->prepare("SELECT id, message_id, kind, payload, created_at_ms, "
                                   "expires_at_ms, attempts FROM outbox ORDER BY id LIMIT ?;");
    if (!statement) {
        return fail(statement.error());
    }
    statement->bind(1, std::int64_t{limit});
    std::vector<OutboxItem> out;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        OutboxItem item;
        item.id = statement->integer(0);
        if (!statement->isNull(1)) {
            crypto::MessageId id{};
            if (!detail::readFixed(*statement, 1, id)) {
                return fail(StoreError::Corrupt);
            }
            item.messageId = id;
        }
        item.kind = static_cast<std::uint32_t>(statement->integer(2));
        item.payload = statement->blob(3);
        item.createdAtMs = statement->integer(4);
        item.expiresAtMs = statement->integer(5);
        item.attempts = static_cast<std::uint32_t>(statement->integer(6));
        out.push_back(std::move(item));
    }
    return out;
}

StoreResult<void> Store::removeOutbox(std::int64_t id) {
    auto statement = m_db->prepare("DELETE FROM outbox WHERE id = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    if (auto removed = statement->bind(1, id).run(); !removed) {
        return fail(removed.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

StoreResult<void> Store::recordOutboxAttempt(std::int64_t id) {
    auto statement = m_db->prepare("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    if (auto updated = statement->bind(1, id).run(); !updated) {
        return fail(updated.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

// --- Replay guard ---

StoreResult<void> Store::saveReplayGuard(const crypto::ReplayGuard& guard) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    if (auto cleared = m_db->exec("DELETE FROM replay_senders; DELETE FROM replay_seen;");
        !cleared) {
        return fail(cleared.error());
    }
    {
        auto sender = m_db->prepare(
            "INSERT INTO replay_senders (node_id, highest, recent) VALUES (?, ?, ?);");
        if (!sender) {
            return fail(sender.error());
        }
        for (const auto& [node, state] : guard.senders()) {
            sender->bind(1, crypto::ByteView(node))
                .bind(2, static_cast<std::int64_t>(state.highest))
                .bind(3, crypto::ByteView(packSequences(state.recent)));
            if (auto inserted = sender->run(); !inserted) {
                return fail(inserted.error());
            }
            sender->reset();
        }
    }
    auto seen = m_db->prepare(
        "INSERT INTO replay_seen (node_id, message_id, sent_at_ms) VALUES (?, ?, ?);");
    if (!seen) {
        return fail(seen.error());
    }
    for (const auto& [key, sentAt] : guard.seenMessages()) {
        seen->bind(1, crypto::ByteView(key.first))
            .bind(2, crypto::ByteView(key.second))
            .bind(3, sentAt);
        if (auto inserted = seen->run(); !inserted) {
            return fail(inserted.error());
        }
        seen->reset();
    }
    return transaction->commit();
}

StoreResult<crypto::ReplayGuard> Store::loadReplayGuard() {
    std::map<crypto::NodeId, crypto::ReplayGuard::SenderState> senders;
    std::map<crypto::ReplayGuard::MessageKey, std::int64_t> seen;
    {
        auto statement = m_db->prepare("SELECT node_id, highest, recent FROM replay_senders;");
        if (!statement) {
            return fail(statement.error());
        }
        for (;;) {
            auto row = statement->step();
            if (!row) {
                return fail(row.error());
            }
            if (!*row) {
                break;
            }
            crypto::NodeId node{};
            auto recent = unpackSequences(statement->blob(2));
            if (!detail::readFixed(*statement, 0, node) || !recent) {
                return fail(StoreError::Corrupt);
            }
            senders[node] = {static_cast<std::uint64_t>(statement->integer(1)), std::move(*recent)};
        }
    }
    auto statement = m_db->prepare("SELECT node_id, message_id, sent_at_ms FROM replay_seen;");
    if (!statement) {
        return fail(statement.error());
    }
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        crypto::ReplayGuard::MessageKey key{};
        if (!detail::readFixed(*statement, 0, key.first) ||
            !detail::readFixed(*statement, 1, key.second)) {
            return fail(StoreError::Corrupt);
        }
        seen[key] = statement->integer(2);
    }
    crypto::ReplayGuard guard;
    guard.restore(std::move(senders), std::move(seen));
    return guard;
}

// --- Handled deliveries ---

StoreResult<bool> Store::deliveryHandled(const crypto::Sha256Digest& packetHash) {
    auto statement = m_db->prepare("SELECT 1 FROM handled_deliveries WHERE packet_sha256 = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    auto row = statement->bind(1, crypto::ByteView(packetHash)).step();
    if (!row) {
        return fail(row.error());
    }
    return *row;
}

StoreResult<void> Store::recordHandledDelivery(const crypto::Sha256Digest& packetHash,
                                               std::int64_t nowMs) {
    auto statement = m_db->prepare("INSERT OR IGNORE INTO handled_deliveries (packet_sha256, "
                                   "handled_at_ms) VALUES (?, ?);");
    if (!statement) {
        return fail(statement.error());
    }
    return statement->bind(1, crypto::ByteView(packetHash)).bind(2, nowMs).run();
}

StoreResult<void> Store::settleHandledDeliveries(std::span<const crypto::Sha256Digest> packetHashes,
                                                 std::int64_t nowMs,
                                                 std::int64_t forgetConfirmedBeforeMs,
                                                 std::int64_t forgetHandledBeforeMs) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    auto confirm = m_db->prepare("UPDATE handled_deliveries SET acknowledged_at_ms = ? WHERE "
                                 "packet_sha256 = ? AND acknowledged_at_ms IS NULL;");
    if (!confirm) {
        return fail(confirm.error());
    }
    for (const crypto::Sha256Digest& packetHash : packetHashes) {
        confirm->bind(1, nowMs).bind(2, crypto::ByteView(packetHash));
        if (auto updated = confirm->run(); !updated) {
            return fail(updated.error());
        }
        confirm->reset();
    }
    auto forget = m_db->prepare("DELETE FROM handled_deliveries WHERE acknowledged_at_ms < ? OR "
                                "handled_at_ms < ?;");
    if (!forget) {
        return fail(forget.error());
    }
    forget->bind(1, forgetConfirmedBeforeMs).bind(2, forgetHandledBeforeMs);
    if (auto deleted = forget->run(); !deleted) {
        return fail(deleted.error());
    }
    return transaction->commit();
}

// --- Room state ---

StoreResult<void> Store::saveRoomState(const RoomStateRecord& state) {
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    auto conversation = conversationRow(state.conversationId);
    if (!conversation) {
        return fail(conversation.error());
    }
    auto statement = m_db->prepare(
        "INSERT OR REPLACE INTO room_state (conversation, epoch, state) VALUES (?, ?, ?);");
    if (!statement) {
        return fail(statement.error());
    }
    statement->bind(1, *conversation)
        .bind(2, static_cast<std::int64_t>(state.epoch))
        .bind(3, crypto::ByteView(state.state));
    if (auto saved = statement->run(); !saved) {
        return fail(saved.error());
    }
    return transaction->commit();
}

StoreResult<std::optional<RoomStateRecord>>
Store::roomState(const crypto::ConversationId& conversation) {
    auto statement = m_db->prepare(
        "SELECT r.epoch, r.state FROM room_state r JOIN conversations c ON c.id = r.conversation "
        "WHERE c.conversation_id = ?;");
    if (!statement) {
        return fail(statement.error());
    }
    auto row = statement->bind(1, crypto::ByteView(conversation)).step();
    if (!row) {
        return fail(row.error());
    }
    if (!*row) {
        return std::optional<RoomStateRecord>();
    }
    RoomStateRecord record;
    record.conversationId = conversation;
    record.epoch = static_cast<std::uint64_t>(statement->integer(0));
    record.state = statement->blob(1);
    return std::optional<RoomStateRecord>(std::move(record));
}

} // namespace cinder::storage
