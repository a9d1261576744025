// SPDX-License-Identifier: Apache-2.0
// The primitives of suite 1: AES-256-GCM, HKDF-SHA-256, scrypt, P-521 ECDH and ECDSA, the
// zeroizing buffer and the transcript encoding.

#include "crypto/Aead.h"
#include "crypto/EcKeys.h"
#include "crypto/Hash.h"
#include "crypto/Kdf.h"
#include "crypto/SecureBuffer.h"
#include "crypto/Transcript.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <QTest>

#include <sstream>

using namespace cinder::crypto;

namespace {
Bytes hex(const char* text) {
    return fromHex(text).value();
}

// Encodes s' = n - s, the second ("high-s") encoding of a valid ECDSA signature.
Signature toHighS(const Signature& lowS) {
    BIGNUM* order = BN_new();
    EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_secp521r1);
    BN_copy(order, EC_GROUP_get0_order(group));
    BIGNUM* s = BN_bin2bn(lowS.data() + kFieldElementSize, kFieldElementSize, nullptr);
    BN_sub(s, order, s);
    Signature high = lowS;
    BN_bn2binpad(s, high.data() + kFieldElementSize, kFieldElementSize);
    BN_free(s);
    BN_free(order);
    EC_GROUP_free(group);
    return high;
}
} // namespace

class TestPrimitives : public QObject {
    Q_OBJECT
private slots:
    void aeadRoundTrip() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes message = toBytes("attack at dawn");
        auto sealed = aeadSeal(key.view(), asBytes("aad"), message);
        QVERIFY(sealed.ok());
        QCOMPARE(sealed->size(), message.size() + kSealOverhead);
        auto opened = aeadOpen(key.view(), asBytes("aad"), *sealed);
        QVERIFY(opened.ok());
        QVERIFY(*opened == message);
    }

    void aeadRejectsEveryFlippedByteAndWrongAad() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes sealed = aeadSeal(key.view(), asBytes("aad"), asBytes("secret")).value();
        for (std::size_t i = 0; i < sealed.size(); ++i) {
            Bytes tampered = sealed;
            tampered[i] ^= 0x01;
            auto opened = aeadOpen(key.view(), asBytes("aad"), tampered);
            QVERIFY(!opened.ok());
            QCOMPARE(opened.error(), AeadError::AuthenticationFailed);
        }
        QCOMPARE(aeadOpen(key.view(), asBytes("other"), sealed).error(),
                 AeadError::AuthenticationFailed);
        QCOMPARE(aeadOpen(key.view(), asBytes("aad"), ByteView(sealed).first(20)).error(),
                 AeadError::Truncated);
        QCOMPARE(aeadOpen(ByteView(key.view()).first(16), asBytes("aad"), sealed).error(),
                 AeadError::WrongKeyLength);
    }

    void aeadKnownAnswer() {
        // NIST GCM test case 15 (AES-256, 96-bit IV, no AAD).
        const Bytes key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        const Bytes iv = hex("cafebabefacedbaddecaf888");
        const Bytes pt = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                             "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255");
        const Bytes expected =
            hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
                "b094dac5d93471bdec1a502270e3cc6c");
        auto context = AeadContext::create(key);
        QVERIFY(context.ok());
        Nonce nonce{};
        std::copy(iv.begin(), iv.end(), nonce.begin());
        Bytes out(pt.size() + kTagSize);
        QVERIFY(context->seal(nonce, {}, pt, out).ok());
        QCOMPARE(toHex(out), toHex(expected));
    }

    void hkdfKnownAnswer() {
        // RFC 5869, test case 1.
        const Bytes ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        const Bytes salt = hex("000102030405060708090a0b0c");
        const Bytes info = hex("f0f1f2f3f4f5f6f7f8f9");
        auto okm = hkdfSha256(ikm, toStdString(info), 42, salt);
        QVERIFY(okm.ok());
        QCOMPARE(toHex(okm->view()), std::string("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c"
                                                 "5db02d56ecc4c5bf34007208d5b887185865"));
    }

    void scryptKnownAnswerAndBounds() {
        // Determinism, sensitivity to the passphrase, and the bounds a stored parameter set
        // must respect. (RFC 7914's vectors use p=16, above the bound; libscrypt is tested
        // against them by its own suite.)
        const ScryptCost cost{10, 8, 1};
        auto a = scrypt(asBytes("password"), asBytes("NaCl-salt"), cost);
        auto b = scrypt(asBytes("password"), asBytes("NaCl-salt"), cost);
        auto c = scrypt(asBytes("passwore"), asBytes("NaCl-salt"), cost);
        QVERIFY(a.ok() && b.ok() && c.ok());
        QVERIFY(*a == *b);
        QVERIFY(!(*a == *c));
        QCOMPARE(scrypt(asBytes("p"), asBytes("s"), ScryptCost{30, 8, 1}).error(),
                 CryptoError::InvalidArgument);
        QCOMPARE(scrypt(asBytes("p"), asBytes("s"), ScryptCost{17, 64, 1}).error(),
                 CryptoError::InvalidArgument);
        // Each value in range, but together 128 * r * N = 4 GiB: refused before any work.
        QVERIFY(!scryptCostInBounds(ScryptCost{21, 16, 1}));
        QVERIFY(scryptCostInBounds(ScryptCost{17, 8, 1}));
        QVERIFY(scryptCostInBounds(ScryptCost{20, 8, 1}));
        QVERIFY(!scryptCostInBounds(ScryptCost{21, 8, 1}));
    }

    void ecdhAgrees() {
        auto alice = KeyPair::generate();
        auto bob = KeyPair::generate();
        QVERIFY(alice.ok() && bob.ok());
        auto ab = alice->agree(bob->publicKey());
        auto ba = bob->agree(alice->publicKey());
        QVERIFY(ab.ok() && ba.ok());
        QCOMPARE(ab->size(), kSharedSecretSize);
        QVERIFY(*ab == *ba);
    }

    void keyPairRoundTripsThroughStorage() {
        auto pair = KeyPair::generate().value();
        auto scalar = pair.exportPrivate();
        QVERIFY(scalar.ok());
        auto restored = KeyPair::fromPrivate(scalar->view(), pair.publicKey().bytes());
        QVERIFY(restored.ok());
        QVERIFY(restored->publicKey() == pair.publicKey());
        auto other = KeyPair::generate().value();
        QCOMPARE(KeyPair::fromPrivate(scalar->view(), other.publicKey().bytes()).error(),
                 KeyError::KeyMismatch);
        const SecureBuffer zero(kPrivateKeySize);
        QCOMPARE(KeyPair::fromPrivate(zero.view(), pair.publicKey().bytes()).error(),
                 KeyError::InvalidScalar);
    }

    void invalidPublicKeysRejected() {
        const Bytes good = KeyPair::generate().value().publicKey().bytes();
        QCOMPARE(PublicKey::fromBytes(ByteView(good).first(132)).error(), KeyError::WrongLength);
        Bytes compressed = good;
        compressed[0] = 0x02;
        QCOMPARE(PublicKey::fromBytes(compressed).error(), KeyError::BadEncoding);
        Bytes offCurve = good;
        offCurve[kPublicKeySize - 1] ^= 0x01; // change Y: the point leaves the curve
        QCOMPARE(PublicKey::fromBytes(offCurve).error(), KeyError::NotOnCurve);
        Bytes zeros(kPublicKeySize, 0);
        zeros[0] = 0x04;
        QCOMPARE(PublicKey::fromBytes(zeros).error(), KeyError::NotOnCurve);
        Bytes tooLarge(kPublicKeySize, 0xff); // coordinates >= p
        tooLarge[0] = 0x04;
        QCOMPARE(PublicKey::fromBytes(tooLarge).error(), KeyError::NotOnCurve);
    }

    void signaturesVerifyAndAreLowS() {
        auto pair = KeyPair::generate().value();
        Transcript message("test/label");
        message.add(Field::Data, asBytes("hello"));
        for (int i = 0; i < 8; ++i) {
            auto sig = pair.sign(message);
            QVERIFY(sig.ok());
            QVERIFY(pair.publicKey().verify(message, *sig).ok());
            QCOMPARE(pair.publicKey().verify(message, toHighS(*sig)).error(),
                     SignatureError::HighS);
        }
        auto sig = pair.sign(message).value();
        Transcript otherLabel("test/other");
        otherLabel.add(Field::Data, asBytes("hello"));
        QCOMPARE(pair.publicKey().verify(otherLabel, sig).error(), SignatureError::Invalid);
        QCOMPARE(pair.publicKey().verify(message, ByteView(sig).first(131)).error(),
                 SignatureError::WrongLength);
        Signature zero{};
        QCOMPARE(pair.publicKey().verify(message, zero).error(), SignatureError::OutOfRange);
        Signature flipped = sig;
        flipped[10] ^= 0x40;
        QVERIFY(!pair.publicKey().verify(message, flipped).ok());
    }

    void groupOrderMatchesOpenSsl() {
        // The hard-coded order behind the low-s rule must be P-521's: a signature whose s is
        // exactly n/2 rounded up is high, n/2 rounded down is accepted by range.
        EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_secp521r1);
        char* text = BN_bn2hex(EC_GROUP_get0_order(group));
        QCOMPARE(QByteArray(text),
                 QByteArray("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                            "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409"));
        OPENSSL_free(text);
        EC_GROUP_free(group);
    }

    void transcriptIsTypedAndLengthPrefixed() {
        Transcript a("L");
        a.add(Field::Data, asBytes("ab")).add(Field::Data, asBytes("c"));
        Transcript b("L");
        b.add(Field::Data, asBytes("a")).add(Field::Data, asBytes("bc"));
        QVERIFY(a.view().size() == b.view().size());
        QVERIFY(!std::equal(a.view().begin(), a.view().end(), b.view().begin()));
        QCOMPARE(toHex(a.view()), std::string("01000000014c"
                                              "2800000002"
                                              "6162"
                                              "2800000001"
                                              "63"));
    }

    void secretsNeverPrint() {
        const SecureBuffer secret = SecureBuffer::copyOf(hex("deadbeefcafebabe"));
        std::ostringstream out;
        out << secret;
        QVERIFY(out.str().find("dead") == std::string::npos);
        QVERIFY(out.str().find("8 bytes") != std::string::npos);

        auto pair = KeyPair::generate().value();
        const std::string privateHex = toHex(pair.exportPrivate().value().view());
        const std::string text = pair.describe();
        QVERIFY(text.find(privateHex.substr(0, 8)) == std::string::npos);
        QVERIFY(text.find("redacted") != std::string::npos);
    }

    void secureBufferIsWipedOnClear() {
        SecureBuffer secret = SecureBuffer::copyOf(hex("0102030405"));
        SecureBuffer moved = std::move(secret);
        QCOMPARE(moved.size(), std::size_t{5});
        moved.clear();
        QVERIFY(moved.empty());
    }

    void hashKnownAnswers() {
        QCOMPARE(toHex(sha256(asBytes("abc"))),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        Sha256Stream stream;
        stream.update(asBytes("a"));
        stream.update(asBytes("bc"));
        QCOMPARE(toHex(stream.finish()), toHex(sha256(asBytes("abc"))));
        QCOMPARE(toHex(sha512(asBytes("abc"))).substr(0, 16), std::string("ddaf35a193617aba"));
    }
};

QTEST_APPLESS_MAIN(TestPrimitives)
#include "tst_primitives.moc"
