// SPDX-License-Identifier: Apache-2.0
// Attachment rows and their encrypted files (AttachmentTable.h). A file written before its row
// commits is removed again when the insert fails.

#include "storage/AttachmentTable.h"

#include "storage/Database.h"

#include <istream>
#include <ostream>
#include <set>

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

StoreResult<std::string> localNameFromRow(const Statement& row) {
    return row.text(0);
}

// The messages table is the message owner's (MessageTable); an attachment only refers to it.
StoreResult<void> requireMessage(detail::Database& db, const crypto::MessageId& id) {
    CINDER_TRY_ASSIGN(auto statement, db.prepare("SELECT 1 FROM messages WHERE message_id = ?;"));
    CINDER_TRY_ASSIGN(const bool found, statement.bind(1, crypto::ByteView(id)).step());
    if (!found) {
        return fail(StoreError::NotFound);
    }
    return {};
}

} // namespace

StoreResult<std::int64_t> AttachmentTable::add(const AttachmentRecord& a) {
    if (a.fileKey.size() != crypto::kSymmetricKeySize ||
        (a.localName && !AttachmentStore::isLocalName(*a.localName))) {
        return fail(StoreError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(
        auto statement,
        m_db.prepare("INSERT INTO attachments (message, file_name, mime_type, size, "
                     "ciphertext_sha256, blob_id, file_key, local_name) SELECT id, ?2, ?3, ?4, "
                     "?5, ?6, ?7, ?8 FROM messages WHERE message_id = ?1;"));
    statement.bind(1, crypto::ByteView(a.messageId))
        .bindText(2, a.fileName)
        .bindText(3, a.mimeType)
        .bind(4, static_cast<std::int64_t>(a.size))
        .bind(5, crypto::ByteView(a.ciphertextSha256))
        .bind(6, crypto::ByteView(a.blobId))
        .bind(7, a.fileKey.view());
    if (a.localName) {
        statement.bindText(8, *a.localName);
    } else {
        statement.bindNull(8);
    }
    CINDER_TRY(statement.run());
    CINDER_TRY(m_db.expectChanges(StoreError::NotFound)); // no such message
    return m_db.lastInsertRowId();
}

StoreResult<AttachmentRecord> AttachmentTable::importFile(const crypto::MessageId& messageId,
                                                          std::string_view fileName,
                                                          std::string_view mimeType,
                                                          std::istream& plaintext) {
    CINDER_TRY(requireMessage(m_db, messageId));
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
    auto id = add(record);
    if (!id) {
        (void)m_files.remove(file->localName);
        return fail(id.error());
    }
    record.id = *id;
    return record;
}

StoreResult<void> AttachmentTable::importCiphertext(std::int64_t attachmentId,
                                                    std::istream& ciphertext) {
    CINDER_TRY_ASSIGN(const AttachmentRecord record, find(attachmentId));
    auto localName = m_files.importCiphertext(ciphertext, record.ciphertextSha256);
    if (!localName) {
        return fail(localName.error() == AttachmentError::HashMismatch ? StoreError::InvalidArgument
                                                                       : StoreError::Attachment);
    }
    auto recorded = [&]() -> StoreResult<void> {
        CINDER_TRY_ASSIGN(auto statement,
                          m_db.prepare("UPDATE attachments SET local_name = ? WHERE id = ?;"));
        CINDER_TRY(statement.bindText(1, *localName).bind(2, attachmentId).run());
        return m_db.expectChanges(StoreError::NotFound);
    }();
    if (!recorded) {
        (void)m_files.remove(*localName);
        return recorded;
    }
    // A file it replaces is no longer referenced.
    if (record.localName && *record.localName != *localName) {
        (void)m_files.remove(*record.localName);
    }
    return {};
}

StoreResult<void> AttachmentTable::setBlob(std::int64_t attachmentId, crypto::ByteView blobId) {
    CINDER_TRY_ASSIGN(auto update,
                      m_db.prepare("UPDATE attachments SET blob_id = ?2 WHERE id = ?1;"));
    CINDER_TRY(update.bind(1, attachmentId).bind(2, blobId).run());
    return m_db.expectChanges(StoreError::NotFound);
}

StoreResult<std::vector<AttachmentRecord>>
AttachmentTable::ofMessage(const crypto::MessageId& messageId) {
    static const std::string sql =
        std::string(kAttachmentSelect) + "WHERE m.message_id = ? ORDER BY a.id;";
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(sql.c_str()));
    statement.bind(1, crypto::ByteView(messageId));
    return detail::collectRows<AttachmentRecord>(statement, attachmentFromRow);
}

StoreResult<AttachmentRecord> AttachmentTable::find(std::int64_t attachmentId) {
    static const std::string sql = std::string(kAttachmentSelect) + "WHERE a.id = ?;";
    CINDER_TRY_ASSIGN(auto statement, m_db.prepare(sql.c_str()));
    statement.bind(1, attachmentId);
    CINDER_TRY_ASSIGN(auto found, detail::firstRow<AttachmentRecord>(statement, attachmentFromRow));
    if (!found) {
        return fail(StoreError::NotFound);
    }
    return std::move(*found);
}

StoreResult<void> AttachmentTable::read(std::int64_t attachmentId, std::ostream& out) {
    CINDER_TRY_ASSIGN(const AttachmentRecord record, find(attachmentId));
    if (!record.localName) {
        return fail(StoreError::NotFound);
    }
    auto summary = m_files.decrypt(*record.localName, record.fileKey.view(), out);
    if (!summary) {
        return fail(summary.error() == AttachmentError::NotFound ? StoreError::NotFound
                                                                 : StoreError::Attachment);
    }
    return {};
}

StoreResult<std::vector<std::string>> AttachmentTable::filesOfMessage(std::int64_t messageRow) {
    CINDER_TRY_ASSIGN(auto statement,
                      m_db.prepare("SELECT local_name FROM attachments WHERE message = ? AND "
                                   "local_name IS NOT NULL;"));
    statement.bind(1, messageRow);
    return detail::collectRows<std::string>(statement, localNameFromRow);
}

StoreResult<std::vector<std::string>>
AttachmentTable::filesOfConversation(std::int64_t conversationRow) {
    CINDER_TRY_ASSIGN(
        auto statement,
        m_db.prepare("SELECT a.local_name FROM attachments a JOIN messages m ON m.id = a.message "
                     "WHERE m.conversation = ? AND a.local_name IS NOT NULL;"));
    statement.bind(1, conversationRow);
    return detail::collectRows<std::string>(statement, localNameFromRow);
}

StoreResult<void> AttachmentTable::removeFiles(const std::vector<std::string>& localNames) {
    bool failed = false;
    for (const std::string& name : localNames) {
        auto removed = m_files.remove(name);
        if (!removed && removed.error() != AttachmentError::NotFound) {
            failed = true; // the orphan sweep on the next open retries it
        }
    }
    if (failed) {
        return fail(StoreError::Attachment);
    }
    return {};
}

StoreResult<void> AttachmentTable::removeOrphanFiles() {
    CINDER_TRY_ASSIGN(
        auto statement,
        m_db.prepare("SELECT local_name FROM attachments WHERE local_name IS NOT NULL;"));
    CINDER_TRY_ASSIGN(const auto names,
                      detail::collectRows<std::string>(statement, localNameFromRow));
    m_files.removeAllExcept(std::set<std::string>(names.begin(), names.end()));
    return {};
}

} // namespace cinder::storage
