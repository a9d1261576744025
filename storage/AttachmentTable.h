// SPDX-License-Identifier: Apache-2.0
#pragma once

// Attachment rows and their encrypted files (docs/ARCHITECTURE.md, "Storage"). The row holds the
// file key; the file on disk is a FileStream ciphertext under a random name in the account's
// attachments/ folder (AttachmentStore). Files are removed only after the transaction that
// dropped their rows has committed; the orphan sweep at open catches a crash in between.

#include "storage/AttachmentStore.h"
#include "storage/Records.h"
#include "storage/StoreTypes.h"

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace cinder::storage {

class AttachmentTable {
public:
    AttachmentTable(detail::Database& db, const QString& folder) : m_db(db), m_files(folder) {}

    // Records an attachment of a stored message; returns its id. The file may follow later.
    [[nodiscard]] StoreResult<std::int64_t> add(const AttachmentRecord& attachment);
    // Encrypts plaintext into the attachments folder under a fresh key and records it.
    [[nodiscard]] StoreResult<AttachmentRecord> importFile(const crypto::MessageId& messageId,
                                                           std::string_view fileName,
                                                           std::string_view mimeType,
                                                           std::istream& plaintext);
    // Stores a downloaded blob for a recorded attachment after checking its SHA-256.
    [[nodiscard]] StoreResult<void> importCiphertext(std::int64_t attachmentId,
                                                     std::istream& ciphertext);
    // Records the server blob an attachment was uploaded to (or is being uploaded to).
    [[nodiscard]] StoreResult<void> setBlob(std::int64_t attachmentId, crypto::ByteView blobId);
    [[nodiscard]] StoreResult<std::vector<AttachmentRecord>>
    ofMessage(const crypto::MessageId& messageId);
    [[nodiscard]] StoreResult<AttachmentRecord> find(std::int64_t attachmentId);
    // Streams the decrypted file (error when it has none or it does not decrypt).
    [[nodiscard]] StoreResult<void> read(std::int64_t attachmentId, std::ostream& out);
    [[nodiscard]] const AttachmentStore& files() const { return m_files; }

    // For the owners that delete messages: the local file names of a message's (or a whole
    // conversation's) attachments, read inside their transaction; removeFiles after it commits.
    [[nodiscard]] StoreResult<std::vector<std::string>> filesOfMessage(std::int64_t messageRow);
    [[nodiscard]] StoreResult<std::vector<std::string>>
    filesOfConversation(std::int64_t conversationRow);
    // Attachment when a file could not be removed (the next open's sweep retries it).
    [[nodiscard]] StoreResult<void> removeFiles(const std::vector<std::string>& localNames);
    // Deletes every file no row refers to (run at open).
    [[nodiscard]] StoreResult<void> removeOrphanFiles();

private:
    detail::Database& m_db;
    AttachmentStore m_files;
};

} // namespace cinder::storage
