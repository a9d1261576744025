// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Wickr recovery bundle (paper, "Wickr Recovery Bundle"): Kr, Krs and Knsr sealed with
// the recovery bundle key Krbk, and Krbk sealed with a key derived from the user's
// passphrase, so a new device can take over the user's identity knowing only the passphrase.
//
//     PKM        = scrypt(passphrase, salt, N, r, p)              64 bytes
//     K_seal     = HKDF-SHA-256(PKM, info = label::kRecoverySealKey)
//     verifier   = HKDF-SHA-256(PKM, info = label::kRecoveryVerifier)
//     sealed_keys       = AES-256-GCM(Krbk,   AAD(kAadRecoveryKeys, IDr),      RecoveryKeys)
//     sealed_bundle_key = AES-256-GCM(K_seal, AAD(kAadRecoveryBundleKey, IDr), Krbk)
//
// The server stores the bundle and the verifier and hands the bundle only to a client that
// presents the verifier; the verifier is a separate HKDF branch, so it does not give K_seal.
// It does allow an offline guess of the passphrase (as the bundle itself does): scrypt is
// what makes each guess expensive, and the server rate-limits online guesses.
//
// The hardened scenario of the paper keeps Krbk out of the server's reach: the user writes
// down Krbk as a recovery key (base32 text with a checksum) and the bundle carries no
// passphrase seal, or the user keeps the recovery key as a second way in.
//
// Every decoder here takes bytes from the server: it checks the canonical encoding, the
// version, every length, and the scrypt cost bounds (so a hostile server cannot make the
// client allocate gigabytes) before any key derivation.

#include "crypto/Bytes.h"
#include "crypto/EcKeys.h"
#include "crypto/Identifiers.h"
#include "crypto/Kdf.h"
#include "crypto/Random.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"

#include <string>
#include <string_view>
#include <utility>

namespace cinder::crypto {

class RootIdentity;

enum class RecoveryError {
    Malformed,                   // not a canonical bundle, or a field has the wrong length
    UnsupportedVersion,          // bundle version is not kRecoveryBundleVersion
    WeakOrExcessiveKdf,          // scrypt cost outside the bounds of Kdf.h, or below a floor
    WrongRootId,                 // the bundle belongs to another user (IDr)
    NotPassphraseProtected,      // a hardened bundle: only the recovery key opens it
    ParametersMismatch,          // a passphrase key derived for other KDF parameters
    WrongPassphrase,             // K_seal does not open Krbk
    MalformedRecoveryKey,        // not a recovery key: wrong characters or length
    RecoveryKeyChecksumMismatch, // a typing error in the recovery key
    WrongRecoveryKey,            // a well-formed recovery key that does not open this bundle
    Corrupt,                     // Krbk opened, but the sealed keys are not valid keys
    InvalidArgument,             // sealing: wrong key sizes or an empty passphrase
    BackendFailure,
};

[[nodiscard]] std::string_view describe(RecoveryError error);

// The plaintext of RecoveryBundle.sealed_keys.
struct RecoveryKeys {
    KeyPair root;                    // Kr / PKr
    SecureBuffer remoteStorageKey;   // Krs, kSymmetricKeySize bytes
    SecureBuffer nodeStorageRootKey; // Knsr, kSymmetricKeySize bytes

    // The public key only; Kr, Krs and Knsr print as redacted.
    [[nodiscard]] std::string describe() const;
};

// The public scrypt inputs of a bundle. The server hands them out (encoded as
// ScryptParameters) before the bundle, so the client can compute the verifier.
struct RecoveryKdfParameters {
    Bytes salt; // kScryptSaltSize bytes
    ScryptCost cost;

    [[nodiscard]] bool operator==(const RecoveryKdfParameters& other) const {
        return salt == other.salt && cost.log2N == other.cost.log2N && cost.r == other.cost.r &&
               cost.p == other.cost.p;
    }
};

// What enrollment or a passphrase change uploads.
struct SealedRecoveryBundle {
    Bytes bundle;          // RecoveryBundle, canonical protobuf
    SecureBuffer verifier; // kRecoveryVerifierSize bytes; the server compares in constant time
};

// A bundle without a passphrase seal and the recovery key that alone opens it.
struct HardenedRecoveryBundle {
    Bytes bundle;
    SecureBuffer recoveryKey; // text, see formatRecoveryKey()
};

// PKM for one set of KDF parameters: the single scrypt run of a recovery. It yields the
// verifier (to fetch the bundle) and then opens the bundle, without a second scrypt run.
class RecoveryPassphraseKey {
public:
    // Checks the cost bounds before running scrypt.
    static Result<RecoveryPassphraseKey, RecoveryError>
    derive(const RecoveryKdfParameters& parameters, ByteView passphrase);

    RecoveryPassphraseKey(RecoveryPassphraseKey&&) noexcept = default;
    RecoveryPassphraseKey& operator=(RecoveryPassphraseKey&&) noexcept = default;
    RecoveryPassphraseKey(const RecoveryPassphraseKey&) = delete;
    RecoveryPassphraseKey& operator=(const RecoveryPassphraseKey&) = delete;

    [[nodiscard]] const RecoveryKdfParameters& parameters() const { return m_parameters; }
    [[nodiscard]] Result<SecureBuffer, RecoveryError> verifier() const;
    [[nodiscard]] Result<SecureBuffer, RecoveryError> sealKey() const; // K_seal
    [[nodiscard]] std::string describe() const;

private:
    RecoveryPassphraseKey(RecoveryKdfParameters parameters, SecureBuffer material)
        : m_parameters(std::move(parameters)), m_material(std::move(material)) {}
    RecoveryKdfParameters m_parameters;
    SecureBuffer m_material; // PKM
};

// Enrollment: a fresh Krbk and salt, both seals, and the verifier for the server.
[[nodiscard]] Result<SealedRecoveryBundle, RecoveryError>
sealRecoveryBundle(const RootId& rootId, const RecoveryKeys& keys, ByteView passphrase,
                   const ScryptCost& cost = {}, RandomSource& random = systemRandom());
[[nodiscard]] Result<SealedRecoveryBundle, RecoveryError>
sealRecoveryBundle(const RootIdentity& identity, ByteView passphrase, const ScryptCost& cost = {},
                   RandomSource& random = systemRandom());

// The hardened scenario: no passphrase seal; the returned recovery key is the only way in.
[[nodiscard]] Result<HardenedRecoveryBundle, RecoveryError>
sealHardenedRecoveryBundle(const RootId& rootId, const RecoveryKeys& keys,
                           RandomSource& random = systemRandom());

// Recovery on a new device. expectedRootId is the IDr the client is recovering.
[[nodiscard]] Result<RecoveryKeys, RecoveryError>
openRecoveryBundle(ByteView bundle, const RootId& expectedRootId, ByteView passphrase);
[[nodiscard]] Result<RecoveryKeys, RecoveryError>
openRecoveryBundle(ByteView bundle, const RootId& expectedRootId,
                   const RecoveryPassphraseKey& passphraseKey);
[[nodiscard]] Result<RecoveryKeys, RecoveryError>
openRecoveryBundleWithKey(ByteView bundle, const RootId& expectedRootId, ByteView recoveryKey);

// The KDF parameters of a bundle (server side: what it hands out before the bundle), their
// encoding as a ScryptParameters message, and the strict decoder the client applies.
//
// A hostile server could hand out a fresh salt with the lowest accepted cost to collect a
// verifier that is cheaper to attack offline than the enrolled bundle. The client therefore
// passes its own floor (the cost it enrolls with, minus what slow devices are allowed):
// log2N and r below the floor's are refused as WeakOrExcessiveKdf.
[[nodiscard]] Result<RecoveryKdfParameters, RecoveryError> recoveryKdfParameters(ByteView bundle);
[[nodiscard]] Bytes encodeRecoveryKdfParameters(const RecoveryKdfParameters& parameters);
[[nodiscard]] Result<RecoveryKdfParameters, RecoveryError>
decodeRecoveryKdfParameters(ByteView encoded, const ScryptCost& floor = {kScryptMinLog2N, 1, 1});

// Client side: what to present to the server to obtain the bundle (from parameters decoded
// with the client's floor, or RecoveryPassphraseKey::verifier() to run scrypt only once). The
// bundle overload is for a bundle the client already trusts, e.g. right after sealing.
[[nodiscard]] Result<SecureBuffer, RecoveryError>
deriveRecoveryVerifier(const RecoveryKdfParameters& parameters, ByteView passphrase);
[[nodiscard]] Result<SecureBuffer, RecoveryError> deriveRecoveryVerifier(ByteView bundle,
                                                                         ByteView passphrase);

// Passphrase change: Krbk is re-sealed under a new salt and passphrase; sealed_keys stays
// byte-identical. The reset variant proves knowledge of Krbk with the recovery key instead
// (a forgotten passphrase, or adding a passphrase to a hardened bundle).
[[nodiscard]] Result<SealedRecoveryBundle, RecoveryError>
changeRecoveryPassphrase(ByteView bundle, const RootId& expectedRootId, ByteView oldPassphrase,
                         ByteView newPassphrase, const ScryptCost& cost = {},
                         RandomSource& random = systemRandom());
[[nodiscard]] Result<SealedRecoveryBundle, RecoveryError>
resetRecoveryPassphrase(ByteView bundle, const RootId& expectedRootId, ByteView recoveryKey,
                        ByteView newPassphrase, const ScryptCost& cost = {},
                        RandomSource& random = systemRandom());

// The recovery key of a passphrase-protected bundle, for a user who wants to keep one.
[[nodiscard]] Result<SecureBuffer, RecoveryError>
exportRecoveryKey(ByteView bundle, const RootId& expectedRootId, ByteView passphrase);

// The same bundle without its passphrase seal (kdf and sealed_bundle_key removed), for a
// user who moves to the hardened scenario. The recovery key the user wrote down must open
// the bundle first, so nobody strips the only way in they still have.
[[nodiscard]] Result<Bytes, RecoveryError>
removePassphraseSeal(ByteView bundle, const RootId& expectedRootId, ByteView recoveryKey);

// Recovery key text: base32 (Crockford alphabet) of Krbk || checksum, in groups of four
// separated by '-'. The checksum is the first kRecoveryKeyChecksumSize bytes of
// SHA-256(Transcript(label::kRecoveryKeyChecksum, Krbk)). Parsing ignores case, spaces and
// dashes, and reads O as 0 and I, L as 1.
[[nodiscard]] Result<SecureBuffer, RecoveryError> formatRecoveryKey(const SecureBuffer& bundleKey);
[[nodiscard]] Result<SecureBuffer, RecoveryError> parseRecoveryKey(ByteView text);

} // namespace cinder::crypto
