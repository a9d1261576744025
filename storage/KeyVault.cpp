// SPDX-License-Identifier: Apache-2.0
// The Klds vault (docs/ARCHITECTURE.md, "Storage"; format in KeyVault.h): Klds is stored sealed
// by a key derived from the passphrase with scrypt; unlocking = unsealing Klds.

#include "storage/KeyVault.h"

#include "crypto/Aead.h"
#include "crypto/Random.h"
#include "storage/StorageLogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <array>
#include <optional>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace cinder::storage {

namespace {

constexpr std::array<std::uint8_t, 4> kMagic = {'C', 'V', 'L', 'T'};
constexpr std::size_t kSealedKlds = crypto::kSealOverhead + crypto::kSymmetricKeySize;
constexpr qint64 kMaxVaultFileSize = 1024;

using crypto::fail;

struct VaultFile {
    std::uint16_t version = 0;
    crypto::ScryptCost cost;
    crypto::Bytes salt;
    crypto::Bytes accountId;
    crypto::Bytes header; // the authenticated bytes, exactly as stored
    crypto::Bytes sealed;
};

crypto::Bytes encodeHeader(const crypto::ScryptCost& cost, crypto::ByteView salt,
                           crypto::ByteView accountId) {
    crypto::Bytes out(kMagic.begin(), kMagic.end());
    out.push_back(static_cast<std::uint8_t>(kVaultVersion >> 8));
    out.push_back(static_cast<std::uint8_t>(kVaultVersion & 0xff));
    out.push_back(static_cast<std::uint8_t>(cost.log2N));
    out.push_back(static_cast<std::uint8_t>(cost.r));
    out.push_back(static_cast<std::uint8_t>(cost.p));
    out.push_back(static_cast<std::uint8_t>(salt.size()));
    out.insert(out.end(), salt.begin(), salt.end());
    out.push_back(static_cast<std::uint8_t>(accountId.size()));
    out.insert(out.end(), accountId.begin(), accountId.end());
    return out;
}

crypto::Result<VaultFile, VaultError> parse(crypto::ByteView data) {
    std::size_t at = 0;
    auto take = [&](std::size_t count) -> std::optional<crypto::ByteView> {
        if (data.size() - at < count) {
            return std::nullopt;
        }
        crypto::ByteView piece = data.subspan(at, count);
        at += count;
        return piece;
    };
    const auto magic = take(kMagic.size());
    if (!magic || !std::equal(magic->begin(), magic->end(), kMagic.begin())) {
        return fail(VaultError::Corrupt);
    }
    const auto version = take(2);
    if (!version) {
        return fail(VaultError::Corrupt);
    }
    VaultFile file;
    file.version = static_cast<std::uint16_t>(((*version)[0] << 8) | (*version)[1]);
    if (file.version != kVaultVersion) {
        return fail(VaultError::UnsupportedVersion);
    }
    const auto params = take(4);
    if (!params) {
        return fail(VaultError::Corrupt);
    }
    file.cost = {(*params)[0], (*params)[1], (*params)[2]};
    const auto salt = take((*params)[3]);
    if (!salt || salt->size() != crypto::kScryptSaltSize ||
        !crypto::scryptCostInBounds(file.cost)) {
        return fail(VaultError::Corrupt);
    }
    file.salt = crypto::toBytes(*salt);
    const auto accountLength = take(1);
    if (!accountLength || (*accountLength)[0] == 0 || (*accountLength)[0] > kMaxAccountIdSize) {
        return fail(VaultError::Corrupt);
    }
    const auto account = take((*accountLength)[0]);
    if (!account) {
        return fail(VaultError::Corrupt);
    }
    file.accountId = crypto::toBytes(*account);
    file.header = crypto::toBytes(data.subspan(0, at));
    const auto sealedLength = take(2);
    if (!sealedLength) {
        return fail(VaultError::Corrupt);
    }
    const std::size_t length =
        static_cast<std::size_t>(((*sealedLength)[0] << 8) | (*sealedLength)[1]);
    const auto sealed = take(length);
    if (!sealed || length != kSealedKlds || at != data.size()) {
        return fail(VaultError::Corrupt);
    }
    file.sealed = crypto::toBytes(*sealed);
    return file;
}

crypto::Bytes associatedData(crypto::ByteView header) {
    crypto::Bytes aad(label::kAadLocalVault.size() + header.size());
    std::copy(label::kAadLocalVault.begin(), label::kAadLocalVault.end(), aad.begin());
    std::copy(header.begin(), header.end(),
              aad.begin() + static_cast<std::ptrdiff_t>(label::kAadLocalVault.size()));
    return aad;
}

crypto::Result<crypto::SecureBuffer, VaultError>
passphraseKey(crypto::ByteView passphrase, crypto::ByteView salt, const crypto::ScryptCost& cost) {
    auto material = crypto::scrypt(passphrase, salt, cost);
    if (!material) {
        return fail(VaultError::Backend);
    }
    auto key = crypto::hkdfSha256(material->view(), label::kLocalVaultKey);
    if (!key) {
        return fail(VaultError::Backend);
    }
    return std::move(key).value();
}

crypto::Result<VaultFile, VaultError> readVault(const QString& accountDirectory) {
    QFile file(KeyVault::path(accountDirectory));
    if (!file.exists()) {
        return fail(VaultError::Missing);
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(VaultError::Io);
    }
    if (file.size() > kMaxVaultFileSize) {
        return fail(VaultError::Corrupt);
    }
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        return fail(VaultError::Io);
    }
    return parse(crypto::ByteView(reinterpret_cast<const std::uint8_t*>(data.constData()),
                                  static_cast<std::size_t>(data.size())));
}

// Writes data to path atomically: temporary file, fsync, rename, fsync of the directory.
bool writeAtomically(const QString& path, crypto::ByteView data) {
#ifdef Q_OS_UNIX
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temporary = target + ".tmp";
    ::unlink(temporary.constData());
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return false;
    }
    std::size_t written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
        if (n <= 0) {
            ::close(fd);
            ::unlink(temporary.constData());
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(temporary.constData());
        return false;
    }
    if (::rename(temporary.constData(), target.constData()) != 0) {
        ::unlink(temporary.constData());
        return false;
    }
    const QByteArray directory = QFile::encodeName(QFileInfo(path).absolutePath());
    const int dirFd = ::open(directory.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return true;
#else
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return false;
    }
    const auto size = static_cast<qint64>(data.size());
    if (file.write(reinterpret_cast<const char*>(data.data()), size) != size) {
        file.cancelWriting();
        return false;
    }
    return file.commit();
#endif
}

crypto::Result<void, VaultError> seal(const QString& accountDirectory, crypto::ByteView accountId,
                                      const crypto::SecureBuffer& klds, crypto::ByteView passphrase,
                                      const crypto::ScryptCost& cost) {
    if (!crypto::scryptCostInBounds(cost)) {
        return fail(VaultError::InvalidArgument);
    }
    const crypto::Bytes salt = crypto::systemRandom().bytes(crypto::kScryptSaltSize);
    CINDER_TRY_ASSIGN(const crypto::SecureBuffer key, passphraseKey(passphrase, salt, cost));
    crypto::Bytes file = encodeHeader(cost, salt, accountId);
    auto sealed = crypto::aeadSeal(key.view(), associatedData(file), klds.view());
    if (!sealed || sealed->size() != kSealedKlds) {
        return fail(VaultError::Backend);
    }
    file.push_back(static_cast<std::uint8_t>(sealed->size() >> 8));
    file.push_back(static_cast<std::uint8_t>(sealed->size() & 0xff));
    file.insert(file.end(), sealed->begin(), sealed->end());
    if (!QDir().mkpath(accountDirectory) ||
        !writeAtomically(KeyVault::path(accountDirectory), file)) {
        return fail(VaultError::Io);
    }
    return {};
}

crypto::Result<UnlockedVault, VaultError>
open(const VaultFile& file, const crypto::SecureBuffer& key, crypto::ByteView expectedAccountId) {
    if (!expectedAccountId.empty() &&
        !crypto::constantTimeEqual(expectedAccountId, file.accountId)) {
        return fail(VaultError::AccountMismatch);
    }
    auto klds = crypto::aeadOpenSecret(key.view(), associatedData(file.header), file.sealed);
    if (!klds) {
        return fail(klds.error() == crypto::AeadError::AuthenticationFailed
                        ? VaultError::WrongPassphrase
                        : VaultError::Backend);
    }
    if (klds->size() != crypto::kSymmetricKeySize) {
        return fail(VaultError::Corrupt);
    }
    return UnlockedVault{file.accountId, std::move(klds).value()};
}

} // namespace

crypto::ScryptCost KeyVault::defaultCost() {
    return crypto::ScryptCost{17, 8, 1};
}

QString KeyVault::path(const QString& accountDirectory) {
    return QDir(accountDirectory)
        .filePath(QString::fromLatin1(kVaultFileName.data(),
                                      static_cast<qsizetype>(kVaultFileName.size())));
}

bool KeyVault::exists(const QString& accountDirectory) {
    return QFile::exists(path(accountDirectory));
}

crypto::Result<void, VaultError> KeyVault::create(const QString& accountDirectory,
                                                  crypto::ByteView accountId,
                                                  const crypto::SecureBuffer& klds,
                                                  crypto::ByteView passphrase,
                                                  const crypto::ScryptCost& cost) {
    if (klds.size() != crypto::kSymmetricKeySize || accountId.empty() ||
        accountId.size() > kMaxAccountIdSize) {
        return fail(VaultError::InvalidArgument);
    }
    if (exists(accountDirectory)) {
        return fail(VaultError::AlreadyExists);
    }
    return seal(accountDirectory, accountId, klds, passphrase, cost);
}

crypto::Result<UnlockedVault, VaultError> KeyVault::unlock(const QString& accountDirectory,
                                                           crypto::ByteView passphrase,
                                                           crypto::ByteView expectedAccountId) {
    CINDER_TRY_ASSIGN(const VaultFile file, readVault(accountDirectory));
    CINDER_TRY_ASSIGN(const crypto::SecureBuffer key,
                      passphraseKey(passphrase, file.salt, file.cost));
    return open(file, key, expectedAccountId);
}

crypto::Result<crypto::SecureBuffer, VaultError>
KeyVault::derivePassphraseKey(const QString& accountDirectory, crypto::ByteView passphrase) {
    CINDER_TRY_ASSIGN(const VaultFile file, readVault(accountDirectory));
    return passphraseKey(passphrase, file.salt, file.cost);
}

crypto::Result<UnlockedVault, VaultError>
KeyVault::unlockWithKey(const QString& accountDirectory, const crypto::SecureBuffer& passphraseKey,
                        crypto::ByteView expectedAccountId) {
    CINDER_TRY_ASSIGN(const VaultFile file, readVault(accountDirectory));
    return open(file, passphraseKey, expectedAccountId);
}

crypto::Result<void, VaultError> KeyVault::changePassphrase(const QString& accountDirectory,
                                                            crypto::ByteView oldPassphrase,
                                                            crypto::ByteView newPassphrase,
                                                            const crypto::ScryptCost& cost) {
    CINDER_TRY_ASSIGN(const UnlockedVault unlocked, unlock(accountDirectory, oldPassphrase));
    qCInfo(lcDb) << "re-sealing the local storage key under a new passphrase";
    return seal(accountDirectory, unlocked.accountId, unlocked.klds, newPassphrase, cost);
}

} // namespace cinder::storage
