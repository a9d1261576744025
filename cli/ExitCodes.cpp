// SPDX-License-Identifier: Apache-2.0
#include "cli/ExitCodes.h"

namespace cinder::cli {

using client::SessionError;

ExitCode exitCodeFor(SessionError error) {
    switch (error) {
    case SessionError::InvalidArgument:
    case SessionError::AccountExists:
    case SessionError::NoAccount:
        return ExitCode::Usage;
    case SessionError::WrongPassphrase:
        return ExitCode::WrongPassphrase;
    case SessionError::NotConnected:
    case SessionError::TransferFailed:
    case SessionError::WrongServer:
        return ExitCode::Unreachable;
    case SessionError::UsernameTaken:
    case SessionError::UnknownUser:
    case SessionError::ServerRejected:
    case SessionError::RateLimited:
    case SessionError::UnknownConversation:
    case SessionError::UnknownMessage:
    case SessionError::WrongConversationKind:
        return ExitCode::Rejected;
    case SessionError::IdentityChanged:
        return ExitCode::IdentityChanged;
    case SessionError::NotAMember:
    case SessionError::NotAManager:
    case SessionError::NotTheSender:
    case SessionError::PolicyNotAcknowledged:
        return ExitCode::Permission;
    case SessionError::FileError:
    case SessionError::IntegrityFailure:
    case SessionError::ServerMisbehaved:
        return ExitCode::FileOrIntegrity;
    case SessionError::NoDevices:
    case SessionError::StorageFailure:
    case SessionError::CryptoFailure:
    case SessionError::SignedOut:
        return ExitCode::Other;
    }
    return ExitCode::Other;
}

} // namespace cinder::cli
