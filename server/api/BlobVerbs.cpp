// SPDX-License-Identifier: Apache-2.0
// Blobs (docs/SERVER.md §9): encrypted file chunks are uploaded and downloaded in pieces
// with resume; blobs expire. The server sees ciphertext only; the file key, the blob id and
// the SHA-256 travel inside the signed, encrypted message. A blob id is 16 random bytes and
// acts as the capability to read it.
#include "server/api/ApiService.h"

#include "crypto/Random.h"
#include "server/api/ApiHelpers.h"

#include <QPointer>

namespace cinder::server {

namespace {
constexpr std::size_t kBlobIdSize = 16;
constexpr std::uint32_t kMaxBlobChunk = 1024 * 1024;

void fillStatus(api::BlobStatus& status, const BlobRecord& blob) {
    status.set_blob_id(stdBytes(blob.blobId));
    status.set_size(blob.size);
    status.set_received(blob.received);
    status.set_complete(blob.complete());
}

void respondBlob(QPointer<ClientConnection> client, quint64 id,
                 const Result<BlobRecord, StoreError>& blob) {
    if (!blob) {
        respondStoreError(*client, id, blob.error());
        return;
    }
    api::BlobStatus status;
    fillStatus(status, *blob);
    client->respond(id, status);
}
} // namespace

void ApiService::blobBegin(ClientConnection& connection, const api::Request& request) {
    api::BlobBeginRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.size() == 0 || body.size() > m_settings.maxBlobSize) {
        connection.respond(request.id(), api::STATUS_TOO_LARGE, {},
                           QStringLiteral("blob size out of range"));
        return;
    }
    if (body.sha256().size() != 32) {
        badRequest(connection, request, QStringLiteral("sha256 must be 32 bytes"));
        return;
    }
    BlobRecord blob;
    blob.blobId = qbytes(crypto::ByteView(crypto::systemRandom().bytes(kBlobIdSize)));
    blob.ownerNodeId = connection.nodeId();
    blob.size = body.size();
    blob.sha256 = qbytes(body.sha256());
    blob.expiresAtMs = nowMs() + m_settings.blobTtlMs;
    const quint64 id = request.id();
    m_storage->run(
        &connection, [blob](Repository& repository) { return repository.createBlob(blob); },
        [client = QPointer<ClientConnection>(&connection),
         id](Result<BlobRecord, StoreError> created) { respondBlob(client, id, created); });
}

void ApiService::blobPut(ClientConnection& connection, const api::Request& request) {
    api::BlobChunk body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.blob_id().size() != kBlobIdSize || body.data().empty() ||
        body.data().size() > kMaxBlobChunk) {
        badRequest(connection, request,
                   QStringLiteral("a chunk names a 16-byte blob id and holds 1 byte to 1 MiB"));
        return;
    }
    const quint64 id = request.id();
    const QByteArray blobId = qbytes(body.blob_id());
    const QByteArray owner = connection.nodeId();
    const std::uint64_t offset = body.offset();
    const QByteArray data = qbytes(body.data());
    m_storage->run(
        &connection,
        [blobId, owner, offset, data](Repository& repository) -> Result<BlobRecord, StoreError> {
            CINDER_TRY_ASSIGN(auto blob, repository.blob(blobId));
            if (blob.ownerNodeId != owner) {
                return fail(StoreError::NotFound); // not yours: as if it did not exist
            }
            return repository.appendBlob(blobId, offset, data);
        },
        [client = QPointer<ClientConnection>(&connection),
         id](Result<BlobRecord, StoreError> blob) { respondBlob(client, id, blob); });
}

void ApiService::blobStatus(ClientConnection& connection, const api::Request& request) {
    api::BlobStatusRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    const quint64 id = request.id();
    const QByteArray blobId = qbytes(body.blob_id());
    m_storage->run(
        &connection, [blobId](Repository& repository) { return repository.blob(blobId); },
        [client = QPointer<ClientConnection>(&connection),
         id](Result<BlobRecord, StoreError> blob) { respondBlob(client, id, blob); });
}

void ApiService::blobGet(ClientConnection& connection, const api::Request& request) {
    api::BlobGetRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.length() == 0 || body.length() > kMaxBlobChunk) {
        badRequest(connection, request, QStringLiteral("read 1 byte to 1 MiB at a time"));
        return;
    }
    const quint64 id = request.id();
    const QByteArray blobId = qbytes(body.blob_id());
    const std::uint64_t offset = body.offset();
    const std::uint32_t length = body.length();
    m_storage->run(
        &connection,
        [blobId, offset, length](Repository& repository) -> Result<QByteArray, StoreError> {
            CINDER_TRY_ASSIGN(auto blob, repository.blob(blobId));
            if (!blob.complete()) {
                return fail(StoreError::NotFound); // readable once the upload is complete
            }
            return repository.readBlob(blobId, offset, length);
        },
        [client = QPointer<ClientConnection>(&connection), id, blobId,
         offset](Result<QByteArray, StoreError> data) {
            if (!data) {
                respondStoreError(*client, id, data.error());
                return;
            }
            api::BlobChunk chunk;
            chunk.set_blob_id(stdBytes(blobId));
            chunk.set_offset(offset);
            chunk.set_data(stdBytes(*data));
            client->respond(id, chunk);
        });
}

} // namespace cinder::server
