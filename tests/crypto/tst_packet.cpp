// SPDX-License-Identifier: Apache-2.0
// Packet encode and decode (paper, "Message Exchange"): delivery to exactly the intended
// devices, chain verification, tampering, replays, version rules and forward secrecy.

#include "ProtocolFixture.h"

#include "cinder/packet.pb.h"
#include "crypto/WireCodec.h"

#include <QTest>

using namespace cinder::crypto;
using namespace cinder::test;

namespace {
template <typename T>
std::optional<DecodeError> decodeError(const Result<T, DecodeError>& result) {
    return result.ok() ? std::nullopt : std::optional<DecodeError>(result.error());
}

// usedPrekey: the ephemeral key the packet names for the first recipient device.
Bytes encodeTo(Device& sender, const User& senderUser, const std::vector<User*>& recipients,
               std::string_view text, MessageMetadata* sentMetadata = nullptr,
               PrekeyId* usedPrekey = nullptr) {
    RecipientList list = recipientsFor(sender, senderUser, recipients);
    MessageMetadata metadata = textMetadata(sender);
    if (sentMetadata != nullptr) {
        *sentMetadata = metadata;
    }
    if (usedPrekey != nullptr) {
        *usedPrekey = list.devices[0].prekey->id();
    }
    return take(PacketEncoder(sender.identity).encode(metadata, asBytes(text), list.devices));
}

cinder::wire::Packet parsed(const Bytes& packet) {
    cinder::wire::Packet out;
    out.ParseFromArray(packet.data(), static_cast<int>(packet.size()));
    return out;
}
} // namespace

class TestPacket : public QObject {
    Q_OBJECT
private slots:
    void oneToOneRoundTrip() {
        auto alice = makeUser(1);
        auto bob = makeUser(1);
        Device& aliceDevice = *alice->devices[0];
        Device& bobDevice = *bob->devices[0];
        MessageMetadata sent;
        const Bytes packet = encodeTo(aliceDevice, *alice, {bob.get()}, "hello bob", &sent);

        const std::size_t poolBefore = bobDevice.pool.size();
        auto decoded = bobDevice.decoder().decode(packet, aliceDevice.verified());
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : describe(decoded.error()).data());
        QCOMPARE(toStdString(decoded->content), std::string("hello bob"));
        QVERIFY(decoded->metadata.messageId == sent.messageId);
        QCOMPARE(decoded->metadata.sequence, sent.sequence);
        QCOMPARE(decoded->metadata.sentAtMs, sent.sentAtMs);
        QCOMPARE(decoded->metadata.ephemerality.ttlSeconds, 3600U);
        QVERIFY(decoded->metadata.conversationId == sent.conversationId);
        QVERIFY(decoded->metadata.senderRootId == alice->root.id());
        QVERIFY(decoded->metadata.senderNodeId == aliceDevice.identity.id());
        QVERIFY(!decoded->usedLastResortKey);
        QCOMPARE(bobDevice.pool.size(), poolBefore - 1);
    }

    void everyDeviceOfEveryRecipientAndOwnOtherDevices() {
        auto alice = makeUser(2);
        auto bob = makeUser(3);
        auto carol = makeUser(1);
        Device& sender = *alice->devices[0];
        const Bytes packet = encodeTo(sender, *alice, {bob.get(), carol.get()}, "to all");
        for (auto& device : bob->devices) {
            auto decoded = device->decoder().decode(packet, sender.verified());
            QVERIFY(decoded.ok());
            QCOMPARE(toStdString(decoded->content), std::string("to all"));
        }
        QVERIFY(carol->devices[0]->decoder().decode(packet, sender.verified()).ok());
        QVERIFY(alice->devices[1]->decoder().decode(packet, sender.verified()).ok());
        // The sending device itself is not a recipient of its own packet.
        QCOMPARE(decodeError(sender.decoder().decode(packet, sender.verified())),
                 std::optional(DecodeError::NotARecipient));
    }

    void hundredNodeGroup() {
        std::vector<std::unique_ptr<User>> users;
        std::vector<User*> recipients;
        for (int i = 0; i < 50; ++i) {
            users.push_back(makeUser(2, 1));
            recipients.push_back(users.back().get());
        }
        auto alice = makeUser(1, 1);
        Device& sender = *alice->devices[0];
        RecipientList list = recipientsFor(sender, *alice, recipients);
        QCOMPARE(list.devices.size(), std::size_t{100});
        const Bytes packet =
            take(PacketEncoder(sender.identity)
                     .encode(textMetadata(sender), asBytes("group"), list.devices));
        for (auto& user : users) {
            for (auto& device : user->devices) {
                auto decoded = device->decoder().decode(packet, sender.verified());
                QVERIFY(decoded.ok());
                QCOMPARE(toStdString(decoded->content), std::string("group"));
            }
        }
    }

    void nonRecipientCannotDecrypt() {
        auto alice = makeUser(1);
        auto bob = makeUser(1);
        auto eve = makeUser(1);
        Device& sender = *alice->devices[0];
        const Bytes packet = encodeTo(sender, *alice, {bob.get()}, "not for eve");
        QCOMPARE(decodeError(eve->devices[0]->decoder().decode(packet, sender.verified())),
                 std::optional(DecodeError::NotARecipient));
    }

    void everyFlippedByteIsATypedError() {
        auto alice = makeUser(1);
        auto bob = makeUser(1);
        Device& sender = *alice->devices[0];
        Device& receiver = *bob->devices[0];
        const Bytes packet = encodeTo(sender, *alice, {bob.get()}, "integrity");
        const std::size_t poolBefore = receiver.pool.size();
        for (std::size_t i = 0; i < packet.size(); ++i) {
            for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
                Bytes tampered = packet;
                tampered[i] ^= mask;
                auto decoded = receiver.decoder().decode(tampered, sender.verified());
                if (decoded.ok()) {
                    QFAIL(qPrintable(QStringLiteral("flip of byte %1 was accepted").arg(i)));
                }
            }
        }
        // Failed decodes consume nothing: the genuine packet still decodes.
        QCOMPARE(receiver.pool.size(), poolBefore);
        QVERIFY(receiver.decoder().decode(packet, sender.verified()).ok());
    }

    void truncatedAndOversizedInputs() {
        auto alice = makeUser(1);
        auto bob = makeUser(1);
        Device& sender = *alice->devices[0];
        Device& receiver = *bob->devices[0];
        const Bytes packet = encodeTo(sender, *alice, {bob.get()}, "truncate me");
        for (std::size_t length = 0; length < packet.size(); ++length) {
            QVERIFY(
                !receiver.decoder().decode(ByteView(packet).first(length), sender.verified()).ok());
        }
        Bytes huge(kMaxPacketSize + 1, 0x0a);
        QCOMPARE(decodeError(receiver.decoder().decode(huge, sender.verified())),
                 std::optional(DecodeError::Oversized));
        // A length prefix claiming 2^31 bytes must not allocate: protobuf refuses it because
        // the input is shorter.
        const Bytes claimsHuge = {0x1a, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00};
        QCOMPARE(decodeError(receiver.decoder().decode(claimsHuge, sender.verified())),
                 std::optional(DecodeError::Malformed));
    }

    void nonCanonicalEncodingsRefused() {
        auto alice = makeUser(1);
        auto bob = makeUser(1);
        Device& sender = *alice->devices[0];
        Device& receiver = *bob->devices[0];
        const Bytes packet = encodeTo(sender, *alice, {bob.get()}, "canonical");
        Bytes trailingUnknown = packet;
        trailingUnknown.insert(trailingUnknown.end(), {0x38, 0x01}); // field 7, varint 1
        QCOMPARE(decodeError(receiver.decoder().decode(trailingUnknown, sender.verified())),
                 std::optional(DecodeError::NonCanonical));
        Bytes explicitZero = {0x08, 0x00}; // version = 0 written out: proto3 omits defaults
        explicitZero.insert(explicitZero.end(), packet.begin(), packet.end());
        QCOMPARE(decodeError(receiver.decoder().decode(explicitZero, sender.verified())),
                 std::optional(DecodeError::NonCanonical));
    }

    void versionAndSuiteMustBeExact_data() {
        QTest::addColumn<quint32>("version");
        QTest::addColumn<quint32>("suite");
        QTest::addColumn<int>("expected");
        QTest::newRow("older version") << 0U << 1U << int(DecodeError::UnsupportedVersion);
        QTest::newRow("newer version") << 2U << 1U << int(DecodeError::UnsupportedVersion);
        QTest::newRow("unknown suite") << 1U << 2U << int(DecodeError::UnsupportedSuite);
        QTest::newRow("suite zero") << 1U << 0U << int(DecodeError::UnsupportedSuite);
    }
    void versionAndSuiteMustBeExact() {
        QFETCH(quint32, version);
        QFETCH(quint32, suite);
        QFETCH(int, expected);
        auto alice = makeUser(1);
        auto bob = makeUser(1);
        Device& sender = *alice->devices[0];
        cinder::wire::Packet packet = parsed(encodeTo(sender, *alice, {bob.get()}, "versions"));
        packet.set_version(version);
        packet.set_suite(suite);
        auto decoded = bob->devices[0]->decoder().decode(serialize(packet), sender.verified());
        QCOMPARE(decodeError(decoded), std::optional(DecodeError(expected)));
    }

    void signatureFromAnotherDeviceRejected() {
        // The server claims the packet came from Alice's second device; it was signed by the
        // first. Also a device of Mallory's cannot pass as Alice's.
        auto alice = makeUser(2);
        auto bob = makeUser(1);
        auto mallory = makeUser(1);
        Device& sender = *alice->devices[0];
        const Bytes packet = encodeTo(sender, *alice, {bob.get()}, "who sent this?");
        QCOMPARE(
            decodeError(bob->devices[0]->decoder().decode(packet, alice->devices[1]->verified())),
            std::optional(DecodeError::BadSignature));
        const Bytes forged = encodeTo(*mallory->devices[0], *mallory, {bob.get()}, "I am alice");
        QCOMPARE(decodeError(bob->devices[0]->decoder().decode(forged, sender.verified())),
                 std::optional(DecodeError::BadSignature));
    }

    void replayedMessageRejected() {
        auto alice = makeUser(1);
        auto bob = makeUser(1, 0); // empty pool: senders get the last-resort key
        Device& sender = *alice->devices[0];
        Device& receiver = *bob->devices[0];
        const Bytes packet = encodeTo(sender, *alice, {bob.get()}, "once");
        auto first = receiver.decoder().decode(packet, sender.verified());
        QVERIFY(first.ok());
        QVERIFY(first->usedLastResortKey);
        // The last-resort key survives, so only the replay guard stops the second copy.
        QCOMPARE(decodeError(receiver.decoder().decode(packet, sender.verified())),
                 std::optional(DecodeError::Replay));
    }

    void reorderedDeliveryAcceptedOnce() {
        // A relay that delivers out of order must not make the client drop genuine messages;
        // each one is still accepted only once.
        auto alice = makeUser(1);
        auto bob = makeUser(1, 0);
        Device& sender = *alice->devices[0];
        Device& receiver = *bob->devices[0];
        const Bytes older = encodeTo(sender, *alice, {bob.get()}, "first");
        const Bytes newer = encodeTo(sender, *alice, {bob.get()}, "second");
        QVERIFY(receiver.decoder().decode(newer, sender.verified()).ok());
        QVERIFY(receiver.decoder().decode(older, sender.verified()).ok());
        QCOMPARE(decodeError(receiver.decoder().decode(older, sender.verified())),
                 std::optional(DecodeError::Replay));
        QCOMPARE(decodeError(receiver.decoder().decode(newer, sender.verified())),
                 std::optional(DecodeError::Replay));
    }

    void usedPrekeyIsDestroyed() {
        // Forward secrecy: once read, the ephemeral private key is gone, so the captured
        // packet cannot be decrypted again with anything the device still holds.
        auto alice = makeUser(1);
        auto bob = makeUser(1);
        Device& sender = *alice->devices[0];
        Device& receiver = *bob->devices[0];
        PrekeyId usedPrekey{};
        const Bytes packet =
            encodeTo(sender, *alice, {bob.get()}, "burn after reading", nullptr, &usedPrekey);
        QVERIFY(receiver.pool.find(usedPrekey) != nullptr);
        QVERIFY(receiver.decoder().decode(packet, sender.verified()).ok());
        QVERIFY(receiver.pool.find(usedPrekey) == nullptr);
        ReplayGuard freshGuard; // even with the replay state wiped
        PacketDecoder again(receiver.identity, receiver.pool, freshGuard);
        QCOMPARE(decodeError(again.decode(packet, sender.verified())),
                 std::optional(DecodeError::UnknownPrekey));
    }

    void openingChangesNothingUntilAccepted() {
        // open() is the part a receiver runs on several threads: it must leave the ephemeral
        // key and the replay state as they were, so that accept() alone decides.
        auto alice = makeUser(1);
        auto bob = makeUser(1);
        Device& sender = *alice->devices[0];
        Device& receiver = *bob->devices[0];
        PrekeyId usedPrekey{};
        const Bytes packet =
            encodeTo(sender, *alice, {bob.get()}, "opened twice", nullptr, &usedPrekey);
        PacketDecoder decoder = receiver.decoder();
        auto first = decoder.open(packet, sender.verified());
        auto second = decoder.open(packet, sender.verified());
        QVERIFY(first.ok());
        QVERIFY(second.ok());
        QCOMPARE(std::string(first->content.begin(), first->content.end()),
                 std::string("opened twice"));
        QVERIFY(receiver.pool.find(usedPrekey) != nullptr);

        auto accepted = decoder.accept(std::move(*first));
        QVERIFY(accepted.ok());
        QCOMPARE(accepted->usedPrekey, usedPrekey);
        QVERIFY(receiver.pool.find(usedPrekey) == nullptr);
        // The second copy was opened while the key still existed; it is refused all the same.
        QCOMPARE(decodeError(decoder.accept(std::move(*second))),
                 std::optional(DecodeError::UnknownPrekey));
    }

    void acceptRefusesAReplayOpenedBeforeTheFirstCopyWasAccepted() {
        // With the last-resort key (never destroyed) only the replay guard stops a copy, even
        // one opened before the original was accepted.
        auto alice = makeUser(1);
        auto bob = makeUser(1, 0);
        Device& sender = *alice->devices[0];
        Device& receiver = *bob->devices[0];
        const Bytes packet = encodeTo(sender, *alice, {bob.get()}, "once, even in a batch");
        PacketDecoder decoder = receiver.decoder();
        auto first = decoder.open(packet, sender.verified());
        auto copy = decoder.open(packet, sender.verified());
        QVERIFY(first.ok());
        QVERIFY(copy.ok());
        auto accepted = decoder.accept(std::move(*first));
        QVERIFY(accepted.ok());
        QVERIFY(accepted->usedLastResortKey);
        QCOMPARE(decodeError(decoder.accept(std::move(*copy))), std::optional(DecodeError::Replay));
    }

    void encoderRefusesBadInput() {
        auto alice = makeUser(1);
        auto bob = makeUser(2);
        Device& sender = *alice->devices[0];
        PacketEncoder encoder(sender.identity);
        RecipientList list = recipientsFor(sender, *alice, {bob.get()});

        MessageMetadata noExpiry = textMetadata(sender, 0);
        QCOMPARE(encoder.encode(noExpiry, asBytes("x"), list.devices).error(),
                 EncodeError::InvalidMetadata);
        QCOMPARE(encoder.encode(textMetadata(sender), asBytes("x"), {}).error(),
                 EncodeError::NoRecipients);
        const Bytes tooLarge(kMaxContentSize + 1, 'a');
        QCOMPARE(encoder.encode(textMetadata(sender), tooLarge, list.devices).error(),
                 EncodeError::ContentTooLarge);
        std::vector<RecipientDevice> twice = {list.devices[0], list.devices[0]};
        QCOMPARE(encoder.encode(textMetadata(sender), asBytes("x"), twice).error(),
                 EncodeError::DuplicateRecipient);
        std::vector<RecipientDevice> crossed = {
            RecipientDevice{list.devices[0].node, list.devices[1].prekey}};
        QCOMPARE(encoder.encode(textMetadata(sender), asBytes("x"), crossed).error(),
                 EncodeError::PrekeyNodeMismatch);
    }
};

QTEST_APPLESS_MAIN(TestPacket)
#include "tst_packet.moc"
