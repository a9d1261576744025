// SPDX-License-Identifier: Apache-2.0
// Files: encrypted once into the attachment store, uploaded as that same ciphertext in chunks
// (resuming where the server stopped), downloaded in chunks into a partial file (resuming
// after a dropped connection), checked against the signed SHA-256, saved under a safe name.
// Memory stays bounded by one chunk whatever the file size.
#include "client/ContentCodec.h"
#include "client/Session.h"
#include "client/SessionInternal.h"

#include "crypto/Constants.h"
#include "storage/FileNames.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>

#include <fstream>

namespace cinder::client {

using crypto::fail;
using detail::str;
using detail::view;

namespace {

constexpr std::uint32_t kTransferChunk = 1024 * 1024; // the server's largest blob chunk

// The most ciphertext a FileStream of `size` plaintext bytes can take: a server announcing a
// bigger blob is not serving this file.
std::uint64_t maxCiphertextSize(std::uint64_t size) {
    return size + (size / crypto::kFileChunkSize + 1) * crypto::kTagSize +
           crypto::kFileHeaderLengthSize + crypto::kMaxFileHeaderSize;
}

} // namespace

SessionResult<crypto::MessageId> Session::sendFile(const crypto::ConversationId& conversation,
                                                   const QString& path) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        return fail(SessionError::FileError);
    }
    std::ifstream input(info.absoluteFilePath().toStdString(), std::ios::binary);
    if (!input) {
        return fail(SessionError::FileError);
    }
    const std::string name = info.fileName().toStdString().substr(0, kMaxFileNameBytes);
    const std::string mime = QMimeDatabase().mimeTypeForFile(info).name().toStdString();

    content::Content body;
    content::FileDescriptor* file = body.mutable_file();
    file->set_file_name(name);
    file->set_mime_type(mime);
    file->set_size(static_cast<std::uint64_t>(info.size()));
    return enqueue(conversation, crypto::ContentType::File, body, true, {},
                   [&](const crypto::MessageId& messageId) -> SessionResult<std::int64_t> {
                       auto imported =
                           m_store->attachments().importFile(messageId, name, mime, input);
                       if (!imported) {
                           return fail(imported.error() == storage::StoreError::Attachment
                                           ? SessionError::FileError
                                           : detail::errorOf(imported.error()));
                       }
                       return imported->id;
                   });
}

SessionResult<void> Session::uploadAttachment(std::int64_t attachmentId) {
    auto attachment = m_store->attachments().find(attachmentId);
    if (!attachment || !attachment->localName) {
        return fail(SessionError::StorageFailure);
    }
    const auto path = m_store->attachments().files().pathOf(*attachment->localName);
    QFile file(path.value_or(QString()));
    if (!path || !file.open(QIODevice::ReadOnly)) {
        return fail(SessionError::FileError);
    }
    const auto total = static_cast<std::uint64_t>(file.size());

    api::BlobStatus status;
    if (!attachment->blobId.empty()) {
        api::BlobStatusRequest request;
        request.set_blob_id(str(attachment->blobId));
        const net::Reply reply = call(api::VERB_BLOB_STATUS, request);
        if (!reply.answered()) {
            return fail(SessionError::TransferFailed);
        }
        if (!reply.ok() || !reply.parseBody(status) || status.size() != total) {
            status.Clear(); // gone (expired) or not ours: start again
            attachment->blobId.clear();
        }
    }
    if (attachment->blobId.empty()) {
        api::BlobBeginRequest begin;
        begin.set_size(total);
        begin.set_sha256(str(attachment->ciphertextSha256));
        const net::Reply reply = call(api::VERB_BLOB_BEGIN, begin);
        if (!reply.ok()) {
            return fail(reply.answered() ? SessionError::ServerRejected
                                         : SessionError::TransferFailed);
        }
        if (!reply.parseBody(status) || status.blob_id().empty() || status.size() != total) {
            return fail(SessionError::ServerMisbehaved);
        }
        if (auto saved = m_store->attachments().setBlob(attachmentId, view(status.blob_id()));
            !saved) {
            return fail(detail::errorOf(saved.error()));
        }
    }

    std::uint64_t offset = status.received();
    QByteArray chunk;
    while (!status.complete() && offset < total) {
        if (offset > total || !file.seek(static_cast<qint64>(offset))) {
            return fail(SessionError::ServerMisbehaved);
        }
        chunk =
            file.read(static_cast<qint64>(std::min<std::uint64_t>(kTransferChunk, total - offset)));
        if (chunk.isEmpty()) {
            return fail(SessionError::FileError);
        }
        api::BlobChunk put;
        put.set_blob_id(status.blob_id());
        put.set_offset(offset);
        put.set_data(chunk.constData(), static_cast<std::size_t>(chunk.size()));
        const net::Reply reply = call(api::VERB_BLOB_PUT, put);
        if (!reply.ok()) {
            return fail(reply.answered() ? SessionError::ServerRejected
                                         : SessionError::TransferFailed);
        }
        api::BlobStatus next;
        if (!reply.parseBody(next) || next.received() <= offset || next.received() > total) {
            return fail(SessionError::ServerMisbehaved);
        }
        status.set_complete(next.complete());
        offset = next.received();
        Q_EMIT transferProgress(attachmentId, offset, total);
    }
    if (!status.complete()) {
        return fail(SessionError::ServerMisbehaved);
    }
    return {};
}

SessionResult<void> Session::downloadAttachment(std::int64_t attachmentId) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto attachment = m_store->attachments().find(attachmentId);
    if (!attachment) {
        return fail(attachment.error() == storage::StoreError::NotFound
                        ? SessionError::UnknownMessage
                        : detail::errorOf(attachment.error()));
    }
    if (attachment->localName) {
        return {}; // already here
    }
    if (attachment->blobId.empty()) {
        return fail(SessionError::UnknownMessage);
    }
    const QDir downloads(m_directory.downloadsPath());
    if (!downloads.exists() && !QDir().mkpath(downloads.path())) {
        return fail(SessionError::FileError);
    }
    // The partial file holds blob ciphertext only; its name carries no user data.
    const QString partialPath = downloads.filePath(
        QStringLiteral("%1-%2.part")
            .arg(attachmentId)
            .arg(QString::fromLatin1(
                QByteArray(reinterpret_cast<const char*>(attachment->blobId.data()),
                           static_cast<qsizetype>(attachment->blobId.size()))
                    .toHex())));
    QFile partial(partialPath);
    if (!partial.open(QIODevice::ReadWrite)) {
        return fail(SessionError::FileError);
    }

    api::BlobStatusRequest statusRequest;
    statusRequest.set_blob_id(str(attachment->blobId));
    const net::Reply statusReply = call(api::VERB_BLOB_STATUS, statusRequest);
    api::BlobStatus status;
    if (!statusReply.ok()) {
        return fail(statusReply.answered() ? SessionError::ServerRejected
                                           : SessionError::TransferFailed);
    }
    if (!statusReply.parseBody(status) || !status.complete() ||
        status.size() > maxCiphertextSize(attachment->size)) {
        return fail(SessionError::ServerMisbehaved);
    }
    const std::uint64_t total = status.size();
    auto offset = static_cast<std::uint64_t>(partial.size());
    if (offset > total) {
        partial.resize(0);
        offset = 0;
    }
    partial.seek(static_cast<qint64>(offset));
    while (offset < total) {
        api::BlobGetRequest get;
        get.set_blob_id(str(attachment->blobId));
        get.set_offset(offset);
        get.set_length(
            static_cast<std::uint32_t>(std::min<std::uint64_t>(kTransferChunk, total - offset)));
        const net::Reply reply = call(api::VERB_BLOB_GET, get);
        if (!reply.ok()) {
            partial.flush();
            return fail(reply.answered() ? SessionError::ServerRejected
                                         : SessionError::TransferFailed);
        }
        api::BlobChunk chunk;
        if (!reply.parseBody(chunk) || chunk.offset() != offset || chunk.data().empty() ||
            chunk.data().size() > get.length()) {
            return fail(SessionError::ServerMisbehaved);
        }
        if (partial.write(chunk.data().data(), static_cast<qint64>(chunk.data().size())) !=
            static_cast<qint64>(chunk.data().size())) {
            return fail(SessionError::FileError);
        }
        offset += chunk.data().size();
        Q_EMIT transferProgress(attachmentId, offset, total);
    }
    partial.close();

    std::ifstream ciphertext(partialPath.toStdString(), std::ios::binary);
    auto imported = m_store->attachments().importCiphertext(attachmentId, ciphertext);
    ciphertext.close();
    QFile::remove(partialPath);
    if (!imported) {
        qCWarning(lcSession) << "downloaded file rejected:" << describe(imported.error()).data();
        return fail(imported.error() == storage::StoreError::Attachment
                        ? SessionError::IntegrityFailure
                        : detail::errorOf(imported.error()));
    }
    announceUpdated(attachment->messageId);
    return {};
}

SessionResult<QString> Session::saveAttachment(std::int64_t attachmentId,
                                               const QString& directory) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (auto downloaded = downloadAttachment(attachmentId); !downloaded) {
        return fail(downloaded.error());
    }
    auto attachment = m_store->attachments().find(attachmentId);
    if (!attachment) {
        return fail(detail::errorOf(attachment.error()));
    }
    const QDir target(directory);
    if (!target.exists()) {
        return fail(SessionError::FileError);
    }
    // The sender's name is display text: reduce it to one plain name inside `directory`.
    const QString safe = storage::sanitizeFileName(QString::fromStdString(attachment->fileName));
    const QFileInfo parts(safe);
    QString path = target.filePath(safe);
    for (int n = 1; QFileInfo::exists(path); ++n) {
        const QString suffix = parts.completeSuffix();
        path = target.filePath(
            suffix.isEmpty()
                ? QStringLiteral("%1 (%2)").arg(parts.baseName()).arg(n)
                : QStringLiteral("%1 (%2).%3").arg(parts.baseName()).arg(n).arg(suffix));
    }
    const QString temporary = path + QStringLiteral(".cinder-partial");
    {
        std::ofstream out(temporary.toStdString(), std::ios::binary | std::ios::trunc);
        if (!out) {
            return fail(SessionError::FileError);
        }
        auto read = m_store->attachments().read(attachmentId, out);
        out.close();
        if (!read || !out) {
            QFile::remove(temporary);
            return fail(read ? SessionError::FileError : SessionError::IntegrityFailure);
        }
    }
    if (!QFile::rename(temporary, path)) {
        QFile::remove(temporary);
        return fail(SessionError::FileError);
    }
    return path;
}

} // namespace cinder::client
