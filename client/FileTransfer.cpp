// SPDX-License-Identifier: Apache-2.0
// Files: chunked, resumable upload and download of attachment ciphertext, checked against the
// signed description, saved under a safe name.
#include "client/FileTransfer.h"

#include "client/SessionContext.h"
#include "client/SessionInternal.h"

#include "crypto/Constants.h"
#include "storage/FileNames.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

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

// A blob request the server did not carry out: refused, or (no answer) to be resumed.
SessionResult<void> transferred(const net::Reply& reply) {
    if (!reply.ok()) {
        return fail(reply.answered() ? SessionError::ServerRejected : SessionError::TransferFailed);
    }
    return {};
}

// A store failure about an attachment's file means a file that does not check out.
SessionError attachmentError(storage::StoreError error, SessionError fileError) {
    return error == storage::StoreError::Attachment ? fileError : detail::errorOf(error);
}

} // namespace

FileTransfer::FileTransfer(ServerChannel& channel, storage::AttachmentTable& attachments,
                           const SessionContext& context, QString downloadsPath)
    : m_channel(channel), m_attachments(attachments), m_context(context),
      m_downloadsPath(std::move(downloadsPath)) {}

SessionResult<std::int64_t> FileTransfer::importFile(const crypto::MessageId& messageId,
                                                     const std::string& name,
                                                     const std::string& mimeType,
                                                     std::istream& input) {
    auto imported = m_attachments.importFile(messageId, name, mimeType, input);
    if (!imported) {
        return fail(attachmentError(imported.error(), SessionError::FileError));
    }
    return imported->id;
}

SessionResult<void> FileTransfer::upload(std::int64_t attachmentId) {
    auto attachment = m_attachments.find(attachmentId);
    if (!attachment || !attachment->localName) {
        return fail(SessionError::StorageFailure);
    }
    const auto path = m_attachments.files().pathOf(*attachment->localName);
    QFile file(path.value_or(QString()));
    if (!path || !file.open(QIODevice::ReadOnly)) {
        return fail(SessionError::FileError);
    }
    const auto total = static_cast<std::uint64_t>(file.size());

    api::BlobStatus status;
    if (!attachment->blobId.empty()) {
        api::BlobStatusRequest request;
        request.set_blob_id(str(attachment->blobId));
        const net::Reply reply = m_channel.call(api::VERB_BLOB_STATUS, request);
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
        const net::Reply reply = m_channel.call(api::VERB_BLOB_BEGIN, begin);
        CINDER_TRY(transferred(reply));
        if (!reply.parseBody(status) || status.blob_id().empty() || status.size() != total) {
            return fail(SessionError::ServerMisbehaved);
        }
        CINDER_TRY(m_attachments.setBlob(attachmentId, view(status.blob_id())));
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
        const net::Reply reply = m_channel.call(api::VERB_BLOB_PUT, put);
        CINDER_TRY(transferred(reply));
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

SessionResult<void> FileTransfer::download(std::int64_t attachmentId) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto attachment = m_attachments.find(attachmentId);
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
    const QDir downloads(m_downloadsPath);
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
    const net::Reply statusReply = m_channel.call(api::VERB_BLOB_STATUS, statusRequest);
    CINDER_TRY(transferred(statusReply));
    api::BlobStatus status;
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
        const net::Reply reply = m_channel.call(api::VERB_BLOB_GET, get);
        if (!reply.ok()) {
            partial.flush();
        }
        CINDER_TRY(transferred(reply));
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
    auto imported = m_attachments.importCiphertext(attachmentId, ciphertext);
    ciphertext.close();
    QFile::remove(partialPath);
    if (!imported) {
        qCWarning(lcSession) << "downloaded file rejected:" << describe(imported.error()).data();
        return fail(attachmentError(imported.error(), SessionError::IntegrityFailure));
    }
    Q_EMIT messageChanged(attachment->messageId);
    return {};
}

SessionResult<QString> FileTransfer::save(std::int64_t attachmentId, const QString& directory) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY(download(attachmentId));
    CINDER_TRY_ASSIGN(const auto attachment, m_attachments.find(attachmentId));
    const QDir target(directory);
    if (!target.exists()) {
        return fail(SessionError::FileError);
    }
    // The sender's name is display text: reduce it to one plain name inside `directory`.
    const QString safe = storage::sanitizeFileName(QString::fromStdString(attachment.fileName));
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
        auto read = m_attachments.read(attachmentId, out);
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
