// SPDX-License-Identifier: Apache-2.0
// Attachment rows and their encrypted files. The row holds the file key; the file on disk is
// a FileStream ciphertext under a random name (AttachmentStore). A file written before its row
// commits is removed again when the insert fails.

#include "storage/Store.h"

#include "storage/Database.h"

#include <istream>
#include <ostream>

namespace cinder::storage {

using crypto::fail;
using detail::Statement;

namespace {

constexpr const char* kAttachmentSelect =
    "SELECT a.id, m.message_id, a.file_name, a.mime_type, a.size, a.ciphertext_sha256, "
    "a.blob_id, a.file_key, a.local_name FROM attachments a JOIN messages m ON m.id = a.message ";

StoreResult<AttachmentRecord> attachmentFromRow(const Statement& row) {
    AttachmentRecord a;
    a.id = row.integer(0);
    if (!detail::readFixed(row, 1, a.messageId) || !detail::readFixed(row, 5, a.ciphertextSha256)) {
        return fail(StoreError::Corrupt);
    }
    a.fileName = row.text(2);
    a.mimeType = row.text(3);
    a.size = static_cast<std::uint64_t>(row.integer(4));
    a.blobId = row.blob(6);
    a.fileKey = row.secret(7);
    if (!row.isNull(8)) {
        a.localName = row.text(8);
    }
    return a;
}

} // namespace

StoreResult<std::int64_t> Store::addAttachment(const AttachmentRecord& a) {
    if (a.fileKey.size() != crypto::kSymmetricKeySize ||
        (a.localName && !AttachmentStore::isLocalName(*a.localName))) {
        return fail(StoreError::InvalidArgument);
    }
    auto transaction = m_db->begin();
    if (!transaction) {
        return fail(transaction.error());
    }
    auto message = messageRow(a.messageId);
    if (!message) {
        return fail(message.error());
    }
    std::int64_t id = 0;
    {
        auto statement = m_db->prepare(
            "INSERT INTO attachments (message, file_name, mime_type, size, ciphertext_sha256, "
            "blob_id, file_key, local_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?);");
        if (!statement) {
            return fail(statement.error());
        }
        statement->bind(1, *message)
            .bindText(2, a.fileName)
            .bindText(3, a.mimeType)
            .bind(4, static_cast<std::int64_t>(a.size))
            .bind(5, crypto::ByteView(a.ciphertextSha256))
            .bind(6, crypto::ByteView(a.blobId))
            .bind(7, a.fileKey.view());
        if (a.localName) {
            statement->bindText(8, *a.localName);
        } else {
            statement->bindNull(8);
        }
        if (auto inserted = statement->run(); !inserted) {
            return fail(inserted.error());
        }
        id = m_db->lastInsertRowId();
    }
    if (auto committed = transaction->commit(); !committed) {
        return fail(committed.error());
    }
    return id;
}

StoreResult<AttachmentRecord> Store::importAttachment(const crypto::MessageId& messageId,
                                                      std::string_view fileName,
                                                      std::string_view mimeType,
                                                      std::istream& plaintext) {
    if (auto known = messageRow(messageId); !known) {
        return fail(known.error());
    }
    auto file = m_files.encrypt(plaintext);
    if (!file) {
        return fail(StoreError::Attachment);
    }
    AttachmentRecord record;
    record.messageId = messageId;
    record.fileName = std::string(fileName);
    record.mimeType = std::string(mimeType);
    record.size = file->summary.plaintextSize;
    record.ciphertextSha256 = file->summary.ciphertextSha256;
    record.fileKey = std::move(file->fileKey);
    record.localName = file->localName;
    auto id = addAttachment(record);
    if (!id) {
        (void)m_files.remove(file->localName);
        return fail(id.error());
    }
    record.id = *id;
    return record;
}

StoreResult<void> Store::importAttachmentCiphertext(std::int64_t attachmentId,
                                                    std::istream& ciphertext) {
    auto record = attachment(attachmentId);
    if (!record) {
        return fail(record.error());
    }
    auto localName = m_files.importCiphertext(ciphertext, record->ciphertextSha256);
    if (!localName) {
        return fail(localName.error() == AttachmentError::HashMismatch ? StoreError::InvalidArgument
                                                                       : StoreError::Attachment);
    }
    auto statement = m_db->prepare("UPDATE attachments SET local_name = ? WHERE id = ?;");
    if (!statement) {
        (void)m_files.remove(*localName);
        return fail(statement.error());
    }
    if (auto updated = statement->bindText(1, *localName).bind(2, attachmentId).run();
        !updated || m_db->changes() == 0) {
        (void)m_files.remove(*localName);
        return fail(updated ? StoreError::NotFound : updated.error());
    }
    // A file it replaces is no longer referenced.
    if (record->localName && *record->localName != *localName) {
        (void)m_files.remove(*record->localName);
    }
    return {};
}

StoreResult<void> Store::setAttachmentBlob(std::int64_t attachmentId, crypto::ByteView blobId) {
    auto update = m_db->prepare("UPDATE attachments SET blob_id = ?2 WHERE id = ?1;");
    if (!update) {
        return fail(update.error());
    }
    update->bind(1, attachmentId).bind(2, blobId);
    if (auto updated = update->run(); !updated) {
        return fail(updated.error());
    }
    if (m_db->changes() == 0) {
        return fail(StoreError::NotFound);
    }
    return {};
}

StoreResult<std::vector<AttachmentRecord>> Store::attachments(const crypto::MessageId& messageId) {
    static const std::string sql =
        std::string(kAttachmentSelect) + "WHERE m.message_id = ? ORDER BY a.id;";
    auto statement = m_db->prepare(sql.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    statement->bind(1, crypto::ByteView(messageId));
    std::vector<AttachmentRecord> out;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return fail(row.error());
        }
        if (!*row) {
            break;
        }
        auto record = attachmentFromRow(*statement);
        if (!record) {
            return fail(record.error());
        }
        out.push_back(std::move(record).value());
    }
    return out;
}

StoreResult<AttachmentRecord> Store::attachment(std::int64_t attachmentId) {
    static const std::string sql = std::string(kAttachmentSelect) + "WHERE a.id = ?;";
    auto statement = m_db->prepare(sql.c_str());
    if (!statement) {
        return fail(statement.error());
    }
    auto row = statement->bind(1, attachmentId).step();
    if (!row) {
        return fail(row.error());
    }
    if (!*row) {
        return fail(StoreError::NotFound);
    }
    return attachmentFromRow(*statement);
}

StoreResult<void> Store::readAttachment(std::int64_t attachmentId, std::ostream& out) {
    auto record = attachment(attachmentId);
    if (!record) {
        return fail(record.error());
    }
    if (!record->localName) {
        return fail(StoreError::NotFound);
    }
    auto summary = m_files.decrypt(*record->localName, record->fileKey.view(), out);
    if (!summary) {
        return fail(summary.error() == AttachmentError::NotFound ? StoreError::NotFound
                                                                 : StoreError::Attachment);
    }
    return {};
}

} // namespace cinder::storage
