// SPDX-License-Identifier: Apache-2.0
// Encrypted attachment files: crypto/FileStream ciphertexts under random names. A file is
// written to "<name>.part" and renamed when complete, so a crash never leaves a half file
// under a name the database could point to.

#include "storage/AttachmentStore.h"

#include "storage/FileSync.h"
#include "storage/StorageLogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <array>
#include <fstream>
#include <vector>

namespace cinder::storage {

namespace {

constexpr std::size_t kLocalNameLength = 32; // 16 random bytes in hex
constexpr const char* kPartSuffix = ".part";
constexpr std::size_t kCopyBufferSize = 64 * 1024;

QString fromStd(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

void restrictToOwner(const QString& path) {
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

// Renames part to final after flushing it to disk.
bool finishFile(std::ofstream& out, const QString& part, const QString& final) {
    out.flush();
    const bool written = static_cast<bool>(out);
    out.close();
    if (!written) {
        QFile::remove(part);
        return false;
    }
    if (!detail::syncFile(part)) {
        QFile::remove(part);
        return false;
    }
    if (!QFile::rename(part, final)) {
        QFile::remove(part);
        return false;
    }
    return true;
}

} // namespace

bool AttachmentStore::isLocalName(std::string_view name) {
    if (name.size() != kLocalNameLength) {
        return false;
    }
    for (char c : name) {
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        if (!hex) {
            return false;
        }
    }
    return true;
}

std::optional<QString> AttachmentStore::pathOf(std::string_view localName) const {
    if (!isLocalName(localName)) {
        return std::nullopt;
    }
    return QDir(m_directory).filePath(fromStd(localName));
}

bool AttachmentStore::ensureDirectory() const {
    QDir dir(m_directory);
    if (dir.exists()) {
        return true;
    }
    if (!QDir().mkpath(m_directory)) {
        return false;
    }
    QFile::setPermissions(m_directory,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

std::string AttachmentStore::newLocalName() const {
    const crypto::Bytes random = crypto::systemRandom().bytes(kLocalNameLength / 2);
    return crypto::toHex(random);
}

crypto::Result<EncryptedFile, AttachmentError>
AttachmentStore::encrypt(std::istream& plaintext, crypto::RandomSource& random) {
    if (!ensureDirectory()) {
        return crypto::fail(AttachmentError::Io);
    }
    EncryptedFile file;
    file.localName = newLocalName();
    file.fileKey = random.secret(crypto::kSymmetricKeySize);
    const QString final = *pathOf(file.localName);
    const QString part = final + QLatin1String(kPartSuffix);
    std::ofstream out(part.toStdString(), std::ios::binary | std::ios::trunc);
    if (!out) {
        return crypto::fail(AttachmentError::Io);
    }
    restrictToOwner(part);
    auto summary = crypto::encryptStream(file.fileKey.view(), plaintext, out, random);
    if (!summary) {
        out.close();
        QFile::remove(part);
        return crypto::fail(summary.error() == crypto::StreamError::ReadFailed ||
                                    summary.error() == crypto::StreamError::WriteFailed
                                ? AttachmentError::Io
                                : AttachmentError::Backend);
    }
    if (!finishFile(out, part, final)) {
        return crypto::fail(AttachmentError::Io);
    }
    file.summary = *summary;
    return file;
}

crypto::Result<std::string, AttachmentError>
AttachmentStore::importCiphertext(std::istream& ciphertext,
                                  const crypto::Sha256Digest& expectedSha256) {
    if (!ensureDirectory()) {
        return crypto::fail(AttachmentError::Io);
    }
    std::string localName = newLocalName();
    const QString final = *pathOf(localName);
    const QString part = final + QLatin1String(kPartSuffix);
    std::ofstream out(part.toStdString(), std::ios::binary | std::ios::trunc);
    if (!out) {
        return crypto::fail(AttachmentError::Io);
    }
    restrictToOwner(part);
    crypto::Sha256Stream hash;
    std::vector<char> buffer(kCopyBufferSize);
    while (ciphertext) {
        ciphertext.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const std::streamsize got = ciphertext.gcount();
        if (got <= 0) {
            break;
        }
        hash.update(crypto::ByteView(reinterpret_cast<const std::uint8_t*>(buffer.data()),
                                     static_cast<std::size_t>(got)));
        out.write(buffer.data(), got);
    }
    if (ciphertext.bad()) {
        out.close();
        QFile::remove(part);
        return crypto::fail(AttachmentError::Io);
    }
    const crypto::Sha256Digest digest = hash.finish();
    if (!crypto::constantTimeEqual(digest, expectedSha256)) {
        out.close();
        QFile::remove(part);
        return crypto::fail(AttachmentError::HashMismatch);
    }
    if (!finishFile(out, part, final)) {
        return crypto::fail(AttachmentError::Io);
    }
    return localName;
}

crypto::Result<crypto::StreamSummary, AttachmentError>
AttachmentStore::decrypt(std::string_view localName, crypto::ByteView fileKey,
                         std::ostream& out) const {
    const auto path = pathOf(localName);
    if (!path) {
        return crypto::fail(AttachmentError::InvalidName);
    }
    std::ifstream in(path->toStdString(), std::ios::binary);
    if (!in) {
        return crypto::fail(AttachmentError::NotFound);
    }
    auto summary = crypto::decryptStream(fileKey, in, out);
    if (!summary) {
        switch (summary.error()) {
        case crypto::StreamError::ReadFailed:
        case crypto::StreamError::WriteFailed:
            return crypto::fail(AttachmentError::Io);
        case crypto::StreamError::WrongKeyLength:
        case crypto::StreamError::BackendFailure:
            return crypto::fail(AttachmentError::Backend);
        default:
            return crypto::fail(AttachmentError::DecryptionFailed);
        }
    }
    return *summary;
}

crypto::Result<void, AttachmentError> AttachmentStore::remove(std::string_view localName) const {
    const auto path = pathOf(localName);
    if (!path) {
        return crypto::fail(AttachmentError::InvalidName);
    }
    if (!QFile::exists(*path)) {
        return crypto::fail(AttachmentError::NotFound);
    }
    if (!QFile::remove(*path)) {
        return crypto::fail(AttachmentError::Io);
    }
    return {};
}

std::size_t AttachmentStore::removeAllExcept(const std::set<std::string>& keep) const {
    QDir dir(m_directory);
    if (!dir.exists()) {
        return 0;
    }
    std::size_t removed = 0;
    const QStringList names = dir.entryList(QDir::Files | QDir::Hidden | QDir::System);
    for (const QString& name : names) {
        if (keep.count(name.toStdString()) != 0) {
            continue;
        }
        if (QFile::remove(dir.filePath(name))) {
            ++removed;
        }
    }
    if (removed > 0) {
        qCInfo(lcDb) << "removed" << removed << "unreferenced attachment files";
    }
    return removed;
}

} // namespace cinder::storage
