// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small helpers shared by the verb implementations: body parsing, error mapping and
// conversions between Qt byte arrays and the crypto library's views.

#include "cinder/api.pb.h"
#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "server/core/ClientConnection.h"
#include "server/storage/Repository.h"

#include <QByteArray>
#include <QDateTime>

#include <optional>
#include <string>
#include <vector>

namespace cinder::server {

[[nodiscard]] inline crypto::ByteView viewOf(const QByteArray& bytes) {
    return {reinterpret_cast<const std::uint8_t*>(bytes.constData()),
            static_cast<std::size_t>(bytes.size())};
}

[[nodiscard]] inline QByteArray qbytes(const std::string& bytes) {
    return QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

[[nodiscard]] inline QByteArray qbytes(crypto::ByteView bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<qsizetype>(bytes.size()));
}

[[nodiscard]] inline std::string stdBytes(const QByteArray& bytes) {
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

[[nodiscard]] inline std::int64_t nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

template <typename Message>
[[nodiscard]] bool parseBody(ClientConnection& connection, const api::Request& request,
                             Message& out) {
    if (!out.ParseFromString(request.body())) {
        connection.respond(request.id(), api::STATUS_BAD_REQUEST, {},
                           QStringLiteral("malformed request body"));
        return false;
    }
    return true;
}

// The node ids of a request as byte arrays, or nothing when one is not kNodeIdSize bytes.
[[nodiscard]] inline std::optional<std::vector<QByteArray>>
nodeIdList(const google::protobuf::RepeatedPtrField<std::string>& ids) {
    std::vector<QByteArray> out;
    out.reserve(static_cast<std::size_t>(ids.size()));
    for (const std::string& nodeId : ids) {
        if (nodeId.size() != crypto::kNodeIdSize) {
            return std::nullopt;
        }
        out.push_back(qbytes(nodeId));
    }
    return out;
}

inline void badRequest(ClientConnection& connection, const api::Request& request,
                       const QString& reason) {
    connection.respond(request.id(), api::STATUS_BAD_REQUEST, {}, reason);
}

inline void respondStoreError(ClientConnection& connection, quint64 requestId, StoreError error) {
    switch (error) {
    case StoreError::NotFound:
        connection.respond(requestId, api::STATUS_NOT_FOUND, {}, QStringLiteral("not found"));
        return;
    case StoreError::Conflict:
        connection.respond(requestId, api::STATUS_CONFLICT, {}, QStringLiteral("conflict"));
        return;
    case StoreError::Invalid:
        connection.respond(requestId, api::STATUS_BAD_REQUEST, {},
                           QStringLiteral("invalid request"));
        return;
    case StoreError::Unavailable:
        break;
    }
    connection.respond(requestId, api::STATUS_INTERNAL, {}, QStringLiteral("storage unavailable"));
}

} // namespace cinder::server
