// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the role classes of client/; not part of the library's interface.

#include "client/SessionError.h"
#include "client/SessionTypes.h"

#include "cinder/content.pb.h"
#include "crypto/Bytes.h"
#include "crypto/Identifiers.h"
#include "crypto/SecureBuffer.h"
#include "net/Reply.h"
#include "storage/Records.h"
#include "storage/StorageError.h"

#include <QLoggingCategory>

#include <optional>
#include <string>
#include <type_traits>

Q_DECLARE_LOGGING_CATEGORY(lcSession)

namespace cinder::client {
// A store failure inside a session call (CINDER_TRY / CINDER_TRY_ASSIGN, crypto/Result.h).
[[nodiscard]] SessionError translateError(std::type_identity<SessionError>,
                                          storage::StoreError error);
// A vault that does not open (a wrong passphrase, no account, a file that cannot be written).
[[nodiscard]] SessionError translateError(std::type_identity<SessionError>,
                                          storage::VaultError error);
} // namespace cinder::client

namespace cinder::client::detail {

// Plaintext content that may carry a key (a file descriptor's file_key) is wiped before its
// memory is freed (docs/ARCHITECTURE.md, "Secrets in memory").
inline void wipe(std::string& bytes) {
    crypto::secureWipe(bytes.data(), bytes.size());
}
inline void wipe(crypto::Bytes& bytes) {
    crypto::secureWipe(bytes.data(), bytes.size());
}
void wipeKeys(content::Content& body);
// Wipes a string when the scope ends, however it ends.
class WipeOnExit {
public:
    explicit WipeOnExit(std::string& bytes) : m_bytes(bytes) {}
    ~WipeOnExit() { wipe(m_bytes); }
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;

private:
    std::string& m_bytes;
};

inline std::string str(crypto::ByteView bytes) {
    return crypto::toStdString(bytes);
}
inline crypto::ByteView view(const std::string& bytes) {
    return crypto::asBytes(bytes);
}
template <typename Id>
std::optional<Id> idFrom(const std::string& bytes) {
    return crypto::fixedFromBytes<std::tuple_size_v<Id>>(crypto::asBytes(bytes));
}

// The error for a request the server did not accept.
[[nodiscard]] SessionError errorOf(const net::Reply& reply);
[[nodiscard]] SessionError errorOf(storage::StoreError error);

// A reply the server accepted, or why not (for CINDER_TRY).
[[nodiscard]] inline SessionResult<void> accepted(const net::Reply& reply) {
    if (!reply.ok()) {
        return crypto::fail(errorOf(reply));
    }
    return {};
}

// The body of a reply the server accepted; one that does not parse is ServerMisbehaved.
template <typename Message>
[[nodiscard]] SessionResult<Message> replyAs(const net::Reply& reply) {
    CINDER_TRY(accepted(reply));
    Message body;
    if (!reply.parseBody(body)) {
        return crypto::fail(SessionError::ServerMisbehaved);
    }
    return body;
}

// The value of a lower layer's result, or `error` in place of its failure (for CINDER_TRY
// where one lower failure means one session error whatever its cause).
template <typename T, typename E>
[[nodiscard]] SessionResult<T> orFail(crypto::Result<T, E>&& result, SessionError error) {
    if (!result) {
        return crypto::fail(error);
    }
    if constexpr (std::is_void_v<T>) {
        return {};
    } else {
        return std::move(result).value();
    }
}

// The value of an optional, or `error` when it is empty.
template <typename T>
[[nodiscard]] SessionResult<T> orFail(std::optional<T>&& value, SessionError error) {
    if (!value) {
        return crypto::fail(error);
    }
    return std::move(*value);
}

// A pinned contact as the session's API gives it (client/SessionTypes.h).
[[nodiscard]] Contact contactOf(const storage::ContactRecord& record);

// Usernames as the server accepts them: [a-z0-9._-]{3,32}.
[[nodiscard]] bool isValidUsername(std::string_view username);

// Short, secret-free hex prefix of an identifier for logs.
[[nodiscard]] QString shortId(crypto::ByteView id);

} // namespace cinder::client::detail
