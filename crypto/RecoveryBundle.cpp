// SPDX-License-Identifier: Apache-2.0
// Paper, "Wickr Recovery Bundle": "This recovery bundle is encrypted using AES 256 in GCM mode
// with Krbk prior to storage. Krbk is then encrypted with a key derived from the user's
// passphrase using scrypt and stored along with the recovery bundle." And: "One is to require
// the user to maintain Krbk in their own records and provide it to a device during
// enrollment. In this case, the encrypted recovery bundle would be maintained on Wickr
// servers but not the passphrase-encrypted Krbk."
//
//     RecoveryKeys      = Kr || PKr || Krs || Knsr                  (canonical protobuf)
//     sealed_keys       = E_Krbk(RecoveryKeys),  AAD = T(kAadRecoveryKeys, version, IDr)
//     PKM               = scrypt(passphrase, salt, 2^log2N, r, p)   (64 bytes)
//     K_seal            = HKDF-SHA-256(PKM, kRecoverySealKey)
//     verifier          = HKDF-SHA-256(PKM, kRecoveryVerifier)      (given to the server)
//     sealed_bundle_key = E_Kseal(Krbk),         AAD = T(kAadRecoveryBundleKey, version, IDr)
//     recovery key      = base32(Krbk || SHA-256(T(kRecoveryKeyChecksum, Krbk))[0..3])
#include "crypto/RecoveryBundle.h"

#include "cinder/packet.pb.h"
#include "crypto/Aead.h"
#include "crypto/Hash.h"
#include "crypto/RootIdentity.h"
#include "crypto/Transcript.h"
#include "crypto/WireCodec.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>

namespace cinder::crypto {

namespace {

// --- RecoveryKeys plaintext -------------------------------------------------------------
//
// Every field of RecoveryKeys has a fixed length, so its canonical protobuf encoding is one
// fixed layout: tag || varint(length) || value for fields 1..4 in order. It is written and
// read here directly in a SecureBuffer, so the secrets never pass through the std::string
// fields of a generated message (which are freed without being wiped).

struct KeyField {
    std::uint8_t number;
    std::size_t size;
};

constexpr std::array<KeyField, 4> kKeyFields{{
    {1, kPrivateKeySize},   // root_private_key
    {2, kPublicKeySize},    // root_public_key
    {3, kSymmetricKeySize}, // remote_storage_key
    {4, kSymmetricKeySize}, // node_storage_root_key
}};

constexpr std::size_t varintSize(std::size_t value) {
    std::size_t size = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++size;
    }
    return size;
}

constexpr std::size_t keysPlaintextSize() {
    std::size_t total = 0;
    for (const KeyField& field : kKeyFields) {
        total += 1 + varintSize(field.size) + field.size;
    }
    return total;
}

constexpr std::size_t kKeysPlaintextSize = keysPlaintextSize(); // 272
constexpr std::size_t kSealedKeysSize = kSealOverhead + kKeysPlaintextSize;
constexpr std::size_t kSealedBundleKeySize = kSealOverhead + kSymmetricKeySize;
constexpr std::size_t kRecoveryKeyRawSize = kSymmetricKeySize + kRecoveryKeyChecksumSize;
static_assert((kRecoveryKeyRawSize * 8) % 5 == 0, "recovery key must be whole base32 symbols");
constexpr std::size_t kRecoveryKeySymbols = kRecoveryKeyRawSize * 8 / 5; // 56

// tag (field number, wire type 2) || varint(length)
Bytes fieldHeader(const KeyField& field) {
    Bytes header{static_cast<std::uint8_t>((field.number << 3) | 2)};
    std::size_t length = field.size;
    while (length >= 0x80) {
        header.push_back(static_cast<std::uint8_t>((length & 0x7f) | 0x80));
        length >>= 7;
    }
    header.push_back(static_cast<std::uint8_t>(length));
    return header;
}

Result<SecureBuffer, RecoveryError> encodeKeys(const KeyPair& root, const SecureBuffer& krs,
                                               const SecureBuffer& knsr) {
    if (krs.size() != kSymmetricKeySize || knsr.size() != kSymmetricKeySize) {
        return fail(RecoveryError::InvalidArgument);
    }
    auto scalar = root.exportPrivate();
    if (!scalar || scalar->size() != kPrivateKeySize) {
        return fail(RecoveryError::BackendFailure);
    }
    const std::array<ByteView, 4> values{scalar->view(), ByteView(root.publicKey().bytes()),
                                         krs.view(), knsr.view()};
    SecureBytes out;
    out.reserve(kKeysPlaintextSize);
    for (std::size_t i = 0; i < kKeyFields.size(); ++i) {
        if (values[i].size() != kKeyFields[i].size) {
            return fail(RecoveryError::InvalidArgument);
        }
        const Bytes header = fieldHeader(kKeyFields[i]);
        out.insert(out.end(), header.begin(), header.end());
        out.insert(out.end(), values[i].begin(), values[i].end());
    }
    return SecureBuffer(std::move(out));
}

Result<RecoveryKeys, RecoveryError> decodeKeys(const SecureBuffer& plaintext) {
    if (plaintext.size() != kKeysPlaintextSize) {
        return fail(RecoveryError::Corrupt);
    }
    const ByteView input = plaintext.view();
    std::array<ByteView, 4> values{};
    std::size_t offset = 0;
    for (std::size_t i = 0; i < kKeyFields.size(); ++i) {
        const Bytes header = fieldHeader(kKeyFields[i]);
        if (!std::equal(header.begin(), header.end(),
                        input.begin() + static_cast<std::ptrdiff_t>(offset))) {
            return fail(RecoveryError::Corrupt);
        }
        offset += header.size();
        values[i] = input.subspan(offset, kKeyFields[i].size);
        offset += kKeyFields[i].size;
    }
    auto root = KeyPair::fromPrivate(values[0], values[1]);
    if (!root) {
        return fail(RecoveryError::Corrupt);
    }
    return RecoveryKeys{std::move(root).value(), SecureBuffer::copyOf(values[2]),
                        SecureBuffer::copyOf(values[3])};
}

// --- RecoveryBundle wire form -------------------------------------------------------------

struct DecodedBundle {
    RootId rootId{};
    Bytes sealedKeys;
    std::optional<RecoveryKdfParameters> kdf; // absent in a hardened bundle
    Bytes sealedBundleKey;                    // empty in a hardened bundle
};

Result<RecoveryKdfParameters, RecoveryError> kdfFromWire(const wire::ScryptParameters& wire) {
    if (wire.salt().size() != kScryptSaltSize) {
        return fail(RecoveryError::Malformed);
    }
    const ScryptCost cost{wire.log2_n(), wire.r(), wire.p()};
    if (!scryptCostInBounds(cost)) {
        return fail(RecoveryError::WeakOrExcessiveKdf);
    }
    return RecoveryKdfParameters{toBytes(viewOf(wire.salt())), cost};
}

void kdfToWire(const RecoveryKdfParameters& parameters, wire::ScryptParameters& wire) {
    wire.set_salt(stringOf(parameters.salt));
    wire.set_log2_n(parameters.cost.log2N);
    wire.set_r(parameters.cost.r);
    wire.set_p(parameters.cost.p);
}

Result<DecodedBundle, RecoveryError> decodeBundle(ByteView bytes) {
    wire::RecoveryBundle message;
    if (!parseCanonical(bytes, kMaxRecoveryBundleSize, message)) { // deep unknown-field check
        return fail(RecoveryError::Malformed);
    }
    if (message.version() != kRecoveryBundleVersion) {
        return fail(RecoveryError::UnsupportedVersion);
    }
    auto rootId = fixedFromBytes<kRootIdSize>(viewOf(message.root_id()));
    if (!rootId || message.sealed_keys().size() != kSealedKeysSize ||
        message.has_kdf() == message.sealed_bundle_key().empty()) {
        return fail(RecoveryError::Malformed);
    }
    DecodedBundle decoded;
    decoded.rootId = *rootId;
    decoded.sealedKeys = toBytes(viewOf(message.sealed_keys()));
    if (message.has_kdf()) {
        // Bounds first: nothing below runs scrypt with a cost a server chose beyond them.
        CINDER_TRY_ASSIGN(auto kdf, kdfFromWire(message.kdf()));
        if (message.sealed_bundle_key().size() != kSealedBundleKeySize) {
            return fail(RecoveryError::Malformed);
        }
        decoded.kdf = std::move(kdf);
        decoded.sealedBundleKey = toBytes(viewOf(message.sealed_bundle_key()));
    }
    return decoded;
}

Bytes encodeBundle(const DecodedBundle& bundle) {
    wire::RecoveryBundle message;
    message.set_version(kRecoveryBundleVersion);
    message.set_root_id(stringOf(bundle.rootId));
    message.set_sealed_keys(stringOf(bundle.sealedKeys));
    if (bundle.kdf) {
        kdfToWire(*bundle.kdf, *message.mutable_kdf());
        message.set_sealed_bundle_key(stringOf(bundle.sealedBundleKey));
    }
    return serialize(message);
}

Result<DecodedBundle, RecoveryError> decodeBundleFor(ByteView bytes, const RootId& expected) {
    CINDER_TRY_ASSIGN(auto decoded, decodeBundle(bytes));
    if (decoded.rootId != expected) {
        return fail(RecoveryError::WrongRootId);
    }
    return decoded;
}

// --- The two seals --------------------------------------------------------------------------

Transcript keysAad(const RootId& rootId) {
    Transcript aad(label::kAadRecoveryKeys);
    aad.addU64(Field::Version, kRecoveryBundleVersion).add(Field::RootId, rootId);
    return aad;
}

Transcript bundleKeyAad(const RootId& rootId) {
    Transcript aad(label::kAadRecoveryBundleKey);
    aad.addU64(Field::Version, kRecoveryBundleVersion).add(Field::RootId, rootId);
    return aad;
}

RecoveryError fromAead(AeadError error, RecoveryError onAuthenticationFailure) {
    switch (error) {
    case AeadError::AuthenticationFailed:
        return onAuthenticationFailure;
    case AeadError::Truncated:
    case AeadError::WrongNonceLength:
        return RecoveryError::Malformed;
    case AeadError::WrongKeyLength:
        return RecoveryError::InvalidArgument;
    case AeadError::BackendFailure:
        break;
    }
    return RecoveryError::BackendFailure;
}

struct SealedKeys {
    Bytes sealedKeys;
    SecureBuffer bundleKey; // Krbk
};

Result<SealedKeys, RecoveryError> sealKeys(const RootId& rootId, const KeyPair& root,
                                           const SecureBuffer& krs, const SecureBuffer& knsr,
                                           RandomSource& random) {
    CINDER_TRY_ASSIGN(auto plaintext, encodeKeys(root, krs, knsr));
    SecureBuffer bundleKey = random.secret(kSymmetricKeySize);
    auto sealed = aeadSeal(bundleKey.view(), keysAad(rootId).view(), plaintext.view(), random);
    if (!sealed) {
        return fail(RecoveryError::BackendFailure);
    }
    return SealedKeys{std::move(sealed).value(), std::move(bundleKey)};
}

Result<RecoveryKeys, RecoveryError> openKeys(const DecodedBundle& bundle,
                                             const SecureBuffer& bundleKey,
                                             RecoveryError onAuthenticationFailure) {
    auto plaintext =
        aeadOpenSecret(bundleKey.view(), keysAad(bundle.rootId).view(), bundle.sealedKeys);
    if (!plaintext) {
        return fail(fromAead(plaintext.error(), onAuthenticationFailure));
    }
    return decodeKeys(*plaintext);
}

Result<void, RecoveryError> checkNewPassphrase(ByteView passphrase, const ScryptCost& cost) {
    if (passphrase.empty()) {
        return fail(RecoveryError::InvalidArgument);
    }
    if (!scryptCostInBounds(cost)) {
        return fail(RecoveryError::WeakOrExcessiveKdf);
    }
    return {};
}

// Fills bundle.kdf and bundle.sealedBundleKey with a fresh salt; returns the verifier.
Result<SecureBuffer, RecoveryError> sealBundleKey(DecodedBundle& bundle,
                                                  const SecureBuffer& bundleKey,
                                                  ByteView passphrase, const ScryptCost& cost,
                                                  RandomSource& random) {
    CINDER_TRY(checkNewPassphrase(passphrase, cost));
    CINDER_TRY_ASSIGN(auto key,
                      RecoveryPassphraseKey::derive(
                          RecoveryKdfParameters{random.bytes(kScryptSaltSize), cost}, passphrase));
    auto sealKey = key.sealKey();
    auto verifier = key.verifier();
    if (!sealKey || !verifier) {
        return fail(RecoveryError::BackendFailure);
    }
    auto sealed =
        aeadSeal(sealKey->view(), bundleKeyAad(bundle.rootId).view(), bundleKey.view(), random);
    if (!sealed) {
        return fail(RecoveryError::BackendFailure);
    }
    bundle.kdf = key.parameters();
    bundle.sealedBundleKey = std::move(sealed).value();
    return std::move(verifier).value();
}

Result<SecureBuffer, RecoveryError> openBundleKey(const DecodedBundle& bundle,
                                                  const RecoveryPassphraseKey& key) {
    if (!bundle.kdf) {
        return fail(RecoveryError::NotPassphraseProtected);
    }
    if (!(key.parameters() == *bundle.kdf)) {
        return fail(RecoveryError::ParametersMismatch);
    }
    CINDER_TRY_ASSIGN(auto sealKey, key.sealKey());
    auto bundleKey =
        aeadOpenSecret(sealKey.view(), bundleKeyAad(bundle.rootId).view(), bundle.sealedBundleKey);
    if (!bundleKey) {
        return fail(fromAead(bundleKey.error(), RecoveryError::WrongPassphrase));
    }
    if (bundleKey->size() != kSymmetricKeySize) {
        return fail(RecoveryError::Corrupt);
    }
    return std::move(bundleKey).value();
}

Result<SecureBuffer, RecoveryError> openBundleKeyWithPassphrase(const DecodedBundle& bundle,
                                                                ByteView passphrase) {
    if (!bundle.kdf) {
        return fail(RecoveryError::NotPassphraseProtected);
    }
    CINDER_TRY_ASSIGN(auto key, RecoveryPassphraseKey::derive(*bundle.kdf, passphrase));
    return openBundleKey(bundle, key);
}

// Krbk from the text the user kept, checked against the bundle (it must open the keys).
Result<SecureBuffer, RecoveryError> bundleKeyFromRecoveryKey(const DecodedBundle& bundle,
                                                             ByteView recoveryKey) {
    CINDER_TRY_ASSIGN(auto bundleKey, parseRecoveryKey(recoveryKey));
    CINDER_TRY(openKeys(bundle, bundleKey, RecoveryError::WrongRecoveryKey));
    return bundleKey;
}

Result<SealedRecoveryBundle, RecoveryError>
sealWithPassphrase(const RootId& rootId, const KeyPair& root, const SecureBuffer& krs,
                   const SecureBuffer& knsr, ByteView passphrase, const ScryptCost& cost,
                   RandomSource& random) {
    CINDER_TRY(checkNewPassphrase(passphrase, cost));
    CINDER_TRY_ASSIGN(auto sealed, sealKeys(rootId, root, krs, knsr, random));
    DecodedBundle bundle;
    bundle.rootId = rootId;
    bundle.sealedKeys = std::move(sealed.sealedKeys);
    CINDER_TRY_ASSIGN(auto verifier,
                      sealBundleKey(bundle, sealed.bundleKey, passphrase, cost, random));
    return SealedRecoveryBundle{encodeBundle(bundle), std::move(verifier)};
}

Result<SealedRecoveryBundle, RecoveryError>
resealBundleKey(DecodedBundle bundle, const SecureBuffer& bundleKey, ByteView newPassphrase,
                const ScryptCost& cost, RandomSource& random) {
    CINDER_TRY_ASSIGN(auto verifier, sealBundleKey(bundle, bundleKey, newPassphrase, cost, random));
    return SealedRecoveryBundle{encodeBundle(bundle), std::move(verifier)};
}

// --- Recovery key text ----------------------------------------------------------------------

// Crockford's base32: no I, L, O, U, so nothing reads as another symbol.
constexpr std::string_view kBase32Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int base32Value(std::uint8_t c) {
    if (c >= 'a' && c <= 'z') {
        c = static_cast<std::uint8_t>(c - 'a' + 'A');
    }
    switch (c) {
    case 'O':
        return 0;
    case 'I':
    case 'L':
        return 1;
    default:
        break;
    }
    const auto position = kBase32Alphabet.find(static_cast<char>(c));
    return position == std::string_view::npos ? -1 : static_cast<int>(position);
}

bool isSeparator(std::uint8_t c) {
    return c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::array<std::uint8_t, kRecoveryKeyChecksumSize> recoveryKeyChecksum(ByteView bundleKey) {
    Transcript input(label::kRecoveryKeyChecksum);
    input.add(Field::SecretKey, bundleKey);
    Sha256Digest digest = sha256(input.view());
    std::array<std::uint8_t, kRecoveryKeyChecksumSize> checksum{};
    std::copy_n(digest.begin(), checksum.size(), checksum.begin());
    secureWipe(digest.data(), digest.size());
    return checksum;
}

} // namespace

// --- Public API -------------------------------------------------------------------------------

std::string_view describe(RecoveryError error) {
    switch (error) {
    case RecoveryError::Malformed:
        return "the recovery bundle is malformed";
    case RecoveryError::UnsupportedVersion:
        return "the recovery bundle has an unsupported version";
    case RecoveryError::WeakOrExcessiveKdf:
        return "the recovery bundle's scrypt parameters are outside the accepted bounds";
    case RecoveryError::WrongRootId:
        return "the recovery bundle belongs to another user";
    case RecoveryError::NotPassphraseProtected:
        return "the recovery bundle can only be opened with the recovery key";
    case RecoveryError::ParametersMismatch:
        return "the passphrase key was derived for other scrypt parameters";
    case RecoveryError::WrongPassphrase:
        return "wrong passphrase";
    case RecoveryError::MalformedRecoveryKey:
        return "this is not a recovery key";
    case RecoveryError::RecoveryKeyChecksumMismatch:
        return "the recovery key contains a typing error";
    case RecoveryError::WrongRecoveryKey:
        return "the recovery key does not open this recovery bundle";
    case RecoveryError::Corrupt:
        return "the recovery bundle's keys are corrupt";
    case RecoveryError::InvalidArgument:
        return "invalid argument";
    case RecoveryError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

std::string RecoveryKeys::describe() const {
    return "RecoveryKeys(root " + root.describe() + ", Krs redacted, Knsr redacted)";
}

Result<RecoveryPassphraseKey, RecoveryError>
RecoveryPassphraseKey::derive(const RecoveryKdfParameters& parameters, ByteView passphrase) {
    if (parameters.salt.size() != kScryptSaltSize) {
        return fail(RecoveryError::Malformed);
    }
    if (!scryptCostInBounds(parameters.cost)) {
        return fail(RecoveryError::WeakOrExcessiveKdf);
    }
    // An empty passphrase still gets a valid pointer for libscrypt.
    static constexpr std::uint8_t kNothing = 0;
    const ByteView input = passphrase.empty() ? ByteView(&kNothing, 0) : passphrase;
    auto material = scrypt(input, parameters.salt, parameters.cost, kPassphraseKeyMaterialSize);
    if (!material) {
        return fail(RecoveryError::BackendFailure);
    }
    return RecoveryPassphraseKey(parameters, std::move(material).value());
}

Result<SecureBuffer, RecoveryError> RecoveryPassphraseKey::verifier() const {
    auto verifier = hkdfSha256(m_material.view(), label::kRecoveryVerifier, kRecoveryVerifierSize);
    if (!verifier) {
        return fail(RecoveryError::BackendFailure);
    }
    return std::move(verifier).value();
}

Result<SecureBuffer, RecoveryError> RecoveryPassphraseKey::sealKey() const {
    auto key = hkdfSha256(m_material.view(), label::kRecoverySealKey, kSymmetricKeySize);
    if (!key) {
        return fail(RecoveryError::BackendFailure);
    }
    return std::move(key).value();
}

std::string RecoveryPassphraseKey::describe() const {
    return "RecoveryPassphraseKey(scrypt log2N " + std::to_string(m_parameters.cost.log2N) +
           ", r " + std::to_string(m_parameters.cost.r) + ", p " +
           std::to_string(m_parameters.cost.p) + ", key material redacted)";
}

Result<SealedRecoveryBundle, RecoveryError>
sealRecoveryBundle(const RootId& rootId, const RecoveryKeys& keys, ByteView passphrase,
                   const ScryptCost& cost, RandomSource& random) {
    return sealWithPassphrase(rootId, keys.root, keys.remoteStorageKey, keys.nodeStorageRootKey,
                              passphrase, cost, random);
}

Result<SealedRecoveryBundle, RecoveryError> sealRecoveryBundle(const RootIdentity& identity,
                                                               ByteView passphrase,
                                                               const ScryptCost& cost,
                                                               RandomSource& random) {
    return sealWithPassphrase(identity.id(), identity.key(), identity.remoteStorageKey(),
                              identity.nodeStorageRootKey(), passphrase, cost, random);
}

Result<HardenedRecoveryBundle, RecoveryError>
sealHardenedRecoveryBundle(const RootId& rootId, const RecoveryKeys& keys, RandomSource& random) {
    CINDER_TRY_ASSIGN(auto sealed, sealKeys(rootId, keys.root, keys.remoteStorageKey,
                                            keys.nodeStorageRootKey, random));
    CINDER_TRY_ASSIGN(auto recoveryKey, formatRecoveryKey(sealed.bundleKey));
    DecodedBundle bundle;
    bundle.rootId = rootId;
    bundle.sealedKeys = std::move(sealed.sealedKeys);
    return HardenedRecoveryBundle{encodeBundle(bundle), std::move(recoveryKey)};
}

Result<RecoveryKeys, RecoveryError>
openRecoveryBundle(ByteView bundle, const RootId& expectedRootId, ByteView passphrase) {
    CINDER_TRY_ASSIGN(auto decoded, decodeBundleFor(bundle, expectedRootId));
    CINDER_TRY_ASSIGN(auto bundleKey, openBundleKeyWithPassphrase(decoded, passphrase));
    return openKeys(decoded, bundleKey, RecoveryError::Corrupt);
}

Result<RecoveryKeys, RecoveryError> openRecoveryBundle(ByteView bundle,
                                                       const RootId& expectedRootId,
                                                       const RecoveryPassphraseKey& passphraseKey) {
    CINDER_TRY_ASSIGN(auto decoded, decodeBundleFor(bundle, expectedRootId));
    CINDER_TRY_ASSIGN(auto bundleKey, openBundleKey(decoded, passphraseKey));
    return openKeys(decoded, bundleKey, RecoveryError::Corrupt);
}

Result<RecoveryKeys, RecoveryError>
openRecoveryBundleWithKey(ByteView bundle, const RootId& expectedRootId, ByteView recoveryKey) {
    CINDER_TRY_ASSIGN(auto decoded, decodeBundleFor(bundle, expectedRootId));
    CINDER_TRY_ASSIGN(auto bundleKey, parseRecoveryKey(recoveryKey));
    return openKeys(decoded, bundleKey, RecoveryError::WrongRecoveryKey);
}

Result<RecoveryKdfParameters, RecoveryError> recoveryKdfParameters(ByteView bundle) {
    CINDER_TRY_ASSIGN(auto decoded, decodeBundle(bundle));
    if (!decoded.kdf) {
        return fail(RecoveryError::NotPassphraseProtected);
    }
    return std::move(*decoded.kdf);
}

Bytes encodeRecoveryKdfParameters(const RecoveryKdfParameters& parameters) {
    wire::ScryptParameters message;
    kdfToWire(parameters, message);
    return serialize(message);
}

Result<RecoveryKdfParameters, RecoveryError> decodeRecoveryKdfParameters(ByteView encoded,
                                                                         const ScryptCost& floor) {
    wire::ScryptParameters message;
    if (!parseCanonical(encoded, kMaxRecoveryKdfParametersSize, message)) {
        return fail(RecoveryError::Malformed);
    }
    auto parameters = kdfFromWire(message);
    if (parameters && (parameters->cost.log2N < floor.log2N || parameters->cost.r < floor.r)) {
        return fail(RecoveryError::WeakOrExcessiveKdf);
    }
    return parameters;
}

Result<SecureBuffer, RecoveryError> deriveRecoveryVerifier(const RecoveryKdfParameters& parameters,
                                                           ByteView passphrase) {
    CINDER_TRY_ASSIGN(auto key, RecoveryPassphraseKey::derive(parameters, passphrase));
    return key.verifier();
}

Result<SecureBuffer, RecoveryError> deriveRecoveryVerifier(ByteView bundle, ByteView passphrase) {
    CINDER_TRY_ASSIGN(auto parameters, recoveryKdfParameters(bundle));
    return deriveRecoveryVerifier(parameters, passphrase);
}

Result<SealedRecoveryBundle, RecoveryError>
changeRecoveryPassphrase(ByteView bundle, const RootId& expectedRootId, ByteView oldPassphrase,
                         ByteView newPassphrase, const ScryptCost& cost, RandomSource& random) {
    CINDER_TRY(checkNewPassphrase(newPassphrase, cost));
    CINDER_TRY_ASSIGN(auto decoded, decodeBundleFor(bundle, expectedRootId));
    CINDER_TRY_ASSIGN(auto bundleKey, openBundleKeyWithPassphrase(decoded, oldPassphrase));
    // Never re-seal a Krbk that does not open the keys it is meant to protect.
    CINDER_TRY(openKeys(decoded, bundleKey, RecoveryError::Corrupt));
    return resealBundleKey(std::move(decoded), bundleKey, newPassphrase, cost, random);
}

Result<SealedRecoveryBundle, RecoveryError>
resetRecoveryPassphrase(ByteView bundle, const RootId& expectedRootId, ByteView recoveryKey,
                        ByteView newPassphrase, const ScryptCost& cost, RandomSource& random) {
    CINDER_TRY(checkNewPassphrase(newPassphrase, cost));
    CINDER_TRY_ASSIGN(auto decoded, decodeBundleFor(bundle, expectedRootId));
    CINDER_TRY_ASSIGN(auto bundleKey, bundleKeyFromRecoveryKey(decoded, recoveryKey));
    return resealBundleKey(std::move(decoded), bundleKey, newPassphrase, cost, random);
}

Result<SecureBuffer, RecoveryError> exportRecoveryKey(ByteView bundle, const RootId& expectedRootId,
                                                      ByteView passphrase) {
    CINDER_TRY_ASSIGN(auto decoded, decodeBundleFor(bundle, expectedRootId));
    CINDER_TRY_ASSIGN(auto bundleKey, openBundleKeyWithPassphrase(decoded, passphrase));
    CINDER_TRY(openKeys(decoded, bundleKey, RecoveryError::Corrupt));
    return formatRecoveryKey(bundleKey);
}

Result<Bytes, RecoveryError> removePassphraseSeal(ByteView bundle, const RootId& expectedRootId,
                                                  ByteView recoveryKey) {
    CINDER_TRY_ASSIGN(auto decoded, decodeBundleFor(bundle, expectedRootId));
    if (!decoded.kdf) {
        return fail(RecoveryError::NotPassphraseProtected);
    }
    // The passphrase route disappears: first prove the user holds a working recovery key.
    CINDER_TRY(bundleKeyFromRecoveryKey(decoded, recoveryKey));
    decoded.kdf.reset();
    decoded.sealedBundleKey.clear();
    return encodeBundle(decoded);
}

Result<SecureBuffer, RecoveryError> formatRecoveryKey(const SecureBuffer& bundleKey) {
    if (bundleKey.size() != kSymmetricKeySize) {
        return fail(RecoveryError::InvalidArgument);
    }
    SecureBytes raw(bundleKey.view().begin(), bundleKey.view().end());
    const auto checksum = recoveryKeyChecksum(bundleKey.view());
    raw.insert(raw.end(), checksum.begin(), checksum.end());

    SecureBytes text;
    text.reserve(kRecoveryKeySymbols + kRecoveryKeySymbols / kRecoveryKeyGroupSize);
    std::uint32_t bits = 0;
    std::uint32_t bitCount = 0;
    std::size_t symbols = 0;
    for (const std::uint8_t byte : raw) {
        bits = (bits << 8) | byte;
        bitCount += 8;
        while (bitCount >= 5) {
            bitCount -= 5;
            if (symbols > 0 && symbols % kRecoveryKeyGroupSize == 0) {
                text.push_back('-');
            }
            text.push_back(static_cast<std::uint8_t>(kBase32Alphabet[(bits >> bitCount) & 0x1f]));
            ++symbols;
        }
        bits &= (1U << bitCount) - 1;
    }
    secureWipe(&bits, sizeof(bits));
    return SecureBuffer(std::move(text));
}

Result<SecureBuffer, RecoveryError> parseRecoveryKey(ByteView text) {
    if (text.size() > kMaxRecoveryKeyTextSize) {
        return fail(RecoveryError::MalformedRecoveryKey);
    }
    SecureBytes raw;
    raw.reserve(kRecoveryKeyRawSize);
    std::uint32_t bits = 0;
    std::uint32_t bitCount = 0;
    std::size_t symbols = 0;
    for (const std::uint8_t c : text) {
        if (isSeparator(c)) {
            continue;
        }
        const int value = base32Value(c);
        if (value < 0 || symbols == kRecoveryKeySymbols) {
            secureWipe(&bits, sizeof(bits));
            return fail(RecoveryError::MalformedRecoveryKey);
        }
        ++symbols;
        bits = (bits << 5) | static_cast<std::uint32_t>(value);
        bitCount += 5;
        if (bitCount >= 8) {
            bitCount -= 8;
            raw.push_back(static_cast<std::uint8_t>(bits >> bitCount));
            bits &= (1U << bitCount) - 1;
        }
    }
    secureWipe(&bits, sizeof(bits));
    if (symbols != kRecoveryKeySymbols || raw.size() != kRecoveryKeyRawSize) {
        return fail(RecoveryError::MalformedRecoveryKey);
    }
    const ByteView bundleKey = ByteView(raw.data(), kSymmetricKeySize);
    const auto expected = recoveryKeyChecksum(bundleKey);
    if (!constantTimeEqual(expected,
                           ByteView(raw.data() + kSymmetricKeySize, kRecoveryKeyChecksumSize))) {
        return fail(RecoveryError::RecoveryKeyChecksumMismatch);
    }
    return SecureBuffer::copyOf(bundleKey);
}

} // namespace cinder::crypto
