// SPDX-License-Identifier: Apache-2.0
// SqlRepository: encrypted blobs, uploaded in pieces with resume.
#include "server/storage/SqlRepositoryDetail.h"

#include <QSqlError>

namespace cinder::server {

using namespace sql;

// --- Blobs -------------------------------------------------------------------------------

Result<BlobRecord, StoreError> SqlRepository::createBlob(const BlobRecord& blob) {
    QSqlQuery* q = statement(
        QStringLiteral("INSERT INTO blobs (blob_id, owner_node_id, size, received, sha256, "
                       "expires_at_ms) VALUES (?, ?, ?, 0, ?, ?)"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(blob.blobId));
    q->bindValue(1, bytes(blob.ownerNodeId));
    q->bindValue(2, unsignedInteger(blob.size));
    q->bindValue(3, bytes(blob.sha256));
    q->bindValue(4, integer(blob.expiresAtMs));
    if (!run(*q, "create blob"))
        return fail(failure(*q, "create blob"));
    BlobRecord created = blob;
    created.received = 0;
    return created;
}

Result<BlobRecord, StoreError> SqlRepository::blobRow(const QByteArray& blobId, bool forUpdate) {
    const QString select = QStringLiteral("SELECT blob_id, owner_node_id, size, received, sha256, "
                                          "expires_at_ms FROM blobs WHERE blob_id = ?");
    QSqlQuery* q = statement(forUpdate && m_dialect == SqlDialect::Postgres
                                 ? select + QStringLiteral(" FOR UPDATE")
                                 : select);
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(blobId));
    if (!run(*q, "blob lookup"))
        return fail(StoreError::Unavailable);
    if (!q->next()) {
        q->finish();
        return fail(StoreError::NotFound);
    }
    BlobRecord b;
    b.blobId = q->value(0).toByteArray();
    b.ownerNodeId = q->value(1).toByteArray();
    b.size = uint64At(*q, 2);
    b.received = uint64At(*q, 3);
    b.sha256 = q->value(4).toByteArray();
    b.expiresAtMs = int64At(*q, 5);
    q->finish();
    return b;
}

Result<BlobRecord, StoreError> SqlRepository::blob(const QByteArray& blobId) {
    return blobRow(blobId, false);
}

Result<BlobRecord, StoreError>
SqlRepository::appendBlob(const QByteArray& blobId, std::uint64_t offset, const QByteArray& data) {
    Transaction tx(*this);
    if (!tx.begin())
        return fail(StoreError::Unavailable);
    auto found = blobRow(blobId, true);
    if (!found)
        return found;
    BlobRecord b = std::move(found).value();
    const auto length = static_cast<std::uint64_t>(data.size());
    if (offset != b.received || length > b.size - b.received)
        return fail(StoreError::Invalid);
    if (length == 0)
        return b;
    QSqlQuery* chunk = statement(QStringLiteral(
        "INSERT INTO blob_chunks (blob_id, chunk_offset, chunk_size, data) VALUES (?, ?, ?, ?)"));
    QSqlQuery* advance =
        statement(QStringLiteral("UPDATE blobs SET received = ? WHERE blob_id = ?"));
    if (!chunk || !advance)
        return fail(StoreError::Unavailable);
    chunk->bindValue(0, bytes(blobId));
    chunk->bindValue(1, unsignedInteger(offset));
    chunk->bindValue(2, unsignedInteger(length));
    chunk->bindValue(3, bytes(data));
    if (!run(*chunk, "blob chunk"))
        return fail(StoreError::Unavailable);
    b.received += length;
    advance->bindValue(0, unsignedInteger(b.received));
    advance->bindValue(1, bytes(blobId));
    if (!run(*advance, "blob advance"))
        return fail(StoreError::Unavailable);
    if (!tx.commit())
        return fail(StoreError::Unavailable);
    return b;
}

Result<QByteArray, StoreError> SqlRepository::readBlob(const QByteArray& blobId,
                                                       std::uint64_t offset, std::uint32_t length) {
    CINDER_TRY_ASSIGN(auto found, blobRow(blobId, false));
    const BlobRecord& b = found;
    if (offset > b.received)
        return fail(StoreError::Invalid);
    const std::uint64_t end = std::min<std::uint64_t>(offset + length, b.received);
    QByteArray out;
    if (end == offset)
        return out;
    out.reserve(static_cast<qsizetype>(end - offset));
    QSqlQuery* q = statement(QStringLiteral(
        "SELECT chunk_offset, data FROM blob_chunks WHERE blob_id = ? AND chunk_offset < ? "
        "AND chunk_offset + chunk_size > ? ORDER BY chunk_offset"));
    if (!q)
        return fail(StoreError::Unavailable);
    q->bindValue(0, bytes(blobId));
    q->bindValue(1, unsignedInteger(end));
    q->bindValue(2, unsignedInteger(offset));
    if (!run(*q, "blob read"))
        return fail(StoreError::Unavailable);
    std::uint64_t position = offset;
    while (q->next() && position < end) {
        const std::uint64_t chunkOffset = uint64At(*q, 0);
        const QByteArray data = q->value(1).toByteArray();
        const std::uint64_t chunkEnd = chunkOffset + static_cast<std::uint64_t>(data.size());
        if (chunkOffset > position || chunkEnd <= position)
            break; // a gap: reported below
        const std::uint64_t take = std::min(chunkEnd, end) - position;
        out.append(data.constData() + (position - chunkOffset), static_cast<qsizetype>(take));
        position += take;
    }
    q->finish();
    if (position != end) {
        qCWarning(lcDb) << "blob chunks are not contiguous";
        return fail(StoreError::Unavailable);
    }
    return out;
}

} // namespace cinder::server
