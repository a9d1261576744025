// SPDX-License-Identifier: Apache-2.0
// The recovery bundle (crypto/RecoveryBundle.h): both seals, the verifier branch, the
// recovery key text, passphrase changes, and a decoder that refuses every hostile bundle
// with a typed error before doing work it cannot afford.

#include "cinder/packet.pb.h"
#include "crypto/Aead.h"
#include "crypto/Hash.h"
#include "crypto/Kdf.h"
#include "crypto/RecoveryBundle.h"
#include "crypto/RootIdentity.h"
#include "crypto/Transcript.h"
#include "crypto/WireCodec.h"

#include <QElapsedTimer>
#include <QTest>

#include <cctype>
#include <functional>
#include <set>

using namespace cinder::crypto;
namespace wire = cinder::wire;

namespace {

const ScryptCost kFast{10, 8, 1};
const ScryptCost kTiny{10, 1, 1};
constexpr std::string_view kPassphrase = "correct horse battery staple";

Bytes hex(const char* text) {
    return fromHex(text).value();
}

// Reproducible bytes: SHA-256(seed || counter) blocks.
class SeededRandom final : public RandomSource {
public:
    explicit SeededRandom(std::uint8_t seed) : m_seed(seed) {}
    void fill(std::span<std::uint8_t> out) override {
        for (std::uint8_t& byte : out) {
            if (m_used == m_block.size()) {
                const std::array<std::uint8_t, 9> input{m_seed,
                                                        static_cast<std::uint8_t>(m_counter >> 56),
                                                        static_cast<std::uint8_t>(m_counter >> 48),
                                                        static_cast<std::uint8_t>(m_counter >> 40),
                                                        static_cast<std::uint8_t>(m_counter >> 32),
                                                        static_cast<std::uint8_t>(m_counter >> 24),
                                                        static_cast<std::uint8_t>(m_counter >> 16),
                                                        static_cast<std::uint8_t>(m_counter >> 8),
                                                        static_cast<std::uint8_t>(m_counter)};
                m_block = sha256(input);
                ++m_counter;
                m_used = 0;
            }
            byte = m_block[m_used++];
        }
    }

private:
    std::uint8_t m_seed;
    std::uint64_t m_counter = 0;
    Sha256Digest m_block{};
    std::size_t m_used = 32;
};

RootId rootIdOf(std::uint8_t value) {
    RootId id{};
    id.fill(value);
    return id;
}

RecoveryKeys makeKeys() {
    return RecoveryKeys{KeyPair::generate().value(), systemRandom().secret(kSymmetricKeySize),
                        systemRandom().secret(kSymmetricKeySize)};
}

bool sameKeys(const RecoveryKeys& a, const RecoveryKeys& b) {
    return a.root.publicKey() == b.root.publicKey() &&
           a.root.exportPrivate().value() == b.root.exportPrivate().value() &&
           a.remoteStorageKey == b.remoteStorageKey && a.nodeStorageRootKey == b.nodeStorageRootKey;
}

wire::RecoveryBundle parsed(const Bytes& bundle) {
    wire::RecoveryBundle message;
    const bool ok = message.ParseFromArray(bundle.data(), static_cast<int>(bundle.size()));
    Q_ASSERT(ok);
    return message;
}

Bytes rewritten(const Bytes& bundle, const std::function<void(wire::RecoveryBundle&)>& change) {
    wire::RecoveryBundle message = parsed(bundle);
    change(message);
    return serialize(message);
}

Transcript aadFor(std::string_view label, const RootId& rootId) {
    Transcript aad(label);
    aad.addU64(Field::Version, kRecoveryBundleVersion).add(Field::RootId, rootId);
    return aad;
}

std::string textOf(const SecureBuffer& text) {
    return toStdString(text.view());
}

} // namespace

class TestRecoveryBundle : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        const RootId id = rootIdOf(0x11);
        const RecoveryKeys keys = makeKeys();
        auto sealed = sealRecoveryBundle(id, keys, asBytes(kPassphrase), kFast);
        QVERIFY(sealed.ok());
        QVERIFY(sealed->bundle.size() <= kMaxRecoveryBundleSize);
        QCOMPARE(sealed->verifier.size(), kRecoveryVerifierSize);

        auto opened = openRecoveryBundle(sealed->bundle, id, asBytes(kPassphrase));
        QVERIFY(opened.ok());
        QVERIFY(sameKeys(*opened, keys));

        // The server's route: parameters first, verifier, then the bundle; scrypt runs once.
        const Bytes handedOut =
            encodeRecoveryKdfParameters(recoveryKdfParameters(sealed->bundle).value());
        auto parameters = decodeRecoveryKdfParameters(handedOut);
        QVERIFY(parameters.ok());
        QCOMPARE(parameters->cost.log2N, kFast.log2N);
        auto passphraseKey = RecoveryPassphraseKey::derive(*parameters, asBytes(kPassphrase));
        QVERIFY(passphraseKey.ok());
        QVERIFY(passphraseKey->verifier().value() == sealed->verifier);
        QVERIFY(deriveRecoveryVerifier(sealed->bundle, asBytes(kPassphrase)).value() ==
                sealed->verifier);
        auto again = openRecoveryBundle(sealed->bundle, id, *passphraseKey);
        QVERIFY(again.ok());
        QVERIFY(sameKeys(*again, keys));
    }

    void sealsARootIdentity() {
        const RootIdentity identity = RootIdentity::generate().value();
        auto sealed = sealRecoveryBundle(identity, asBytes(kPassphrase), kTiny);
        QVERIFY(sealed.ok());
        auto opened = openRecoveryBundle(sealed->bundle, identity.id(), asBytes(kPassphrase));
        QVERIFY(opened.ok());
        auto restored = RootIdentity::restore(identity.id(), std::move(opened->root),
                                              std::move(opened->remoteStorageKey),
                                              std::move(opened->nodeStorageRootKey));
        QVERIFY(restored.ok());
        QVERIFY(restored->publicKey() == identity.publicKey());
        QVERIFY(restored->remoteStorageKey() == identity.remoteStorageKey());
        QVERIFY(restored->nodeStorageRootKey() == identity.nodeStorageRootKey());
    }

    void roundTripAtDefaultCost() {
        const RootId id = rootIdOf(0x12);
        const RecoveryKeys keys = makeKeys();
        auto sealed = sealRecoveryBundle(id, keys, asBytes(kPassphrase));
        QVERIFY(sealed.ok());
        QCOMPARE(recoveryKdfParameters(sealed->bundle)->cost.log2N, ScryptCost{}.log2N);
        auto opened = openRecoveryBundle(sealed->bundle, id, asBytes(kPassphrase));
        QVERIFY(opened.ok());
        QVERIFY(sameKeys(*opened, keys));
    }

    void wrongPassphraseIsTyped() {
        const RootId id = rootIdOf(0x13);
        const Bytes bundle =
            sealRecoveryBundle(id, makeKeys(), asBytes(kPassphrase), kFast).value().bundle;
        QCOMPARE(openRecoveryBundle(bundle, id, asBytes("correct horse battery stapler")).error(),
                 RecoveryError::WrongPassphrase);
        QCOMPARE(openRecoveryBundle(bundle, id, ByteView{}).error(),
                 RecoveryError::WrongPassphrase);
        QCOMPARE(exportRecoveryKey(bundle, id, asBytes("nope")).error(),
                 RecoveryError::WrongPassphrase);
    }

    void verifierIsSeparateBranchAndDeterministic() {
        const RootId id = rootIdOf(0x14);
        const auto sealed = sealRecoveryBundle(id, makeKeys(), asBytes(kPassphrase), kFast).value();
        const wire::RecoveryBundle message = parsed(sealed.bundle);

        // Recompute the documented derivation independently of the implementation.
        const ScryptCost cost{message.kdf().log2_n(), message.kdf().r(), message.kdf().p()};
        const SecureBuffer material = scrypt(asBytes(kPassphrase), viewOf(message.kdf().salt()),
                                             cost, kPassphraseKeyMaterialSize)
                                          .value();
        const SecureBuffer sealKey = hkdfSha256(material.view(), label::kRecoverySealKey).value();
        const SecureBuffer verifier = hkdfSha256(material.view(), label::kRecoveryVerifier).value();
        QVERIFY(verifier == sealed.verifier);
        QVERIFY(!(sealKey == sealed.verifier));
        const Transcript aad = aadFor(label::kAadRecoveryBundleKey, id);
        QVERIFY(
            aeadOpenSecret(sealKey.view(), aad.view(), viewOf(message.sealed_bundle_key())).ok());
        QCOMPARE(aeadOpenSecret(verifier.view(), aad.view(), viewOf(message.sealed_bundle_key()))
                     .error(),
                 AeadError::AuthenticationFailed);

        // Deterministic given the parameters; sensitive to salt and passphrase.
        const RecoveryKdfParameters parameters = recoveryKdfParameters(sealed.bundle).value();
        QVERIFY(deriveRecoveryVerifier(parameters, asBytes(kPassphrase)).value() ==
                sealed.verifier);
        RecoveryKdfParameters otherSalt = parameters;
        otherSalt.salt[0] ^= 0x01;
        QVERIFY(
            !(deriveRecoveryVerifier(otherSalt, asBytes(kPassphrase)).value() == sealed.verifier));
        QVERIFY(!(deriveRecoveryVerifier(parameters, asBytes("other")).value() == sealed.verifier));
        auto passphraseKey = RecoveryPassphraseKey::derive(otherSalt, asBytes(kPassphrase));
        QCOMPARE(openRecoveryBundle(sealed.bundle, id, *passphraseKey).error(),
                 RecoveryError::ParametersMismatch);
    }

    void verifierKnownAnswer() {
        // Cross-checked with Python's hashlib.scrypt and cryptography's HKDF.
        RecoveryKdfParameters parameters{hex("000102030405060708090a0b0c0d0e0f"
                                             "101112131415161718191a1b1c1d1e1f"),
                                         kFast};
        auto key = RecoveryPassphraseKey::derive(parameters, asBytes(kPassphrase));
        QVERIFY(key.ok());
        QCOMPARE(toHex(key->verifier().value().view()),
                 std::string("382f16d2d44dccbb9ab017c2866490a21331358b7811d1f2b45ba70470af1de7"));
        QCOMPARE(toHex(key->sealKey().value().view()),
                 std::string("24c4d3bc2221fdf3eb6e555863a9a671600a34d72f7f7d1c2aaf3d7a919fa9a8"));
        QCOMPARE(toHex(encodeRecoveryKdfParameters(parameters)),
                 std::string("0a20000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1"
                             "e1f100a18082001"));
    }

    void everyFlippedByteIsATypedError() {
        const RootId id = rootIdOf(0x15);
        const Bytes bundle =
            sealRecoveryBundle(id, makeKeys(), asBytes(kPassphrase), kTiny).value().bundle;
        std::set<RecoveryError> seen;
        for (std::size_t i = 0; i < bundle.size(); ++i) {
            for (const std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
                Bytes tampered = bundle;
                tampered[i] ^= mask;
                auto opened = openRecoveryBundle(tampered, id, asBytes(kPassphrase));
                QVERIFY2(!opened.ok(), qPrintable(QString("byte %1 accepted").arg(i)));
                QVERIFY(opened.error() != RecoveryError::BackendFailure);
                seen.insert(opened.error());
            }
        }
        for (std::size_t length = 0; length < bundle.size(); ++length) {
            QVERIFY(
                !openRecoveryBundle(ByteView(bundle).first(length), id, asBytes(kPassphrase)).ok());
        }
        QVERIFY(seen.count(RecoveryError::Malformed) == 1);
        QVERIFY(seen.count(RecoveryError::WrongRootId) == 1);
        QVERIFY(seen.count(RecoveryError::WrongPassphrase) == 1);
        QVERIFY(seen.count(RecoveryError::Corrupt) == 1); // a flipped bit in sealed_keys
    }

    void kdfOutsideBoundsRefusedBeforeWork_data() {
        QTest::addColumn<quint32>("log2N");
        QTest::addColumn<quint32>("r");
        QTest::addColumn<quint32>("p");
        QTest::newRow("N=2^30, r=1000") << 30u << 1000u << 1u;
        QTest::newRow("N=2^22") << 22u << 8u << 1u;
        QTest::newRow("r=17") << 17u << 17u << 1u;
        QTest::newRow("p=5") << 17u << 8u << 5u;
        QTest::newRow("weak N=2^9") << 9u << 8u << 1u;
        QTest::newRow("r=0") << 17u << 0u << 1u;
        QTest::newRow("p=0") << 17u << 8u << 0u;
        QTest::newRow("N=2^63") << 63u << 8u << 1u;
    }

    void kdfOutsideBoundsRefusedBeforeWork() {
        QFETCH(quint32, log2N);
        QFETCH(quint32, r);
        QFETCH(quint32, p);
        const ScryptCost cost{log2N, r, p};
        const RootId id = rootIdOf(0x16);
        const RecoveryKeys keys = makeKeys();
        const Bytes bundle =
            sealRecoveryBundle(id, keys, asBytes(kPassphrase), kTiny).value().bundle;
        const Bytes hostile = rewritten(bundle, [&](wire::RecoveryBundle& message) {
            message.mutable_kdf()->set_log2_n(log2N);
            message.mutable_kdf()->set_r(r);
            message.mutable_kdf()->set_p(p);
        });
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(openRecoveryBundle(hostile, id, asBytes(kPassphrase)).error(),
                 RecoveryError::WeakOrExcessiveKdf);
        QCOMPARE(deriveRecoveryVerifier(hostile, asBytes(kPassphrase)).error(),
                 RecoveryError::WeakOrExcessiveKdf);
        QCOMPARE(recoveryKdfParameters(hostile).error(), RecoveryError::WeakOrExcessiveKdf);
        QCOMPARE(decodeRecoveryKdfParameters(
                     encodeRecoveryKdfParameters({Bytes(kScryptSaltSize, 7), cost}))
                     .error(),
                 RecoveryError::WeakOrExcessiveKdf);
        QCOMPARE(
            RecoveryPassphraseKey::derive({Bytes(kScryptSaltSize, 7), cost}, asBytes("x")).error(),
            RecoveryError::WeakOrExcessiveKdf);
        QCOMPARE(sealRecoveryBundle(id, keys, asBytes(kPassphrase), cost).error(),
                 RecoveryError::WeakOrExcessiveKdf);
        QVERIFY2(timer.elapsed() < 200, "a refused cost must be refused before scrypt runs");
    }

    void malformedBundlesRefused() {
        const RootId id = rootIdOf(0x17);
        const Bytes bundle =
            sealRecoveryBundle(id, makeKeys(), asBytes(kPassphrase), kTiny).value().bundle;
        const auto openError = [&](const Bytes& bytes) {
            return openRecoveryBundle(bytes, id, asBytes(kPassphrase)).error();
        };
        QCOMPARE(openError({}), RecoveryError::Malformed);
        QCOMPARE(openError(toBytes("not a bundle at all")), RecoveryError::Malformed);
        QCOMPARE(openError(Bytes(kMaxRecoveryBundleSize + 1, 0)), RecoveryError::Malformed);

        Bytes unknownField = bundle;
        unknownField.insert(unknownField.end(), {0x30, 0x01}); // field 6, varint 1
        QCOMPARE(openError(unknownField), RecoveryError::Malformed);

        const Bytes unknownInKdf = rewritten(bundle, [](wire::RecoveryBundle& message) {
            const std::string withUnknown = message.kdf().SerializeAsString() + "\x28\x01";
            QVERIFY(message.mutable_kdf()->ParseFromString(withUnknown));
        });
        QCOMPARE(openError(unknownInKdf), RecoveryError::Malformed);

        // Same fields, another order: parseable but not canonical.
        const wire::RecoveryBundle message = parsed(bundle);
        wire::RecoveryBundle tail;
        tail.set_version(message.version());
        wire::RecoveryBundle head = message;
        head.clear_version();
        Bytes reordered = serialize(head);
        const Bytes versionLast = serialize(tail);
        reordered.insert(reordered.end(), versionLast.begin(), versionLast.end());
        QCOMPARE(openError(reordered), RecoveryError::Malformed);

        QCOMPARE(openError(rewritten(bundle, [](auto& m) { m.set_version(2); })),
                 RecoveryError::UnsupportedVersion);
        QCOMPARE(openError(rewritten(bundle, [](auto& m) { m.clear_version(); })),
                 RecoveryError::UnsupportedVersion);
        QCOMPARE(openError(rewritten(bundle, [](auto& m) { m.mutable_root_id()->pop_back(); })),
                 RecoveryError::Malformed);
        QCOMPARE(
            openError(rewritten(bundle, [](auto& m) { m.mutable_sealed_keys()->push_back('x'); })),
            RecoveryError::Malformed);
        QCOMPARE(openError(rewritten(bundle, [](auto& m) { m.clear_sealed_bundle_key(); })),
                 RecoveryError::Malformed);
        QCOMPARE(openError(
                     rewritten(bundle, [](auto& m) { m.mutable_sealed_bundle_key()->pop_back(); })),
                 RecoveryError::Malformed);
        QCOMPARE(openError(rewritten(bundle, [](auto& m) { m.mutable_kdf()->clear_salt(); })),
                 RecoveryError::Malformed);
        QCOMPARE(openError(rewritten(bundle,
                                     [](auto& m) { m.mutable_kdf()->mutable_salt()->resize(16); })),
                 RecoveryError::Malformed);

        QCOMPARE(decodeRecoveryKdfParameters({}).error(), RecoveryError::Malformed);
        // A client's floor: a server handing out a cheaper cost to harvest a weak verifier.
        const Bytes cheapParameters =
            encodeRecoveryKdfParameters({Bytes(kScryptSaltSize, 1), kTiny});
        QVERIFY(decodeRecoveryKdfParameters(cheapParameters).ok());
        QCOMPARE(decodeRecoveryKdfParameters(cheapParameters, ScryptCost{17, 1, 1}).error(),
                 RecoveryError::WeakOrExcessiveKdf);
        QCOMPARE(decodeRecoveryKdfParameters(cheapParameters, ScryptCost{10, 8, 1}).error(),
                 RecoveryError::WeakOrExcessiveKdf);
        QVERIFY(decodeRecoveryKdfParameters(cheapParameters, ScryptCost{10, 1, 1}).ok());
        QCOMPARE(decodeRecoveryKdfParameters(toBytes("\xff\xff")).error(),
                 RecoveryError::Malformed);
    }

    void corruptKeysInsideAValidSeal() {
        // A bundle built by hand with correct seals around keys that are not valid.
        const RootId id = rootIdOf(0x18);
        const RecoveryKeys keys = makeKeys();
        const RecoveryKeys other = makeKeys();
        const Bytes bundle =
            sealRecoveryBundle(id, keys, asBytes(kPassphrase), kTiny).value().bundle;
        const SecureBuffer bundleKey =
            parseRecoveryKey(exportRecoveryKey(bundle, id, asBytes(kPassphrase)).value().view())
                .value();
        const Transcript aad = aadFor(label::kAadRecoveryKeys, id);
        const Bytes plaintext =
            aeadOpen(bundleKey.view(), aad.view(), viewOf(parsed(bundle).sealed_keys())).value();

        Bytes mismatched = plaintext; // PKr of another key pair
        const Bytes& otherPublic = other.root.publicKey().bytes();
        std::copy(otherPublic.begin(), otherPublic.end(), mismatched.begin() + 2 + 66 + 3);
        Bytes badHeader = plaintext;
        badHeader[0] = 0x0b;
        for (const Bytes& inner : {mismatched, badHeader}) {
            const Bytes resealed = rewritten(bundle, [&](wire::RecoveryBundle& message) {
                message.set_sealed_keys(
                    stringOf(aeadSeal(bundleKey.view(), aad.view(), inner).value()));
            });
            QCOMPARE(openRecoveryBundle(resealed, id, asBytes(kPassphrase)).error(),
                     RecoveryError::Corrupt);
        }
    }

    void plaintextIsTheCanonicalRecoveryKeysMessage() {
        const RootId id = rootIdOf(0x19);
        const RecoveryKeys keys = makeKeys();
        const Bytes bundle =
            sealRecoveryBundle(id, keys, asBytes(kPassphrase), kTiny).value().bundle;
        const SecureBuffer bundleKey =
            parseRecoveryKey(exportRecoveryKey(bundle, id, asBytes(kPassphrase)).value().view())
                .value();
        const Transcript aad = aadFor(label::kAadRecoveryKeys, id);
        const Bytes plaintext =
            aeadOpen(bundleKey.view(), aad.view(), viewOf(parsed(bundle).sealed_keys())).value();
        wire::RecoveryKeys message;
        QVERIFY(parseCanonical(plaintext, 4096, message).ok());
        QVERIFY(viewOf(message.root_private_key()).size() == kPrivateKeySize);
        QVERIFY(constantTimeEqual(viewOf(message.root_private_key()),
                                  keys.root.exportPrivate().value().view()));
        QVERIFY(toBytes(viewOf(message.root_public_key())) == keys.root.publicKey().bytes());
        QVERIFY(
            constantTimeEqual(viewOf(message.remote_storage_key()), keys.remoteStorageKey.view()));
        QVERIFY(constantTimeEqual(viewOf(message.node_storage_root_key()),
                                  keys.nodeStorageRootKey.view()));
    }

    void recoveryKeyOpensTheBundle() {
        const RootId id = rootIdOf(0x1a);
        const RecoveryKeys keys = makeKeys();
        const Bytes bundle =
            sealRecoveryBundle(id, keys, asBytes(kPassphrase), kTiny).value().bundle;
        const SecureBuffer recoveryKey =
            exportRecoveryKey(bundle, id, asBytes(kPassphrase)).value();
        const std::string text = textOf(recoveryKey);
        QCOMPARE(text.size(), std::size_t{56 + 13});
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (i % 5 == 4) {
                QCOMPARE(text[i], '-');
            } else {
                QVERIFY(std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(text[i]) !=
                        std::string_view::npos);
            }
        }
        auto opened = openRecoveryBundleWithKey(bundle, id, recoveryKey.view());
        QVERIFY(opened.ok());
        QVERIFY(sameKeys(*opened, keys));

        // Typed by hand: lower case, spaces instead of dashes, O for 0 and l for 1.
        std::string typed;
        for (const char c : text) {
            typed.push_back(c == '-'   ? ' '
                            : c == '0' ? 'O'
                            : c == '1' ? 'l'
                                       : static_cast<char>(std::tolower(c)));
        }
        QVERIFY(openRecoveryBundleWithKey(bundle, id, asBytes(typed)).ok());
    }

    void recoveryKeyKnownAnswer() {
        const SecureBuffer bundleKey = SecureBuffer::copyOf(
            hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        const std::string expected =
            "000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFQ-3GH0";
        QCOMPARE(textOf(formatRecoveryKey(bundleKey).value()), expected);
        QVERIFY(parseRecoveryKey(asBytes(expected)).value() == bundleKey);
    }

    void recoveryKeyTyposDetected() {
        SeededRandom random(7);
        const SecureBuffer bundleKey = random.secret(kSymmetricKeySize);
        const std::string text = textOf(formatRecoveryKey(bundleKey).value());
        const std::string_view alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '-') {
                continue;
            }
            for (const char replacement : alphabet) {
                if (replacement == text[i]) {
                    continue;
                }
                std::string typo = text;
                typo[i] = replacement;
                QCOMPARE(parseRecoveryKey(asBytes(typo)).error(),
                         RecoveryError::RecoveryKeyChecksumMismatch);
            }
            if (i + 1 < text.size() && text[i + 1] != '-' && text[i + 1] != text[i]) {
                std::string swapped = text;
                std::swap(swapped[i], swapped[i + 1]);
                QCOMPARE(parseRecoveryKey(asBytes(swapped)).error(),
                         RecoveryError::RecoveryKeyChecksumMismatch);
            }
        }
        QCOMPARE(parseRecoveryKey(asBytes(text.substr(1))).error(),
                 RecoveryError::MalformedRecoveryKey);
        QCOMPARE(parseRecoveryKey(asBytes(text + "0")).error(),
                 RecoveryError::MalformedRecoveryKey);
        std::string withU = text;
        withU[0] = 'U';
        QCOMPARE(parseRecoveryKey(asBytes(withU)).error(), RecoveryError::MalformedRecoveryKey);
        QCOMPARE(parseRecoveryKey({}).error(), RecoveryError::MalformedRecoveryKey);
        QCOMPARE(parseRecoveryKey(asBytes(std::string(kMaxRecoveryKeyTextSize + 1, '-'))).error(),
                 RecoveryError::MalformedRecoveryKey);

        // Well formed, but another bundle's key.
        const RootId id = rootIdOf(0x1b);
        const Bytes bundle =
            sealRecoveryBundle(id, makeKeys(), asBytes(kPassphrase), kTiny).value().bundle;
        QCOMPARE(openRecoveryBundleWithKey(bundle, id, asBytes(text)).error(),
                 RecoveryError::WrongRecoveryKey);
        QCOMPARE(formatRecoveryKey(SecureBuffer(16)).error(), RecoveryError::InvalidArgument);
    }

    void passphraseChangeKeepsTheKeys() {
        const RootId id = rootIdOf(0x1c);
        const RecoveryKeys keys = makeKeys();
        const auto original = sealRecoveryBundle(id, keys, asBytes(kPassphrase), kTiny).value();
        const SecureBuffer recoveryKey =
            exportRecoveryKey(original.bundle, id, asBytes(kPassphrase)).value();

        auto changed = changeRecoveryPassphrase(original.bundle, id, asBytes(kPassphrase),
                                                asBytes("a new passphrase"), kFast);
        QVERIFY(changed.ok());
        QCOMPARE(openRecoveryBundle(changed->bundle, id, asBytes(kPassphrase)).error(),
                 RecoveryError::WrongPassphrase);
        auto opened = openRecoveryBundle(changed->bundle, id, asBytes("a new passphrase"));
        QVERIFY(opened.ok());
        QVERIFY(sameKeys(*opened, keys));
        QVERIFY(parsed(changed->bundle).sealed_keys() == parsed(original.bundle).sealed_keys());
        QVERIFY(parsed(changed->bundle).kdf().salt() != parsed(original.bundle).kdf().salt());
        QCOMPARE(parsed(changed->bundle).kdf().r(), kFast.r);
        QVERIFY(!(changed->verifier == original.verifier));
        QVERIFY(deriveRecoveryVerifier(changed->bundle, asBytes("a new passphrase")).value() ==
                changed->verifier);
        QVERIFY(openRecoveryBundleWithKey(changed->bundle, id, recoveryKey.view()).ok());

        QCOMPARE(
            changeRecoveryPassphrase(original.bundle, id, asBytes("wrong"), asBytes("x"), kTiny)
                .error(),
            RecoveryError::WrongPassphrase);
        QCOMPARE(
            changeRecoveryPassphrase(original.bundle, id, asBytes(kPassphrase), {}, kTiny).error(),
            RecoveryError::InvalidArgument);
        QCOMPARE(changeRecoveryPassphrase(original.bundle, rootIdOf(0x99), asBytes(kPassphrase),
                                          asBytes("x"), kTiny)
                     .error(),
                 RecoveryError::WrongRootId);

        // Forgotten passphrase: the recovery key sets a new one.
        auto reset = resetRecoveryPassphrase(original.bundle, id, recoveryKey.view(),
                                             asBytes("after reset"), kTiny);
        QVERIFY(reset.ok());
        QVERIFY(
            sameKeys(openRecoveryBundle(reset->bundle, id, asBytes("after reset")).value(), keys));
    }

    void hardenedBundle() {
        const RootId id = rootIdOf(0x1d);
        const RecoveryKeys keys = makeKeys();
        auto hardened = sealHardenedRecoveryBundle(id, keys);
        QVERIFY(hardened.ok());
        QVERIFY(!parsed(hardened->bundle).has_kdf());
        QVERIFY(parsed(hardened->bundle).sealed_bundle_key().empty());
        QCOMPARE(openRecoveryBundle(hardened->bundle, id, asBytes(kPassphrase)).error(),
                 RecoveryError::NotPassphraseProtected);
        QCOMPARE(recoveryKdfParameters(hardened->bundle).error(),
                 RecoveryError::NotPassphraseProtected);
        auto opened = openRecoveryBundleWithKey(hardened->bundle, id, hardened->recoveryKey.view());
        QVERIFY(opened.ok());
        QVERIFY(sameKeys(*opened, keys));

        // Adding a passphrase later keeps sealed_keys; removing it again needs the key.
        auto withPassphrase = resetRecoveryPassphrase(
            hardened->bundle, id, hardened->recoveryKey.view(), asBytes(kPassphrase), kTiny);
        QVERIFY(withPassphrase.ok());
        QVERIFY(parsed(withPassphrase->bundle).sealed_keys() ==
                parsed(hardened->bundle).sealed_keys());
        QVERIFY(openRecoveryBundle(withPassphrase->bundle, id, asBytes(kPassphrase)).ok());

        const std::string otherKey =
            textOf(formatRecoveryKey(systemRandom().secret(kSymmetricKeySize)).value());
        QCOMPARE(removePassphraseSeal(withPassphrase->bundle, id, asBytes(otherKey)).error(),
                 RecoveryError::WrongRecoveryKey);
        auto stripped =
            removePassphraseSeal(withPassphrase->bundle, id, hardened->recoveryKey.view());
        QVERIFY(stripped.ok());
        QVERIFY(*stripped == hardened->bundle);
        QCOMPARE(removePassphraseSeal(*stripped, id, hardened->recoveryKey.view()).error(),
                 RecoveryError::NotPassphraseProtected);
    }

    void bundleForAnotherRootIdRefused() {
        const RootId id = rootIdOf(0x1e);
        const RootId other = rootIdOf(0x1f);
        const Bytes bundle =
            sealRecoveryBundle(id, makeKeys(), asBytes(kPassphrase), kTiny).value().bundle;
        const SecureBuffer recoveryKey =
            exportRecoveryKey(bundle, id, asBytes(kPassphrase)).value();
        QCOMPARE(openRecoveryBundle(bundle, other, asBytes(kPassphrase)).error(),
                 RecoveryError::WrongRootId);
        QCOMPARE(openRecoveryBundleWithKey(bundle, other, recoveryKey.view()).error(),
                 RecoveryError::WrongRootId);

        // A server relabelling the bundle as another user's: IDr is in both AADs.
        const Bytes relabelled = rewritten(
            bundle, [&](wire::RecoveryBundle& message) { message.set_root_id(stringOf(other)); });
        QCOMPARE(openRecoveryBundle(relabelled, other, asBytes(kPassphrase)).error(),
                 RecoveryError::WrongPassphrase);
        QCOMPARE(openRecoveryBundleWithKey(relabelled, other, recoveryKey.view()).error(),
                 RecoveryError::WrongRecoveryKey);
    }

    void sealingRefusesBadInput() {
        const RootId id = rootIdOf(0x20);
        QCOMPARE(sealRecoveryBundle(id, makeKeys(), {}, kTiny).error(),
                 RecoveryError::InvalidArgument);
        RecoveryKeys shortKey{KeyPair::generate().value(), SecureBuffer(16),
                              systemRandom().secret(kSymmetricKeySize)};
        QCOMPARE(sealRecoveryBundle(id, shortKey, asBytes(kPassphrase), kTiny).error(),
                 RecoveryError::InvalidArgument);
        QCOMPARE(sealHardenedRecoveryBundle(id, shortKey).error(), RecoveryError::InvalidArgument);
        QCOMPARE(RecoveryPassphraseKey::derive({Bytes(16, 0), kTiny}, asBytes("x")).error(),
                 RecoveryError::Malformed);
    }

    void sealingIsReproducibleFromTheRandomSource() {
        const RootId id = rootIdOf(0x21);
        const RecoveryKeys keys = makeKeys();
        SeededRandom first(1);
        SeededRandom second(1);
        const auto a = sealRecoveryBundle(id, keys, asBytes(kPassphrase), kTiny, first).value();
        const auto b = sealRecoveryBundle(id, keys, asBytes(kPassphrase), kTiny, second).value();
        QVERIFY(a.bundle == b.bundle);
        QVERIFY(a.verifier == b.verifier);
    }

    void secretsNeverPrint() {
        const RecoveryKeys keys = makeKeys();
        const std::string text = keys.describe();
        const std::string privateHex = toHex(keys.root.exportPrivate().value().view());
        QVERIFY(text.find(privateHex.substr(0, 8)) == std::string::npos);
        QVERIFY(text.find(toHex(keys.remoteStorageKey.view()).substr(0, 8)) == std::string::npos);
        QVERIFY(text.find(toHex(keys.nodeStorageRootKey.view()).substr(0, 8)) == std::string::npos);
        QVERIFY(text.find("redacted") != std::string::npos);

        RecoveryKdfParameters parameters{Bytes(kScryptSaltSize, 3), kTiny};
        auto key = RecoveryPassphraseKey::derive(parameters, asBytes(kPassphrase)).value();
        const std::string keyText = key.describe();
        QVERIFY(keyText.find(toHex(key.sealKey().value().view()).substr(0, 8)) ==
                std::string::npos);
        QVERIFY(keyText.find("redacted") != std::string::npos);
    }

    void everyErrorIsDescribed() {
        for (int i = 0; i <= static_cast<int>(RecoveryError::BackendFailure); ++i) {
            QVERIFY(describe(static_cast<RecoveryError>(i)) != "unknown error");
        }
    }
};

QTEST_APPLESS_MAIN(TestRecoveryBundle)
#include "tst_recovery_bundle.moc"
