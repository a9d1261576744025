// SPDX-License-Identifier: Apache-2.0
// Attacks by a sender who holds a genuine device key but breaks the rules (docs/PROTOCOL.md
// §15, "Security rationale"): splitting recipients onto different payload keys
// (AES-GCM is not key-committing), naming another sender inside the payload (reflection),
// invalid ephemeral points, oversized key lists and broken metadata.

#include "MaliciousSender.h"
#include "ProtocolFixture.h"

#include <QTest>

using namespace cinder::crypto;
using namespace cinder::test;
namespace wire = cinder::wire;

namespace {
template <typename T>
std::optional<DecodeError> decodeError(const Result<T, DecodeError>& result) {
    return result.ok() ? std::nullopt : std::optional<DecodeError>(result.error());
}

struct Scene {
    std::unique_ptr<User> alice = makeUser(2, 0);
    std::unique_ptr<User> bob = makeUser(1, 0);
    std::unique_ptr<User> carol = makeUser(1, 0);
    Device& sender() { return *alice->devices[0]; }
    Device& bobDevice() { return *bob->devices[0]; }
    Device& carolDevice() { return *carol->devices[0]; }
    MaliciousSender attacker() { return MaliciousSender{sender().identity}; }
    // Metadata an honest encoder would write for the sender.
    MessageMetadata honestMetadata() {
        MessageMetadata metadata = textMetadata(sender());
        metadata.senderRootId = alice->root.id();
        metadata.senderNodeId = sender().identity.id();
        return metadata;
    }
};
} // namespace

class TestAdversarial : public QObject {
    Q_OBJECT
private slots:
    void recipientsCannotBeSplitOntoDifferentPayloadKeys() {
        // Bob's KED wraps K1 and Carol's wraps K2; the header commits to K1 and EP is under
        // K1. Without the commitment a crafted EP could decrypt differently for each.
        Scene scene;
        const SecureBuffer k1 = systemRandom().secret(kSymmetricKeySize);
        const SecureBuffer k2 = systemRandom().secret(kSymmetricKeySize);
        const KeyPair ephemeral = take(KeyPair::generate());
        wire::PacketHeader header;
        header.set_sender_ephemeral_key(stringOf(ephemeral.publicKey().bytes()));
        *header.add_key_exchange() = scene.attacker().wrapFor(
            ephemeral, scene.bobDevice().verified(), *scene.bobDevice().lastResort, k1);
        *header.add_key_exchange() = scene.attacker().wrapFor(
            ephemeral, scene.carolDevice().verified(), *scene.carolDevice().lastResort, k2);
        header.set_payload_key_commitment(MaliciousSender::commitmentTo(k1));
        const Bytes packet = scene.attacker().sealPacket(
            serialize(header),
            MaliciousSender::encryptPayload(k1, scene.honestMetadata(), asBytes("split")));

        QVERIFY(scene.bobDevice().decoder().decode(packet, scene.sender().verified()).ok());
        QCOMPARE(
            decodeError(scene.carolDevice().decoder().decode(packet, scene.sender().verified())),
            std::optional(DecodeError::KeyCommitmentMismatch));
    }

    void payloadMustNameTheSigningDevice() {
        // Signed by Alice's first device, but the metadata claims her second device, or
        // another user altogether.
        Scene scene;
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const KeyPair ephemeral = take(KeyPair::generate());
        auto packetNaming = [&](const RootId& root, const NodeId& node) {
            wire::PacketHeader header;
            header.set_sender_ephemeral_key(stringOf(ephemeral.publicKey().bytes()));
            *header.add_key_exchange() = scene.attacker().wrapFor(
                ephemeral, scene.bobDevice().verified(), *scene.bobDevice().lastResort, key);
            header.set_payload_key_commitment(MaliciousSender::commitmentTo(key));
            MessageMetadata metadata = textMetadata(scene.sender());
            metadata.senderRootId = root;
            metadata.senderNodeId = node;
            return scene.attacker().sealPacket(
                serialize(header), MaliciousSender::encryptPayload(key, metadata, asBytes("hi")));
        };
        const Bytes otherDevice =
            packetNaming(scene.alice->root.id(), scene.alice->devices[1]->identity.id());
        QCOMPARE(
            decodeError(scene.bobDevice().decoder().decode(otherDevice, scene.sender().verified())),
            std::optional(DecodeError::SenderMismatch));
        const Bytes otherUser =
            packetNaming(scene.carol->root.id(), scene.carolDevice().identity.id());
        QCOMPARE(
            decodeError(scene.bobDevice().decoder().decode(otherUser, scene.sender().verified())),
            std::optional(DecodeError::SenderMismatch));
        const Bytes honest = packetNaming(scene.alice->root.id(), scene.sender().identity.id());
        QVERIFY(scene.bobDevice().decoder().decode(honest, scene.sender().verified()).ok());
    }

    void invalidSenderEphemeralKeyRejected() {
        Scene scene;
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const KeyPair ephemeral = take(KeyPair::generate());
        wire::PacketHeader header;
        Bytes offCurve = ephemeral.publicKey().bytes();
        offCurve[40] ^= 0x10;
        header.set_sender_ephemeral_key(stringOf(offCurve));
        *header.add_key_exchange() = scene.attacker().wrapFor(
            ephemeral, scene.bobDevice().verified(), *scene.bobDevice().lastResort, key);
        header.set_payload_key_commitment(MaliciousSender::commitmentTo(key));
        const Bytes packet = scene.attacker().sealPacket(
            serialize(header),
            MaliciousSender::encryptPayload(key, scene.honestMetadata(), asBytes("x")));
        QCOMPARE(decodeError(scene.bobDevice().decoder().decode(packet, scene.sender().verified())),
                 std::optional(DecodeError::InvalidEphemeralKey));
    }

    void oversizedKeyExchangeListRejected() {
        Scene scene;
        const KeyPair ephemeral = take(KeyPair::generate());
        wire::PacketHeader header;
        header.set_sender_ephemeral_key(stringOf(ephemeral.publicKey().bytes()));
        for (std::size_t i = 0; i <= kMaxRecipientNodes; ++i) {
            auto* keyExchange = header.add_key_exchange();
            keyExchange->set_wrapped_payload_key(std::string(60, 'k'));
            keyExchange->set_node_id(std::string(kNodeIdSize, 'n'));
            keyExchange->set_prekey_id(std::string(kPrekeyIdSize, 'p'));
        }
        header.set_payload_key_commitment(std::string(32, 'c'));
        const Bytes packet = scene.attacker().sealPacket(serialize(header), Bytes(64, 1));
        QCOMPARE(decodeError(scene.bobDevice().decoder().decode(packet, scene.sender().verified())),
                 std::optional(DecodeError::TooManyRecipients));
    }

    void brokenMetadataRejected_data() {
        QTest::addColumn<int>("breakage");
        QTest::newRow("no expiry") << 0;
        QTest::newRow("expiry beyond a year") << 1;
        QTest::newRow("burn timer longer than expiry") << 2;
        QTest::newRow("unknown content type") << 3;
        QTest::newRow("sequence zero") << 4;
    }
    void brokenMetadataRejected() {
        QFETCH(int, breakage);
        Scene scene;
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const KeyPair ephemeral = take(KeyPair::generate());
        wire::PacketHeader header;
        header.set_sender_ephemeral_key(stringOf(ephemeral.publicKey().bytes()));
        *header.add_key_exchange() = scene.attacker().wrapFor(
            ephemeral, scene.bobDevice().verified(), *scene.bobDevice().lastResort, key);
        header.set_payload_key_commitment(MaliciousSender::commitmentTo(key));
        MessageMetadata metadata = scene.honestMetadata();
        switch (breakage) {
        case 0:
            metadata.ephemerality.ttlSeconds = 0;
            break;
        case 1:
            metadata.ephemerality.ttlSeconds = kMaxTtlSeconds + 1;
            break;
        case 2:
            metadata.ephemerality.burnOnRead = true;
            metadata.ephemerality.burnSeconds = metadata.ephemerality.ttlSeconds + 1;
            break;
        case 3:
            metadata.contentType = static_cast<ContentType>(kMaxContentType + 1);
            break;
        default:
            metadata.sequence = 0;
            break;
        }
        const Bytes packet = scene.attacker().sealPacket(
            serialize(header), MaliciousSender::encryptPayload(key, metadata, asBytes("x")));
        QCOMPARE(decodeError(scene.bobDevice().decoder().decode(packet, scene.sender().verified())),
                 std::optional(DecodeError::InvalidMetadata));
    }

    void signedVersionCannotBeDowngradedInTransit() {
        // A packet built and signed as version 1 whose outer version a relay rewrites to 1
        // from something else must fail the signature: the version is inside the signed bytes.
        Scene scene;
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const KeyPair ephemeral = take(KeyPair::generate());
        wire::PacketHeader header;
        header.set_sender_ephemeral_key(stringOf(ephemeral.publicKey().bytes()));
        *header.add_key_exchange() = scene.attacker().wrapFor(
            ephemeral, scene.bobDevice().verified(), *scene.bobDevice().lastResort, key);
        header.set_payload_key_commitment(MaliciousSender::commitmentTo(key));
        const Bytes signedAsV2 = scene.attacker().sealPacket(
            serialize(header),
            MaliciousSender::encryptPayload(key, scene.honestMetadata(), asBytes("x")), 2);
        wire::Packet rewritten;
        rewritten.ParseFromArray(signedAsV2.data(), static_cast<int>(signedAsV2.size()));
        rewritten.set_version(kProtocolVersion);
        QCOMPARE(decodeError(scene.bobDevice().decoder().decode(serialize(rewritten),
                                                                scene.sender().verified())),
                 std::optional(DecodeError::BadSignature));
    }
};

QTEST_APPLESS_MAIN(TestAdversarial)
#include "tst_adversarial.moc"
