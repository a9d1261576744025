// SPDX-License-Identifier: Apache-2.0
// Key verification (crypto/Fingerprint.h): the per-user digit string, the pair's safety
// code, and the QR payload a peer scans.

#include "cinder/packet.pb.h"
#include "crypto/ContactDiscovery.h"
#include "crypto/Fingerprint.h"
#include "crypto/WireCodec.h"

#include <QTest>

#include <functional>
#include <regex>

using namespace cinder::crypto;
namespace wire = cinder::wire;

namespace {

Bytes hex(const char* text) {
    return fromHex(text).value();
}

RootId rootIdOf(std::uint8_t value) {
    RootId id{};
    id.fill(value);
    return id;
}

// P-521's generator G (private scalar 1) and 2G: public keys with known bytes.
PublicKey generator() {
    return PublicKey::fromBytes(
               hex("0400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77e"
                   "f"
                   "e75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66011839296a789a3bc0045c8a"
                   "5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad076135"
                   "3c7086a272c24088be94769fd16650"))
        .value();
}

PublicKey twiceGenerator() {
    return PublicKey::fromBytes(
               hex("0400433c219024277e7e682fcb288148c282747403279b1ccc06352c6e5505d769be97b3b204da"
                   "6ef55507aa104a3a35c5af41cf2fa364d60fd967f43e3933ba6d783d00f4bb8cc7f86db26700a7"
                   "f3eceeeed3f0b5c6b5107c4da97740ab21a29906c42dbbb3e377de9f251f6b93937fa99a3248f4"
                   "eafcbe95edc0f4f71be356d661f41b02"))
        .value();
}

Bytes rewritten(const Bytes& payload, const std::function<void(wire::VerificationQr&)>& change) {
    wire::VerificationQr message;
    const bool ok = message.ParseFromArray(payload.data(), static_cast<int>(payload.size()));
    Q_ASSERT(ok);
    change(message);
    return serialize(message);
}

} // namespace

class TestFingerprint : public QObject {
    Q_OBJECT
private slots:
    void contactDiscoveryHashKnownAnswer() {
        // SHA-256 iterated 4096 times over Transcript("cinder/v1/hash/contact-discovery",
        // Data: identifier), computed independently.
        QCOMPARE(toHex(contactDiscoveryHash("alice")),
                 std::string("8c00eb768721b8b029b65b6bf35be850509af0951202cf480f41b8b93c18bc79"));
        QVERIFY(contactDiscoveryHash("alice") != contactDiscoveryHash("alicf"));
    }

    void knownAnswers() {
        // Cross-checked with an independent Python implementation of the derivation.
        const Fingerprint fingerprint = computeFingerprint(rootIdOf(0x11), generator());
        QCOMPARE(toHex(fingerprint),
                 std::string("dc787a69c2545c7751700fb7ea6771d2fa2823e16418c2312e6e0bfe435e11ce"
                             "61ff4a05cbc763e01645dcf9b02175493e0afef3c96cd88c6e2b0111d5dea3c6"));
        QCOMPARE(renderFingerprint(fingerprint),
                 std::string("93506 76368 01873 66785 09358 15326 72874 78560 90256 55050 57272 "
                             "33521"));
        const Fingerprint other = computeFingerprint(rootIdOf(0x22), twiceGenerator());
        QCOMPARE(renderFingerprint(other),
                 std::string("45742 29072 65404 42250 45685 21478 39131 54261 98601 89499 47833 "
                             "69902"));
        QCOMPARE(safetyCode(fingerprint, other),
                 std::string("58033 88139 33434 21323 38174 11854 46667 95008 73791 03714 61996 "
                             "86558"));
        QCOMPARE(toHex(encodeVerificationQr(rootIdOf(0x11), generator())),
                 "08011220" + std::string(64, '1') + "1a40" + toHex(fingerprint));
    }

    void deterministicAndWellFormed() {
        const KeyPair key = KeyPair::generate().value();
        const RootId id = rootIdOf(0x01);
        const std::string a = renderFingerprint(computeFingerprint(id, key.publicKey()));
        const std::string b = renderFingerprint(computeFingerprint(id, key.publicKey()));
        QCOMPARE(a, b);
        QVERIFY(std::regex_match(a, std::regex("[0-9]{5}( [0-9]{5}){11}")));
    }

    void differentKeysGiveDifferentStrings() {
        const KeyPair first = KeyPair::generate().value();
        const KeyPair second = KeyPair::generate().value();
        const RootId id = rootIdOf(0x02);
        QVERIFY(renderFingerprint(computeFingerprint(id, first.publicKey())) !=
                renderFingerprint(computeFingerprint(id, second.publicKey())));
        // The same key under another IDr is another identity.
        QVERIFY(renderFingerprint(computeFingerprint(id, first.publicKey())) !=
                renderFingerprint(computeFingerprint(rootIdOf(0x03), first.publicKey())));
    }

    void safetyCodeIsSymmetric() {
        const Fingerprint alice = computeFingerprint(rootIdOf(0x04), generator());
        const Fingerprint bob = computeFingerprint(rootIdOf(0x05), twiceGenerator());
        QCOMPARE(safetyCode(alice, bob), safetyCode(bob, alice));
        QVERIFY(std::regex_match(safetyCode(alice, bob), std::regex("[0-9]{5}( [0-9]{5}){11}")));
        const Fingerprint mallory =
            computeFingerprint(rootIdOf(0x05), KeyPair::generate().value().publicKey());
        QVERIFY(safetyCode(alice, bob) != safetyCode(alice, mallory));
        QVERIFY(safetyCode(alice, bob) != renderFingerprint(alice));
        QCOMPARE(safetyCode(alice, alice), safetyCode(alice, alice));
    }

    void qrRoundTripVerifies() {
        const KeyPair key = KeyPair::generate().value();
        const RootId id = rootIdOf(0x06);
        const Bytes payload = encodeVerificationQr(id, key.publicKey());
        auto scanned = parseVerificationQr(payload);
        QVERIFY(scanned.ok());
        QVERIFY(scanned->rootId == id);
        QVERIFY(scanned->fingerprint == computeFingerprint(id, key.publicKey()));
        QVERIFY(verifyScannedQr(payload, id, key.publicKey()).ok());
    }

    void qrForAnotherKeyOrUserRejected() {
        const KeyPair pinned = KeyPair::generate().value();
        const KeyPair impostor = KeyPair::generate().value();
        const RootId id = rootIdOf(0x07);
        QCOMPARE(
            verifyScannedQr(encodeVerificationQr(id, impostor.publicKey()), id, pinned.publicKey())
                .error(),
            FingerprintError::FingerprintMismatch);
        QCOMPARE(verifyScannedQr(encodeVerificationQr(rootIdOf(0x08), pinned.publicKey()), id,
                                 pinned.publicKey())
                     .error(),
                 FingerprintError::DifferentUser);
        // IDr rewritten to the expected one: the fingerprint still binds the original IDr.
        const Bytes relabelled =
            rewritten(encodeVerificationQr(rootIdOf(0x08), pinned.publicKey()),
                      [&](wire::VerificationQr& message) { message.set_root_id(stringOf(id)); });
        QCOMPARE(verifyScannedQr(relabelled, id, pinned.publicKey()).error(),
                 FingerprintError::FingerprintMismatch);
    }

    void malformedQrRejected_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("expected");
        const Bytes good = encodeVerificationQr(rootIdOf(0x09), generator());
        const auto row = [](const Bytes& bytes) {
            return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                              static_cast<qsizetype>(bytes.size()));
        };
        const int malformed = static_cast<int>(FingerprintError::Malformed);
        QTest::newRow("empty") << QByteArray() << malformed;
        QTest::newRow("garbage") << QByteArray("https://example.org/not-a-code") << malformed;
        QTest::newRow("oversized")
            << QByteArray(int(kMaxVerificationQrSize) + 1, '\0') << malformed;
        QTest::newRow("truncated") << row(Bytes(good.begin(), good.end() - 1)) << malformed;
        Bytes unknown = good;
        unknown.insert(unknown.end(), {0x20, 0x01});
        QTest::newRow("unknown field") << row(unknown) << malformed;
        Bytes reordered(good.begin() + 2, good.end());
        reordered.insert(reordered.end(), {0x08, 0x01});
        QTest::newRow("non-canonical order") << row(reordered) << malformed;
        QTest::newRow("short root id")
            << row(rewritten(good, [](auto& m) { m.mutable_root_id()->pop_back(); })) << malformed;
        QTest::newRow("short fingerprint")
            << row(rewritten(good, [](auto& m) { m.mutable_fingerprint()->resize(32); }))
            << malformed;
        QTest::newRow("no fingerprint")
            << row(rewritten(good, [](auto& m) { m.clear_fingerprint(); })) << malformed;
        QTest::newRow("version 2") << row(rewritten(good, [](auto& m) { m.set_version(2); }))
                                   << static_cast<int>(FingerprintError::UnsupportedVersion);
        QTest::newRow("version 0") << row(rewritten(good, [](auto& m) { m.clear_version(); }))
                                   << static_cast<int>(FingerprintError::UnsupportedVersion);
    }

    void malformedQrRejected() {
        QFETCH(QByteArray, payload);
        QFETCH(int, expected);
        const ByteView bytes(reinterpret_cast<const std::uint8_t*>(payload.constData()),
                             static_cast<std::size_t>(payload.size()));
        auto parsed = parseVerificationQr(bytes);
        QVERIFY(!parsed.ok());
        QCOMPARE(static_cast<int>(parsed.error()), expected);
        QCOMPARE(static_cast<int>(verifyScannedQr(bytes, rootIdOf(0x09), generator()).error()),
                 expected);
    }

    void everyFlippedByteOfAQrRejected() {
        const RootId id = rootIdOf(0x0a);
        const Bytes payload = encodeVerificationQr(id, generator());
        for (std::size_t i = 0; i < payload.size(); ++i) {
            Bytes tampered = payload;
            tampered[i] ^= 0x01;
            QVERIFY(!verifyScannedQr(tampered, id, generator()).ok());
        }
    }

    void everyErrorIsDescribed() {
        for (int i = 0; i <= static_cast<int>(FingerprintError::FingerprintMismatch); ++i) {
            QVERIFY(describe(static_cast<FingerprintError>(i)) != "unknown error");
        }
    }
};

QTEST_APPLESS_MAIN(TestFingerprint)
#include "tst_fingerprint.moc"
