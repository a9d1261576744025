// SPDX-License-Identifier: Apache-2.0
#pragma once

// Why a session operation failed. Every public call of Session returns one of these instead of
// throwing; describe() gives a short text for people that never names a secret or a key.

#include "crypto/EphemeralityRule.h"
#include "crypto/Result.h"

#include <string_view>

namespace cinder::client {

enum class SessionError {
    InvalidArgument,       // a malformed username, empty text, unknown option
    AccountExists,         // the account directory already holds an account
    NoAccount,             // the account directory holds no account
    WrongPassphrase,       // the passphrase does not open the vault or the recovery bundle
    UsernameTaken,         // the server already has this username
    UnknownUser,           // the server has no user of this name or id
    NotConnected,          // the server is not reachable now (the request had no effect)
    ServerRejected,        // the server answered with an error status
    RateLimited,           // the server asked to slow down
    ServerMisbehaved,      // the server sent something that does not verify or parse
    IdentityChanged,       // a contact's root key changed: accept the change first
    UnknownConversation,   // no such conversation on this device
    UnknownMessage,        // no such message on this device
    NotAMember,            // this account is not a member of the room
    NotAManager,           // only a manager of the room may do this
    NotTheSender,          // only the sender of a message may edit or delete it
    WrongConversationKind, // the id names a room where a 1:1 conversation was expected, or the
                           // reverse
    NoDevices,             // the recipients have no device this message could be encrypted to
    FileError,             // a local file could not be read or written
    TransferFailed,        // a file upload or download did not complete (it can be resumed)
    IntegrityFailure,      // a downloaded file does not match its signed description
    StorageFailure,        // the local store failed
    CryptoFailure,         // a key could not be made or used
    SignedOut,             // the session was signed out
    PolicyNotAcknowledged, // nothing is sent before the user acknowledged, on this device, that
                           // messages disappear (Session::acknowledgeEphemeralityPolicy)
    WrongServer,           // the server's key or name is not the one the account enrolled with
};

[[nodiscard]] std::string_view describe(SessionError error);

// Timers that break the ephemerality rule (crypto/EphemeralityRule.h) are an invalid argument.
[[nodiscard]] SessionError translateError(std::type_identity<SessionError>,
                                          const crypto::EphemeralityError& error);

template <typename T>
using SessionResult = crypto::Result<T, SessionError>;

} // namespace cinder::client
