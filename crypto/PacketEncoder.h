// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sending a message (paper, "Sending a Message"): one packet for every recipient device,
// with the payload key wrapped once per device under a fresh ephemeral key exchange.

#include "crypto/EphemeralKeyPool.h"
#include "crypto/MessageMetadata.h"
#include "crypto/NodeIdentity.h"
#include "crypto/Random.h"
#include "crypto/Result.h"

#include <span>
#include <string_view>
#include <vector>

namespace cinder::crypto {

enum class EncodeError {
    NoRecipients,
    TooManyRecipients,  // more than kMaxRecipientNodes
    DuplicateRecipient, // one device listed twice
    PrekeyNodeMismatch, // a prekey that belongs to another device than listed
    ContentTooLarge,    // more than kMaxContentSize
    InvalidMetadata,    // see metadataIsValid()
    BackendFailure,
};

[[nodiscard]] std::string_view describe(EncodeError error);

// One recipient device: its verified node (chain to the pinned root checked) and one of its
// verified prekeys, fetched ahead of time.
struct RecipientDevice {
    const VerifiedNode* node = nullptr;
    const VerifiedPrekey* prekey = nullptr;
};

class PacketEncoder {
public:
    // workerThreads: how many threads share the per-recipient key exchanges (0 = one per
    // hardware thread). Small packets are always encoded on the calling thread.
    explicit PacketEncoder(const NodeIdentity& sender, unsigned workerThreads = 0);

    // The recipient list is the union of every device of every recipient user and the
    // sender's own other devices (the caller builds it from verified device lists).
    // metadata.senderRootId/senderNodeId are overwritten with the sender's identity.
    [[nodiscard]] Result<Bytes, EncodeError> encode(MessageMetadata metadata, ByteView content,
                                                    std::span<const RecipientDevice> recipients,
                                                    RandomSource& random = systemRandom()) const;

    // As encode(), with the sender's ephemeral key pair KEs supplied by the caller: used only
    // to reproduce known-answer vectors. Never reuse KEs across packets.
    [[nodiscard]] Result<Bytes, EncodeError>
    encodeWithEphemeral(MessageMetadata metadata, ByteView content,
                        std::span<const RecipientDevice> recipients, const KeyPair& ephemeral,
                        RandomSource& random) const;

private:
    const NodeIdentity& m_sender;
    unsigned m_workerThreads;
};

} // namespace cinder::crypto
