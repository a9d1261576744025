// SPDX-License-Identifier: Apache-2.0
// Call media frames (crypto/CallFrame.h): round trips, the wire layout against the equations
// of CallFrame.cpp, the replay window, and refusal of tampered, foreign and truncated frames.

#include "crypto/CallFrame.h"
#include "crypto/Kdf.h"
#include "crypto/Random.h"
#include "crypto/Transcript.h"

#include <QTest>

#include <limits>
#include <optional>
#include <stdexcept>

using namespace cinder::crypto;

Q_DECLARE_METATYPE(cinder::crypto::FrameError)

namespace cinder::crypto {
struct FrameEncryptorTestAccess {
    static void setNextCounter(FrameEncryptor& encryptor, std::uint64_t counter) {
        encryptor.m_counter = counter;
    }
};
} // namespace cinder::crypto

namespace {

Bytes pattern(std::size_t size, std::uint8_t seed = 1) {
    Bytes out(size);
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = static_cast<std::uint8_t>(seed + 31 * i + (i >> 8));
    }
    return out;
}

// The equations at the top of CallFrame.cpp, assembled independently of FrameEncryptor, so
// that a test can seal a frame with any counter.
struct SpecSender {
    SpecSender(ByteView callKey, ByteView nodeId, std::uint8_t id) : keyId(id) {
        const Bytes keyIdBytes{id};
        Transcript material(label::kCallFrameKey);
        material.add(Field::SecretKey, callKey)
            .add(Field::NodeId, nodeId)
            .add(Field::Data, keyIdBytes);
        const SecureBuffer okm = hkdfSha256(material.view(), label::kCallFrameKey, 44).value();
        key = SecureBuffer::copyOf(okm.view().first(32));
        std::copy(okm.data() + 32, okm.data() + 44, salt.begin());
        aead.emplace(AeadContext::create(key.view()).value());
    }

    Bytes seal(std::uint64_t counter, ByteView plaintext) {
        Bytes frame{keyId};
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame.push_back(static_cast<std::uint8_t>(counter >> shift));
        }
        Nonce nonce = salt;
        for (std::size_t i = 0; i < 8; ++i) {
            nonce[4 + i] ^= frame[1 + i];
        }
        Bytes aad = toBytes(label::kAadCallFrame);
        aad.insert(aad.end(), frame.begin(), frame.end());
        Bytes sealed(plaintext.size() + kTagSize);
        if (!aead->seal(nonce, aad, plaintext, sealed)) {
            throw std::runtime_error("seal failed");
        }
        frame.insert(frame.end(), sealed.begin(), sealed.end());
        return frame;
    }

    std::uint8_t keyId;
    SecureBuffer key;
    Nonce salt{};
    std::optional<AeadContext> aead;
};

struct Call {
    SecureBuffer callKey = systemRandom().secret(kSymmetricKeySize);
    Bytes alice = systemRandom().bytes(kNodeIdSize);
    Bytes bob = systemRandom().bytes(kNodeIdSize);
};

} // namespace

class TestCallFrame : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<qsizetype>("size");
        QTest::newRow("empty") << qsizetype{0};
        QTest::newRow("one byte") << qsizetype{1};
        QTest::newRow("audio frame") << qsizetype{160};
        QTest::newRow("video packet") << qsizetype{1200};
        QTest::newRow("key frame") << qsizetype{200 * 1024};
        QTest::newRow("largest") << static_cast<qsizetype>(kMaxCallFramePayload);
    }

    void roundTrip() {
        QFETCH(qsizetype, size);
        const Call call;
        auto sender = FrameEncryptor::create(call.callKey.view(), call.alice, 7).value();
        auto receiver = FrameDecryptor::create(call.callKey.view(), call.alice, 7).value();
        for (std::uint64_t counter = 0; counter < 3; ++counter) {
            const Bytes plaintext =
                pattern(static_cast<std::size_t>(size), static_cast<std::uint8_t>(counter));
            QCOMPARE(sender.nextCounter(), counter);
            const Bytes frame = sender.encrypt(plaintext).value();
            QCOMPARE(frame.size(), plaintext.size() + kCallFrameOverhead);
            const FrameHeader header = parseFrameHeader(frame).value();
            QCOMPARE(header.keyId, std::uint8_t{7});
            QCOMPARE(header.counter, counter);
            QVERIFY(receiver.decrypt(frame).value() == plaintext);
        }
    }

    void matchesTheSpecEquations() {
        const Call call;
        auto sender = FrameEncryptor::create(call.callKey.view(), call.alice, 3).value();
        SpecSender spec(call.callKey.view(), call.alice, 3);
        const Bytes plaintext = pattern(100);
        QCOMPARE(toHex(sender.encrypt(plaintext).value()), toHex(spec.seal(0, plaintext)));
        QCOMPARE(toHex(sender.encrypt(plaintext).value()), toHex(spec.seal(1, plaintext)));
        // Layout: keyId || uint64_be(counter) || ciphertext || tag.
        const Bytes frame = spec.seal(0x0102030405060708ULL, plaintext);
        QCOMPARE(toHex(ByteView(frame).first(kCallFrameHeaderSize)),
                 std::string("03"
                             "0102030405060708"));
        auto receiver = FrameDecryptor::create(call.callKey.view(), call.alice, 3).value();
        QVERIFY(receiver.decrypt(frame).value() == plaintext);
    }

    void replayRejected() {
        const Call call;
        auto sender = FrameEncryptor::create(call.callKey.view(), call.alice, 0).value();
        auto receiver = FrameDecryptor::create(call.callKey.view(), call.alice, 0).value();
        const Bytes first = sender.encrypt(pattern(20)).value();
        const Bytes second = sender.encrypt(pattern(20)).value();
        QVERIFY(receiver.decrypt(first).ok());
        QCOMPARE(receiver.decrypt(first).error(), FrameError::Replayed);
        QVERIFY(receiver.decrypt(second).ok());
        QCOMPARE(receiver.decrypt(second).error(), FrameError::Replayed);
        QCOMPARE(receiver.decrypt(first).error(), FrameError::Replayed);
    }

    void replayWindow_data() {
        // Counters delivered in order; for each, whether it is accepted or why not.
        QTest::addColumn<QList<quint64>>("counters");
        QTest::addColumn<QList<int>>("outcomes"); // -1 accepted, else a FrameError
        const int ok = -1;
        const int replayed = static_cast<int>(FrameError::Replayed);
        const int tooOld = static_cast<int>(FrameError::TooOld);
        QTest::newRow("reordered within the window, each once")
            << QList<quint64>{5, 3, 4, 3, 5, 4, 0}
            << QList<int>{ok, ok, ok, replayed, replayed, replayed, ok};
        QTest::newRow("window edge")
            << QList<quint64>{200, 73, 72, 73, 199} << QList<int>{ok, ok, tooOld, replayed, ok};
        QTest::newRow("far jump forgets the past")
            << QList<quint64>{0, 1, 1000, 1, 0, 999, 872, 873, 1000}
            << QList<int>{ok, ok, ok, tooOld, tooOld, ok, tooOld, ok, replayed};
        QTest::newRow("jump by exactly the window")
            << QList<quint64>{10, 138, 10, 11, 137} << QList<int>{ok, ok, tooOld, ok, ok};
        QTest::newRow("first frame may be any counter")
            << QList<quint64>{500, 499, 373, 372} << QList<int>{ok, ok, ok, tooOld};
        QTest::newRow("end of the counter space")
            << QList<quint64>{std::numeric_limits<quint64>::max() - 1,
                              std::numeric_limits<quint64>::max(),
                              std::numeric_limits<quint64>::max() - 1,
                              std::numeric_limits<quint64>::max() - 127,
                              std::numeric_limits<quint64>::max() - 128}
            << QList<int>{ok, ok, replayed, ok, tooOld};
    }

    void replayWindow() {
        QFETCH(QList<quint64>, counters);
        QFETCH(QList<int>, outcomes);
        QCOMPARE(counters.size(), outcomes.size());
        const Call call;
        SpecSender spec(call.callKey.view(), call.alice, 1);
        auto receiver = FrameDecryptor::create(call.callKey.view(), call.alice, 1).value();
        for (qsizetype i = 0; i < counters.size(); ++i) {
            const Bytes plaintext = pattern(40, static_cast<std::uint8_t>(i));
            auto result = receiver.decrypt(spec.seal(counters[i], plaintext));
            const std::string where =
                "frame " + std::to_string(i) + ", counter " + std::to_string(counters[i]);
            if (outcomes[i] < 0) {
                QVERIFY2(result.ok(), where.c_str());
                QVERIFY(*result == plaintext);
            } else {
                QVERIFY2(!result.ok(), where.c_str());
                QCOMPARE(result.error(), static_cast<FrameError>(outcomes[i]));
            }
        }
    }

    void forgedFramesDoNotMoveTheWindow() {
        const Call call;
        SpecSender spec(call.callKey.view(), call.alice, 1);
        auto receiver = FrameDecryptor::create(call.callKey.view(), call.alice, 1).value();
        QVERIFY(receiver.decrypt(spec.seal(10, pattern(8))).ok());
        // A forgery with a far higher counter fails and leaves the window where it was ...
        Bytes forged = spec.seal(100000, pattern(8));
        forged.back() ^= 1;
        QCOMPARE(receiver.decrypt(forged).error(), FrameError::AuthenticationFailed);
        // ... so frames just behind the real highest counter are still accepted.
        QVERIFY(receiver.decrypt(spec.seal(9, pattern(8))).ok());
        QVERIFY(receiver.decrypt(spec.seal(11, pattern(8))).ok());
        // A failed frame does not burn its counter: the genuine one still opens once.
        Bytes genuine = spec.seal(12, pattern(8));
        Bytes tampered = genuine;
        tampered[kCallFrameHeaderSize] ^= 1;
        QCOMPARE(receiver.decrypt(tampered).error(), FrameError::AuthenticationFailed);
        QVERIFY(receiver.decrypt(genuine).ok());
        QCOMPARE(receiver.decrypt(genuine).error(), FrameError::Replayed);
    }

    void everyFlippedByteRejected() {
        const Call call;
        auto sender = FrameEncryptor::create(call.callKey.view(), call.alice, 4).value();
        const Bytes frame = sender.encrypt(pattern(50)).value();
        for (std::size_t i = 0; i < frame.size(); ++i) {
            for (const std::uint8_t bit : {0x01, 0x80}) {
                // A fresh receiver each time, so that no error comes from the replay window.
                auto receiver = FrameDecryptor::create(call.callKey.view(), call.alice, 4).value();
                Bytes tampered = frame;
                tampered[i] ^= bit;
                auto result = receiver.decrypt(tampered);
                QVERIFY(!result.ok());
                QCOMPARE(result.error(),
                         i == 0 ? FrameError::UnknownSender : FrameError::AuthenticationFailed);
            }
        }
    }

    void foreignFramesRejected() {
        const Call call;
        auto alice = FrameEncryptor::create(call.callKey.view(), call.alice, 1).value();
        const Bytes frame = alice.encrypt(pattern(64)).value();
        // Bob's decryptor with the keyId Alice uses: the key is Bob's, so nothing opens.
        auto asBob = FrameDecryptor::create(call.callKey.view(), call.bob, 1).value();
        QCOMPARE(asBob.decrypt(frame).error(), FrameError::AuthenticationFailed);
        // Another call.
        const SecureBuffer otherCall = systemRandom().secret(kSymmetricKeySize);
        auto otherReceiver = FrameDecryptor::create(otherCall.view(), call.alice, 1).value();
        QCOMPARE(otherReceiver.decrypt(frame).error(), FrameError::AuthenticationFailed);
        // A keyId this decryptor does not serve.
        auto otherStream = FrameDecryptor::create(call.callKey.view(), call.alice, 2).value();
        QCOMPARE(otherStream.decrypt(frame).error(), FrameError::UnknownSender);
        // Relabelling the frame with the other keyId does not help: the keyId is in the key.
        Bytes relabelled = frame;
        relabelled[0] = 2;
        QCOMPARE(otherStream.decrypt(relabelled).error(), FrameError::AuthenticationFailed);
        // The right decryptor still takes it.
        auto right = FrameDecryptor::create(call.callKey.view(), call.alice, 1).value();
        QVERIFY(right.decrypt(frame).ok());
    }

    void sendersHaveDistinctKeys() {
        const Call call;
        const Bytes plaintext = pattern(32);
        SpecSender alice(call.callKey.view(), call.alice, 1);
        SpecSender bob(call.callKey.view(), call.bob, 1);
        SpecSender aliceVideo(call.callKey.view(), call.alice, 2);
        QVERIFY(!(alice.key == bob.key));
        QVERIFY(!(alice.key == aliceVideo.key));
        QVERIFY(alice.salt != bob.salt);
        // Same counter, same plaintext: different frames from each encryptor.
        auto a = FrameEncryptor::create(call.callKey.view(), call.alice, 1).value();
        auto b = FrameEncryptor::create(call.callKey.view(), call.bob, 1).value();
        const Bytes fa = a.encrypt(plaintext).value();
        const Bytes fb = b.encrypt(plaintext).value();
        QCOMPARE(toHex(ByteView(fa).first(kCallFrameHeaderSize)),
                 toHex(ByteView(fb).first(kCallFrameHeaderSize)));
        QVERIFY(fa != fb);
    }

    void malformedFramesRejected() {
        const Call call;
        auto sender = FrameEncryptor::create(call.callKey.view(), call.alice, 0).value();
        auto receiver = FrameDecryptor::create(call.callKey.view(), call.alice, 0).value();
        const Bytes frame = sender.encrypt(pattern(10)).value();
        for (std::size_t length = 0; length < kCallFrameOverhead; ++length) {
            QCOMPARE(receiver.decrypt(ByteView(frame).first(length)).error(),
                     FrameError::Truncated);
            QCOMPARE(parseFrameHeader(ByteView(frame).first(length)).error(),
                     FrameError::Truncated);
        }
        QCOMPARE(receiver.decrypt(ByteView(frame).first(frame.size() - 1)).error(),
                 FrameError::AuthenticationFailed);
        Bytes longer = frame;
        longer.push_back(0);
        QCOMPARE(receiver.decrypt(longer).error(), FrameError::AuthenticationFailed);
        const Bytes huge(kMaxCallFramePayload + kCallFrameOverhead + 1);
        QCOMPARE(receiver.decrypt(huge).error(), FrameError::Oversized);
        Bytes small(5);
        QCOMPARE(receiver.decrypt(frame, small).error(), FrameError::OutputTooSmall);
        QVERIFY(receiver.decrypt(frame).ok()); // the refusals above changed nothing
    }

    void senderRefusesMisuse() {
        const Call call;
        QCOMPARE(
            FrameEncryptor::create(ByteView(call.callKey.view()).first(16), call.alice, 0).error(),
            FrameError::WrongKeyLength);
        QCOMPARE(
            FrameEncryptor::create(call.callKey.view(), ByteView(call.alice).first(31), 0).error(),
            FrameError::WrongNodeIdLength);
        QCOMPARE(FrameDecryptor::create(call.callKey.view(), Bytes(33), 0).error(),
                 FrameError::WrongNodeIdLength);
        QCOMPARE(FrameDecryptor::create(Bytes(31), call.alice, 0).error(),
                 FrameError::WrongKeyLength);
        auto sender = FrameEncryptor::create(call.callKey.view(), call.alice, 0).value();
        QCOMPARE(sender.encrypt(Bytes(kMaxCallFramePayload + 1)).error(), FrameError::Oversized);
        Bytes out(kCallFrameOverhead + 9);
        QCOMPARE(sender.encrypt(pattern(10), out).error(), FrameError::OutputTooSmall);
        QCOMPARE(sender.nextCounter(), std::uint64_t{0}); // refusals do not spend counters
        QCOMPARE(sender.encrypt(pattern(9), out).value(), out.size());
        QCOMPARE(sender.nextCounter(), std::uint64_t{1});
    }

    void counterNeverWraps() {
        const Call call;
        auto sender = FrameEncryptor::create(call.callKey.view(), call.alice, 0).value();
        auto receiver = FrameDecryptor::create(call.callKey.view(), call.alice, 0).value();
        constexpr std::uint64_t last = std::numeric_limits<std::uint64_t>::max();
        FrameEncryptorTestAccess::setNextCounter(sender, last - 1);
        QVERIFY(receiver.decrypt(sender.encrypt(pattern(5)).value()).ok());
        const Bytes lastFrame = sender.encrypt(pattern(5)).value();
        QCOMPARE(parseFrameHeader(lastFrame)->counter, last);
        QVERIFY(receiver.decrypt(lastFrame).ok());
        QCOMPARE(sender.encrypt(pattern(5)).error(), FrameError::CounterExhausted);
        QCOMPARE(sender.encrypt(pattern(5)).error(), FrameError::CounterExhausted);
    }

    void describesEveryError() {
        for (int e = 0; e <= static_cast<int>(FrameError::BackendFailure); ++e) {
            QVERIFY(describe(static_cast<FrameError>(e)) != "unknown error");
        }
    }
};

QTEST_APPLESS_MAIN(TestCallFrame)
#include "tst_call_frame.moc"
