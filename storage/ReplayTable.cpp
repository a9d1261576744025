// SPDX-License-Identifier: Apache-2.0
// The replay state and the handled deliveries (ReplayTable.h).

#include "storage/ReplayTable.h"

#include "storage/Database.h"

#include <map>

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
        out.insert(out.end(), sequence);
    }
    return out;
}

} // namespace

StoreResult<crypto::ReplayGuard> ReplayTable::load() {
    crypto::ReplayGuard guard(m_clock);
    guard.pruneExpired();
    if (guard.prunedBefore() > 0) {
        CINDER_TRY_ASSIGN(auto forget,
                          m_db.prepare("DELETE FROM replay_seen WHERE sent_at_ms < ?;"));
        CINDER_TRY(forget.bind(1, guard.prunedBefore()).run());
    }
    std::map<crypto::NodeId, crypto::ReplayGuard::SenderState> senders;
    std::map<crypto::ReplayGuard::MessageKey, std::int64_t> seen;
    {
        CINDER_TRY_ASSIGN(auto statement,
                          m_db.prepare("SELECT node_id, highest, recent FROM replay_senders;"));
        for (;;) {
            CINDER_TRY_ASSIGN(const bool found, statement.step());
            if (!found) {
                break;
            }
            crypto::NodeId node{};
            auto recent = unpackSequences(statement.blob(2));
            if (!detail::readFixed(statement, 0, node) || !recent) {
                return fail(StoreError::Corrupt);
            }
            senders[node] = {static_cast<std::uint64_t>(statement.integer(1)), std::move(*recent)};
        }
    }
    // In key order, so each id is appended at the end of the map.
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("SELECT node_id, message_id, sent_at_ms FROM replay_seen "
                                   "ORDER BY node_id, message_id;"));
    for (;;) {
        CINDER_TRY_ASSIGN(const bool found, statement.step());
        if (!found) {
            break;
        }
        crypto::ReplayGuard::MessageKey key{};
        if (!detail::readFixed(statement, 0, key.first) ||
            !detail::readFixed(statement, 1, key.second)) {
            return fail(StoreError::Corrupt);
        }
        seen.emplace_hint(seen.end(), key, statement.integer(2));
    }
    guard.restore(std::move(senders), std::move(seen));
    return guard;
}

StoreResult<void> ReplayTable::write(crypto::ReplayGuard& guard) {
    guard.pruneExpired();
    if (guard.prunedBefore() > 0) {
        CINDER_TRY_ASSIGN(auto forget,
                          m_db.prepare("DELETE FROM replay_seen WHERE sent_at_ms < ?;"));
        CINDER_TRY(forget.bind(1, guard.prunedBefore()).run());
    }
    {
        CINDER_TRY_ASSIGN(auto sender,
                          m_db.prepare("INSERT OR REPLACE INTO replay_senders (node_id, highest, "
                                       "recent) VALUES (?, ?, ?);"));
        for (const crypto::NodeId& node : guard.unsavedSenders()) {
            const auto& state = guard.senders().at(node);
            CINDER_TRY(sender.bind(1, crypto::ByteView(node))
                           .bind(2, static_cast<std::int64_t>(state.highest))
                           .bind(3, crypto::ByteView(packSequences(state.recent)))
                           .run());
            sender.reset();
        }
    }
    CINDER_TRY_ASSIGN(auto seen,
                      m_db.prepare("INSERT OR REPLACE INTO replay_seen (node_id, message_id, "
                                   "sent_at_ms) VALUES (?, ?, ?);"));
    for (const crypto::ReplayGuard::Accepted& accepted : guard.unsaved()) {
        CINDER_TRY(seen.bind(1, crypto::ByteView(accepted.key.first))
                       .bind(2, crypto::ByteView(accepted.key.second))
                       .bind(3, accepted.sentAtMs)
                       .run());
        seen.reset();
    }
    return {};
}

StoreResult<void> ReplayTable::save(crypto::ReplayGuard& guard) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    CINDER_TRY(write(guard));
    CINDER_TRY(transaction.commit());
    guard.markSaved();
    return {};
}

StoreResult<std::int64_t> ReplayTable::seenCount() {
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare("SELECT count(*) FROM replay_seen;"));
    CINDER_TRY(statement.step());
    return statement.integer(0);
}

StoreResult<bool> ReplayTable::deliveryHandled(const crypto::Sha256Digest& packetHash) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("SELECT 1 FROM handled_deliveries WHERE packet_sha256 = ?;"));
    return statement.bind(1, crypto::ByteView(packetHash)).step();
}

StoreResult<void> ReplayTable::recordHandledDelivery(const crypto::Sha256Digest& packetHash,
                                                     std::int64_t nowMs) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("INSERT OR IGNORE INTO handled_deliveries (packet_sha256, "
                                   "handled_at_ms) VALUES (?, ?);"));
    return statement.bind(1, crypto::ByteView(packetHash)).bind(2, nowMs).run();
}

StoreResult<void>
ReplayTable::settleHandledDeliveries(std::span<const crypto::Sha256Digest> packetHashes,
                                     std::int64_t nowMs, std::int64_t forgetConfirmedBeforeMs,
                                     std::int64_t forgetHandledBeforeMs) {
    CINDER_TRY_ASSIGN(auto transaction, m_db.begin());
    {
        CINDER_TRY_ASSIGN(auto confirm,
                          m_db.prepare("UPDATE handled_deliveries SET acknowledged_at_ms = ? "
                                       "WHERE packet_sha256 = ? AND acknowledged_at_ms IS NULL;"));
        for (const crypto::Sha256Digest& packetHash : packetHashes) {
            CINDER_TRY(confirm.bind(1, nowMs).bind(2, crypto::ByteView(packetHash)).run());
            confirm.reset();
        }
    }
    CINDER_TRY_ASSIGN(auto forget,
                      m_db.prepare("DELETE FROM handled_deliveries WHERE acknowledged_at_ms < ? "
                                   "OR handled_at_ms < ?;"));
    CINDER_TRY(forget.bind(1, forgetConfirmedBeforeMs).bind(2, forgetHandledBeforeMs).run());
    return transaction.commit();
}

} // namespace cinder::storage
