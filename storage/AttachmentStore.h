// SPDX-License-Identifier: Apache-2.0
#pragma once

// Encrypted attachment files of one account (docs/ARCHITECTURE.md, "Storage":
// attachments on disk are encrypted too). Each file is a crypto/FileStream ciphertext under a
// random per-file key that the store keeps in its encrypted database; the name on disk is 32 random
// hex digits, never a name from the network. Reads and writes stream in constant memory.
//
// A file received from the server is kept exactly as downloaded (it is already a FileStream
// ciphertext under the key from the signed message payload); a file this device sends is
// encrypted once here and the same ciphertext can be uploaded as the blob.

#include "crypto/Bytes.h"
#include "crypto/FileStream.h"
#include "crypto/Hash.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"
#include "storage/StorageError.h"

#include <QString>

#include <iosfwd>
#include <optional>
#include <set>
#include <string>

namespace cinder::storage {

struct EncryptedFile {
    std::string localName;
    crypto::SecureBuffer fileKey;
    crypto::StreamSummary summary; // plaintext size, ciphertext size and SHA-256
};

class AttachmentStore {
public:
    // directory is the account's attachments/ folder; created (owner-only) when first needed.
    explicit AttachmentStore(QString directory) : m_directory(std::move(directory)) {}

    [[nodiscard]] const QString& directory() const { return m_directory; }

    // True for the names this class generates (32 lowercase hex digits), and only for them.
    [[nodiscard]] static bool isLocalName(std::string_view name);
    // Absolute path of a generated name; nothing for any other name.
    [[nodiscard]] std::optional<QString> pathOf(std::string_view localName) const;

    // Encrypts plaintext under a fresh random key into a new file.
    [[nodiscard]] crypto::Result<EncryptedFile, AttachmentError>
    encrypt(std::istream& plaintext, crypto::RandomSource& random = crypto::systemRandom());

    // Stores a downloaded ciphertext as is, after checking it hashes to expectedSha256 (from the
    // signed file descriptor). Returns the new local name.
    [[nodiscard]] crypto::Result<std::string, AttachmentError>
    importCiphertext(std::istream& ciphertext, const crypto::Sha256Digest& expectedSha256);

    // Streams the decrypted file to out. On error, what was written to out must be discarded.
    [[nodiscard]] crypto::Result<crypto::StreamSummary, AttachmentError>
    decrypt(std::string_view localName, crypto::ByteView fileKey, std::ostream& out) const;

    [[nodiscard]] crypto::Result<void, AttachmentError> remove(std::string_view localName) const;

    // Deletes every file in the folder that is not in keep (left over by a crash between a
    // database commit and an unlink, or an unfinished write). Returns how many were removed.
    std::size_t removeAllExcept(const std::set<std::string>& keep) const;

private:
    [[nodiscard]] bool ensureDirectory() const;
    [[nodiscard]] std::string newLocalName() const;

    QString m_directory;
};

} // namespace cinder::storage
