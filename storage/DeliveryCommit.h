// SPDX-License-Identifier: Apache-2.0
#pragma once

// The commit of one received delivery (docs/ARCHITECTURE.md, "Storage"): its messages, its
// packet recorded as handled and the replay state in one transaction, so a crash cannot keep
// the message and lose the record, or the reverse. It spans two table owners (messages, replay
// state), so it is an owner of its own; the receive path is given it and nothing more of them
// for the commit.

#include "crypto/Hash.h"
#include "crypto/ReplayGuard.h"
#include "storage/Records.h"
#include "storage/StoreTypes.h"

#include <span>
#include <vector>

namespace cinder::storage {

class MessageTable;
class ReplayTable;

// A received message and the hash of the packet it came in.
struct ReceivedMessage {
    MessageRecord record;
    crypto::Sha256Digest packetHash{};
};

class DeliveryCommit {
public:
    DeliveryCommit(detail::Database& db, const Clock& clock, MessageTable& messages,
                   ReplayTable& replay)
        : m_db(db), m_clock(clock), m_messages(messages), m_replay(replay) {}

    // One received delivery, in one transaction: its messages (those stored already are
    // skipped), its packet hash recorded as handled, and what guard accepted since its last
    // save (guard may be null). Returns how many messages were inserted; marks guard saved
    // after the commit.
    [[nodiscard]] StoreResult<std::size_t> commit(std::span<const MessageRecord> messages,
                                                  const crypto::Sha256Digest& packetHash,
                                                  crypto::ReplayGuard* guard = nullptr);
    // Several received deliveries of one message each, in one transaction (a batch costs one
    // commit, not one per message): every message (one stored already is skipped), every packet
    // hash recorded as handled, and what guard accepted since its last save. Returns, per
    // delivery, whether its message was inserted; marks guard saved after the commit.
    [[nodiscard]] StoreResult<std::vector<bool>>
    commitAll(std::span<const ReceivedMessage> received, crypto::ReplayGuard* guard = nullptr);

private:
    detail::Database& m_db;
    const Clock& m_clock;
    MessageTable& m_messages;
    ReplayTable& m_replay;
};

} // namespace cinder::storage
