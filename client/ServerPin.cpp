// SPDX-License-Identifier: Apache-2.0
#include "client/ServerPin.h"

#include "client/SessionInternal.h"

namespace cinder::client {

using crypto::fail;

namespace {
// Setting value: publicKeySha256 (32 bytes) followed by the server name in UTF-8.
const std::string_view kServerPinSetting = "server-pin";
} // namespace

SessionResult<void> saveServerPin(storage::SettingsTable& settings,
                                  const net::ServerEndpoint& server) {
    if (server.publicKeySha256.size() != net::ServerEndpoint::kFingerprintSize ||
        server.serverName.isEmpty()) {
        return fail(SessionError::InvalidArgument);
    }
    const QByteArray value = server.publicKeySha256 + server.serverName.toUtf8();
    CINDER_TRY(settings.set(kServerPinSetting,
                            crypto::asBytes(std::string_view(
                                value.constData(), static_cast<std::size_t>(value.size())))));
    return {};
}

SessionResult<void> loadServerPin(storage::SettingsTable& settings, net::ServerEndpoint& server) {
    CINDER_TRY_ASSIGN(const auto stored, settings.get(kServerPinSetting));
    if (!stored) {
        return {};
    }
    const auto size = static_cast<std::size_t>(net::ServerEndpoint::kFingerprintSize);
    if (stored->size() <= size) {
        return fail(SessionError::StorageFailure);
    }
    const auto* bytes = reinterpret_cast<const char*>(stored->data());
    server.publicKeySha256 = QByteArray(bytes, static_cast<qsizetype>(size));
    server.serverName =
        QString::fromUtf8(bytes + size, static_cast<qsizetype>(stored->size() - size));
    return {};
}

} // namespace cinder::client
