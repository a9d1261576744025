// SPDX-License-Identifier: Apache-2.0
// The implementation against the known-answer vectors in tests/vectors/protocol.txt
// (docs/PROTOCOL.md, "Known-answer vectors"): every derivation, a node certificate, and a
// packet to two devices rebuilt byte for byte from the same keys and random stream, then
// decoded by both recipients.

#include "DeterministicRandom.h"
#include "ProtocolFixture.h"
#include "VectorFile.h"

#include "cinder/packet.pb.h"
#include "crypto/PacketKeys.h"
#include "crypto/WireCodec.h"

#include <QTest>

using namespace cinder::crypto;
using namespace cinder::test;

namespace {
const std::vector<VectorSection>& vectors() {
    static const auto sections = readVectorFile(CINDER_VECTORS_DIR "/protocol.txt");
    return sections;
}

const VectorSection& section(const std::string& name) {
    for (const VectorSection& s : vectors()) {
        if (s.name == name) {
            return s;
        }
    }
    throw std::runtime_error("no vector section " + name);
}

KeyPair keyPair(const VectorSection& s, const std::string& prefix) {
    return take(KeyPair::fromPrivate(s.bytes(prefix + "_private"), s.bytes(prefix + "_public")));
}

PublicKey publicKey(const VectorSection& s, const std::string& key) {
    return take(PublicKey::fromBytes(s.bytes(key)));
}

std::uint64_t number(const VectorSection& s, const std::string& key) {
    return std::stoull(s.text(key));
}

cinder::wire::Packet parsePacket(const Bytes& bytes) {
    cinder::wire::Packet packet;
    packet.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
    return packet;
}
} // namespace

class TestVectors : public QObject {
    Q_OBJECT
private slots:
    void localStorageKey() {
        const auto& s = section("local-storage-key");
        const SecureBuffer knsr = SecureBuffer::copyOf(s.bytes("node_storage_root_key"));
        QCOMPARE(toHex(take(deriveLocalStorageKey(knsr, s.bytes("device_data"))).view()),
                 s.text("local_storage_key"));
    }

    void headerKey() {
        const auto& s = section("header-key");
        QCOMPARE(toHex(take(packet::deriveHeaderKey(s.fixed<kRootIdSize>("root_id"),
                                                    s.fixed<kNodeIdSize>("node_id")))
                           .view()),
                 s.text("header_key"));
    }

    void exchangeKey() {
        const auto& s = section("exchange-key");
        const SecureBuffer shared = SecureBuffer::copyOf(s.bytes("shared_secret"));
        QCOMPARE(toHex(take(packet::deriveExchangeKey(shared, publicKey(s, "sender_root_public"),
                                                      publicKey(s, "recipient_root_public"),
                                                      s.fixed<kNodeIdSize>("recipient_node_id")))
                           .view()),
                 s.text("exchange_key"));
    }

    void payloadKeyCommitment() {
        const auto& s = section("payload-key-commitment");
        const SecureBuffer key = SecureBuffer::copyOf(s.bytes("payload_key"));
        QCOMPARE(toHex(packet::payloadKeyCommitment(key)), s.text("commitment"));
    }

    void nodeCertificate() {
        const auto& s = section("node-certificate");
        const RootId rootId = s.fixed<kRootIdSize>("root_id");
        const KeyPair root = keyPair(s, "root");
        const KeyPair node = keyPair(s, "node");
        const auto createdAt = static_cast<std::int64_t>(number(s, "created_at_ms"));
        QCOMPARE(toHex(nodeCertificateTranscript(rootId, s.fixed<kNodeIdSize>("node_id"),
                                                 node.publicKey().bytes(), createdAt)
                           .view()),
                 s.text("signed_input"));
        auto verified =
            VerifiedNode::verify(PinnedRoot{rootId, root.publicKey()}, s.bytes("certificate"));
        QVERIFY(verified.ok());
        QVERIFY(verified->nodeKey() == node.publicKey());
        QCOMPARE(verified->createdAtMs(), createdAt);
    }

    void packetRebuildsAndDecodes() {
        const auto& certificateSection = section("node-certificate");
        const auto& s = section("packet");
        const PinnedRoot aliceRoot{s.fixed<kRootIdSize>("sender_root_id"),
                                   publicKey(s, "sender_root_public")};
        const PinnedRoot bobRoot{s.fixed<kRootIdSize>("recipient_root_id"),
                                 publicKey(s, "recipient_root_public")};
        const NodeIdentity sender = take(NodeIdentity::restore(
            keyPair(certificateSection, "node"), s.bytes("sender_certificate"), aliceRoot));

        MessageMetadata metadata;
        metadata.messageId = s.fixed<kMessageIdSize>("message_id");
        metadata.sequence = number(s, "sequence");
        metadata.sentAtMs = static_cast<std::int64_t>(number(s, "sent_at_ms"));
        metadata.contentType = static_cast<ContentType>(number(s, "content_type"));
        metadata.ephemerality.ttlSeconds = static_cast<std::uint32_t>(number(s, "ttl_seconds"));
        metadata.ephemerality.burnOnRead = number(s, "burn_on_read") == 1;
        metadata.ephemerality.burnSeconds = static_cast<std::uint32_t>(number(s, "burn_seconds"));
        metadata.conversationId = s.fixed<kConversationIdSize>("conversation_id");
        const std::string content = s.text("content_text");

        std::vector<VerifiedNode> nodes;
        std::vector<VerifiedPrekey> prekeys;
        for (int i = 0; i < 2; ++i) {
            const std::string p = "recipient" + std::to_string(i);
            nodes.push_back(take(VerifiedNode::verify(bobRoot, s.bytes(p + "_certificate"))));
            prekeys.push_back(
                take(VerifiedPrekey::verify(nodes.back(), s.bytes(p + "_signed_prekey"))));
        }
        const std::vector<RecipientDevice> recipients = {{&nodes[0], &prekeys[0]},
                                                         {&nodes[1], &prekeys[1]}};

        // Encode: the same keys and random stream give the same EPH and EP.
        DeterministicRandom random(s.text("encoder_seed_text"));
        const Bytes rebuilt = take(PacketEncoder(sender).encodeWithEphemeral(
            metadata, asBytes(content), recipients, keyPair(s, "sender_ephemeral"), random));
        const Bytes expectedBytes = s.bytes("packet");
        const auto expected = parsePacket(expectedBytes);
        const auto actual = parsePacket(rebuilt);
        QCOMPARE(actual.version(), expected.version());
        QCOMPARE(actual.suite(), expected.suite());
        QCOMPARE(toHex(viewOf(actual.encrypted_header())),
                 toHex(viewOf(expected.encrypted_header())));
        QCOMPARE(toHex(viewOf(actual.encrypted_payload())),
                 toHex(viewOf(expected.encrypted_payload())));
        // ECDSA is randomised: the signatures differ but both verify.
        QVERIFY(viewOf(actual.signature()).size() == kSignatureSize);

        // Decode the vector packet on both of Bob's devices.
        for (int i = 0; i < 2; ++i) {
            const std::string p = "recipient" + std::to_string(i);
            const NodeIdentity bobDevice = take(NodeIdentity::restore(
                keyPair(s, p + "_node"), s.bytes(p + "_certificate"), bobRoot));
            EphemeralKeyPool pool;
            pool.insert(s.fixed<kPrekeyIdSize>(p + "_prekey_id"), keyPair(s, p + "_prekey"), false);
            // The vector's packet was sent at its sent_at_ms; this device reads it then.
            ReplayGuard guard([sentAt = metadata.sentAtMs] { return sentAt; });
            auto decoded = PacketDecoder(bobDevice, pool, guard)
                               .decode(expectedBytes, sender.asVerifiedNode());
            QVERIFY(decoded.ok());
            QCOMPARE(toStdString(decoded->content), content);
            QVERIFY(decoded->metadata.messageId == metadata.messageId);
            QCOMPARE(decoded->metadata.ephemerality.burnSeconds, 30U);
            QCOMPARE(pool.size(), std::size_t{0});
        }
        // The packet's own derivations match the vector's intermediate values.
        QCOMPARE(toHex(take(packet::deriveHeaderKey(aliceRoot.id, sender.id())).view()),
                 s.text("header_key"));
        DeterministicRandom replay(s.text("encoder_seed_text"));
        QCOMPARE(toHex(replay.secret(kSymmetricKeySize).view()), s.text("payload_key"));
    }
};

QTEST_APPLESS_MAIN(TestVectors)
#include "tst_vectors.moc"
