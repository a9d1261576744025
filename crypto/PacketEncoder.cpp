// SPDX-License-Identifier: Apache-2.0
// Paper, "Sending a Message":
//   Prepare Packet Header
//     1. K_payload random
//     2. K_header = KDF(IDr_s || IDn_s)
//     3. KEs / PKEs fresh for this packet
//     4. K_exchn = KDF(DH(KEs, PKEn) || PKr_s || PKr_r || IDn)        for every recipient node
//     5. KEDn = E_Kexchn(K_payload) || IDn || IDken
//     6. KEL = KED_0 || ... || KED_n-1
//     7. EPH = E_Kheader(PKEs || KEL)        (Cinder adds the commitment to K_payload)
//   Prepare Packet Content
//     1-2. EP = E_Kpayload(Message Metadata || Message Content)
//     3.   PS = SKn(EPH || EP)               (with version, suite, IDr_s, IDn_s)
//     4.   P  = Version || Cryptographic Configuration || EP || EPH || PS
// The key exchanges of step 4-5 dominate the cost; they run on several threads when the
// packet has many recipients. Every random byte is drawn up front, in a fixed order, so a
// deterministic RandomSource reproduces a packet exactly (tests/vectors).
#include "crypto/PacketEncoder.h"

#include "cinder/packet.pb.h"
#include "crypto/Aead.h"
#include "crypto/MetadataCodec.h"
#include "crypto/PacketKeys.h"
#include "crypto/ParallelFor.h"
#include "crypto/WireCodec.h"

#include <algorithm>
#include <cstring>
#include <set>

namespace cinder::crypto {

namespace {
// Below this many recipients a second thread costs more than it saves.
constexpr std::size_t kRecipientsPerThread = 8;

Nonce randomNonce(RandomSource& random) {
    Nonce nonce{};
    random.fill(nonce);
    return nonce;
}

Result<Bytes, EncodeError> sealWithNonce(ByteView key, const Nonce& nonce, std::string_view aad,
                                         ByteView plaintext) {
    auto context = AeadContext::create(key);
    if (!context) {
        return fail(EncodeError::BackendFailure);
    }
    Bytes sealed(kNonceSize + plaintext.size() + kTagSize);
    std::memcpy(sealed.data(), nonce.data(), kNonceSize);
    if (!context->seal(nonce, asBytes(aad), plaintext, std::span(sealed).subspan(kNonceSize))) {
        return fail(EncodeError::BackendFailure);
    }
    return sealed;
}

struct KeyWrap {
    Nonce nonce{};
    Bytes sealed;
    bool ok = false;
};
} // namespace

std::string_view describe(EncodeError error) {
    switch (error) {
    case EncodeError::NoRecipients:
        return "the packet has no recipients";
    case EncodeError::TooManyRecipients:
        return "the packet has too many recipient devices";
    case EncodeError::DuplicateRecipient:
        return "a recipient device is listed twice";
    case EncodeError::PrekeyNodeMismatch:
        return "a prekey belongs to another device";
    case EncodeError::ContentTooLarge:
        return "the message content is too large";
    case EncodeError::InvalidMetadata:
        return "the message metadata is invalid";
    case EncodeError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

PacketEncoder::PacketEncoder(const NodeIdentity& sender, unsigned workerThreads)
    : m_sender(sender),
      m_workerThreads(workerThreads != 0 ? workerThreads : defaultWorkerThreads()) {}

Result<Bytes, EncodeError> PacketEncoder::encode(MessageMetadata metadata, ByteView content,
                                                 std::span<const RecipientDevice> recipients,
                                                 RandomSource& random) const {
    auto ephemeral = KeyPair::generate(); // KEs
    if (!ephemeral) {
        return fail(EncodeError::BackendFailure);
    }
    return encodeWithEphemeral(std::move(metadata), content, recipients, *ephemeral, random);
}

Result<Bytes, EncodeError>
PacketEncoder::encodeWithEphemeral(MessageMetadata metadata, ByteView content,
                                   std::span<const RecipientDevice> recipients,
                                   const KeyPair& ephemeral, RandomSource& random) const {
    if (recipients.empty()) {
        return fail(EncodeError::NoRecipients);
    }
    if (recipients.size() > kMaxRecipientNodes) {
        return fail(EncodeError::TooManyRecipients);
    }
    if (content.size() > kMaxContentSize) {
        return fail(EncodeError::ContentTooLarge);
    }
    metadata.senderRootId = m_sender.rootId();
    metadata.senderNodeId = m_sender.id();
    if (!metadataIsValid(metadata)) {
        return fail(EncodeError::InvalidMetadata);
    }
    std::set<NodeId> seen;
    for (const RecipientDevice& recipient : recipients) {
        if (recipient.node == nullptr || recipient.prekey == nullptr) {
            return fail(EncodeError::NoRecipients);
        }
        if (recipient.prekey->nodeId() != recipient.node->nodeId()) {
            return fail(EncodeError::PrekeyNodeMismatch);
        }
        if (!seen.insert(recipient.node->nodeId()).second) {
            return fail(EncodeError::DuplicateRecipient);
        }
    }

    // Randomness, in the order docs/PROTOCOL.md gives for the vectors.
    const SecureBuffer payloadKey = random.secret(kSymmetricKeySize);
    std::vector<KeyWrap> wraps(recipients.size());
    for (KeyWrap& wrap : wraps) {
        wrap.nonce = randomNonce(random);
    }
    const Nonce headerNonce = randomNonce(random);
    const Nonce payloadNonce = randomNonce(random);

    // Steps 4-5, spread over threads.
    const PublicKey& senderRoot = m_sender.rootPublicKey();
    auto wrapRange = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const RecipientDevice& recipient = recipients[i];
            auto shared = ephemeral.agree(recipient.prekey->key());
            if (!shared) {
                return;
            }
            auto exchangeKey = packet::deriveExchangeKey(
                *shared, senderRoot, recipient.node->rootKey(), recipient.node->nodeId());
            if (!exchangeKey) {
                return;
            }
            auto sealed = sealWithNonce(exchangeKey->view(), wraps[i].nonce, label::kAadKeyWrap,
                                        payloadKey.view());
            if (!sealed) {
                return;
            }
            wraps[i].sealed = std::move(sealed).value();
            wraps[i].ok = true;
        }
    };
    parallelFor(recipients.size(), kRecipientsPerThread, m_workerThreads, wrapRange);

    wire::PacketHeader header;
    header.set_sender_ephemeral_key(stringOf(ephemeral.publicKey().bytes()));
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        if (!wraps[i].ok) {
            return fail(EncodeError::BackendFailure);
        }
        auto* keyExchange = header.add_key_exchange();
        keyExchange->set_wrapped_payload_key(stringOf(wraps[i].sealed));
        keyExchange->set_node_id(stringOf(recipients[i].node->nodeId()));
        keyExchange->set_prekey_id(stringOf(recipients[i].prekey->id()));
    }
    const Sha256Digest commitment = packet::payloadKeyCommitment(payloadKey);
    header.set_payload_key_commitment(stringOf(commitment));

    auto headerKey = packet::deriveHeaderKey(m_sender.rootId(), m_sender.id());
    if (!headerKey) {
        return fail(EncodeError::BackendFailure);
    }
    CINDER_TRY_ASSIGN(auto encryptedHeader, sealWithNonce(headerKey->view(), headerNonce,
                                                          label::kAadHeader, serialize(header)));

    wire::Payload payload;
    metadataToWire(metadata, *payload.mutable_metadata());
    payload.set_content(stringOf(content));
    Bytes payloadBytes = serialize(payload);
    auto encryptedPayload =
        sealWithNonce(payloadKey.view(), payloadNonce, label::kAadPayload, payloadBytes);
    secureWipe(payloadBytes.data(), payloadBytes.size());
    if (!encryptedPayload) {
        return fail(encryptedPayload.error());
    }

    auto signature = m_sender.key().sign(
        packet::signedPacketData(kProtocolVersion, kSuiteP521AesGcmSha256, m_sender.rootId(),
                                 m_sender.id(), encryptedHeader, *encryptedPayload));
    if (!signature) {
        return fail(EncodeError::BackendFailure);
    }

    wire::Packet packetMessage;
    packetMessage.set_version(kProtocolVersion);
    packetMessage.set_suite(kSuiteP521AesGcmSha256);
    packetMessage.set_encrypted_payload(stringOf(*encryptedPayload));
    packetMessage.set_encrypted_header(stringOf(encryptedHeader));
    packetMessage.set_signature(stringOf(*signature));
    return serialize(packetMessage);
}

} // namespace cinder::crypto
