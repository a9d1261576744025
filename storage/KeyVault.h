// SPDX-License-Identifier: Apache-2.0
#pragma once

// The sealed local storage key (docs/ARCHITECTURE.md, "Storage"): Klds is kept in the account
// directory sealed under a key derived from the passphrase, so unlocking the device means unsealing
// Klds.
//
//     PKM    = scrypt(passphrase, salt, N = 2^log2N, r, p)                32 bytes
//     K_pass = HKDF-SHA-256(PKM, "cinder/v1/kdf/local-vault-key")         32 bytes
//     sealed = nonce || AES-256-GCM(K_pass, aad, Klds)
//     aad    = "cinder/v1/aad/local-vault" || header
//
// File `vault` (all integers big-endian):
//     header = magic "CVLT" | version u16 (1) | log2N u8 | r u8 | p u8
//              | salt length u8 | salt | account id length u8 | account id
//     file   = header | sealed length u16 | sealed
// The whole header is authenticated, so the scrypt parameters, the salt and the account id
// cannot be changed without the unlock failing. A wrong passphrase and a tampered file both
// fail authentication and are reported as WrongPassphrase; a file that does not parse or asks
// for scrypt parameters outside crypto's bounds is Corrupt. Every write goes to a temporary
// file that is flushed to disk and renamed over the old one, so the vault is always either the
// old or the new one, never a mix.
//
// K_pass is what "stay signed in" may keep in the OS keychain (unlockWithKey()).

#include "crypto/Bytes.h"
#include "crypto/Kdf.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"
#include "storage/StorageError.h"

#include <QString>

namespace cinder::storage {

inline constexpr std::uint16_t kVaultVersion = 1;
inline constexpr std::size_t kMaxAccountIdSize = 64;
inline constexpr std::string_view kVaultFileName = "vault";

namespace label {
inline constexpr std::string_view kLocalVaultKey = "cinder/v1/kdf/local-vault-key";
inline constexpr std::string_view kAadLocalVault = "cinder/v1/aad/local-vault";
} // namespace label

struct UnlockedVault {
    crypto::Bytes accountId;
    crypto::SecureBuffer klds;
};

class KeyVault {
public:
    // The cost new vaults get: N = 2^17, r = 8, p = 1 (128 MiB), which takes about 0.5 s on
    // the reference machine (bench/store_bench prints the figure).
    [[nodiscard]] static crypto::ScryptCost defaultCost();

    [[nodiscard]] static QString path(const QString& accountDirectory);
    [[nodiscard]] static bool exists(const QString& accountDirectory);

    // Seals klds (32 bytes) for accountId (1..kMaxAccountIdSize bytes, e.g. IDr). Refuses to
    // overwrite an existing vault.
    [[nodiscard]] static crypto::Result<void, VaultError>
    create(const QString& accountDirectory, crypto::ByteView accountId,
           const crypto::SecureBuffer& klds, crypto::ByteView passphrase,
           const crypto::ScryptCost& cost = defaultCost());

    // Unseals Klds. With a non-empty expectedAccountId, a vault of another account is refused.
    [[nodiscard]] static crypto::Result<UnlockedVault, VaultError>
    unlock(const QString& accountDirectory, crypto::ByteView passphrase,
           crypto::ByteView expectedAccountId = {});

    // Derives K_pass for this vault (its salt and cost), for unlockWithKey() later.
    [[nodiscard]] static crypto::Result<crypto::SecureBuffer, VaultError>
    derivePassphraseKey(const QString& accountDirectory, crypto::ByteView passphrase);
    [[nodiscard]] static crypto::Result<UnlockedVault, VaultError>
    unlockWithKey(const QString& accountDirectory, const crypto::SecureBuffer& passphraseKey,
                  crypto::ByteView expectedAccountId = {});

    // Re-seals Klds under a new passphrase (and cost) with a fresh salt. With a wrong old
    // passphrase, nothing is changed.
    [[nodiscard]] static crypto::Result<void, VaultError>
    changePassphrase(const QString& accountDirectory, crypto::ByteView oldPassphrase,
                     crypto::ByteView newPassphrase,
                     const crypto::ScryptCost& cost = defaultCost());
};

} // namespace cinder::storage
