// SPDX-License-Identifier: Apache-2.0
#pragma once

// Files (docs/PROTOCOL.md, blobs): encrypted once into the attachment store, uploaded as that
// same ciphertext in chunks (resuming where the server stopped), downloaded in chunks into a
// partial file (resuming after a dropped connection), checked against the signed SHA-256,
// saved under a safe name. Memory stays bounded by one chunk whatever the file size.

#include "client/ServerChannel.h"
#include "client/SessionError.h"

#include "crypto/Identifiers.h"
#include "storage/AttachmentTable.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <istream>
#include <string>

namespace cinder::client {

struct SessionContext;

class FileTransfer : public QObject {
    Q_OBJECT
public:
    FileTransfer(ServerChannel& channel, storage::AttachmentTable& attachments,
                 const SessionContext& context, QString downloadsPath);

    // Encrypts the file into the attachment store for the message; returns the attachment id.
    [[nodiscard]] SessionResult<std::int64_t> importFile(const crypto::MessageId& messageId,
                                                         const std::string& name,
                                                         const std::string& mimeType,
                                                         std::istream& input);
    // Uploads the attachment's ciphertext (resuming a partial upload).
    [[nodiscard]] SessionResult<void> upload(std::int64_t attachmentId);
    // Downloads (resuming a partial download) and checks a received attachment.
    [[nodiscard]] SessionResult<void> download(std::int64_t attachmentId);
    // Decrypts a downloaded attachment into directory under a safe name; returns the path.
    [[nodiscard]] SessionResult<QString> save(std::int64_t attachmentId, const QString& directory);

Q_SIGNALS:
    // Upload or download progress of an attachment, in ciphertext bytes.
    void transferProgress(std::int64_t attachmentId, std::uint64_t done, std::uint64_t total);
    void messageChanged(const cinder::crypto::MessageId& id);

private:
    ServerChannel& m_channel;
    storage::AttachmentTable& m_attachments;
    const SessionContext& m_context;
    QString m_downloadsPath;
};

} // namespace cinder::client
