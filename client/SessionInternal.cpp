// SPDX-License-Identifier: Apache-2.0
#include "client/SessionInternal.h"

#include <algorithm>

Q_LOGGING_CATEGORY(lcSession, "cinder.session")

namespace cinder::client {

SessionError translateError(std::type_identity<SessionError>, storage::StoreError error) {
    switch (error) {
    case storage::StoreError::UnknownConversation:
        return SessionError::UnknownConversation;
    case storage::StoreError::NotFound:
        return SessionError::UnknownMessage;
    case storage::StoreError::WrongKey:
        return SessionError::WrongPassphrase;
    default:
        return SessionError::StorageFailure;
    }
}

SessionError translateError(std::type_identity<SessionError>, storage::VaultError error) {
    switch (error) {
    case storage::VaultError::WrongPassphrase:
        return SessionError::WrongPassphrase;
    case storage::VaultError::Missing:
        return SessionError::NoAccount;
    case storage::VaultError::AlreadyExists:
        return SessionError::AccountExists;
    case storage::VaultError::Io:
        return SessionError::FileError;
    default:
        return SessionError::StorageFailure;
    }
}

} // namespace cinder::client

namespace cinder::client::detail {

void wipeKeys(content::Content& body) {
    if (body.has_file()) {
        wipe(*body.mutable_file()->mutable_file_key());
    }
}

SessionError errorOf(const net::Reply& reply) {
    if (!reply.answered()) {
        return SessionError::NotConnected;
    }
    switch (reply.status) {
    case api::STATUS_RATE_LIMITED:
        return SessionError::RateLimited;
    case api::STATUS_NOT_FOUND:
        return SessionError::UnknownUser;
    case api::STATUS_UNAVAILABLE:
        return SessionError::NotConnected;
    default:
        return SessionError::ServerRejected;
    }
}

SessionError errorOf(storage::StoreError error) {
    return translateError(std::type_identity<SessionError>{}, error);
}

bool isValidUsername(std::string_view username) {
    if (username.size() < 3 || username.size() > 32) {
        return false;
    }
    return std::all_of(username.begin(), username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

Contact contactOf(const storage::ContactRecord& record) {
    return Contact{record.rootId,          record.username,          record.verified,
                   record.identityChanged, record.deviceListVersion, record.addedAtMs};
}

QString shortId(crypto::ByteView id) {
    const auto prefix = id.first(std::min<std::size_t>(id.size(), 4));
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(prefix.data()),
                                          static_cast<qsizetype>(prefix.size()))
                                   .toHex());
}

} // namespace cinder::client::detail
