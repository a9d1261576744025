// SPDX-License-Identifier: Apache-2.0
#include "client/SessionError.h"

namespace cinder::client {

std::string_view describe(SessionError error) {
    switch (error) {
    case SessionError::InvalidArgument:
        return "invalid argument";
    case SessionError::AccountExists:
        return "an account already exists here";
    case SessionError::NoAccount:
        return "no account here";
    case SessionError::WrongPassphrase:
        return "wrong passphrase";
    case SessionError::UsernameTaken:
        return "username is taken";
    case SessionError::UnknownUser:
        return "no such user";
    case SessionError::NotConnected:
        return "server not reachable";
    case SessionError::ServerRejected:
        return "the server refused the request";
    case SessionError::RateLimited:
        return "rate limited by the server";
    case SessionError::ServerMisbehaved:
        return "the server sent data that does not verify";
    case SessionError::IdentityChanged:
        return "the contact's identity key changed; accept the change first";
    case SessionError::UnknownConversation:
        return "no such conversation";
    case SessionError::UnknownMessage:
        return "no such message";
    case SessionError::NotAMember:
        return "not a member of this room";
    case SessionError::NotAManager:
        return "only a room manager may do this";
    case SessionError::NotTheSender:
        return "only the sender may change this message";
    case SessionError::WrongConversationKind:
        return "the conversation is not of the kind expected";
    case SessionError::NoDevices:
        return "no device to encrypt to";
    case SessionError::FileError:
        return "file could not be read or written";
    case SessionError::TransferFailed:
        return "file transfer did not complete";
    case SessionError::IntegrityFailure:
        return "file does not match its description";
    case SessionError::StorageFailure:
        return "local store failure";
    case SessionError::CryptoFailure:
        return "cryptographic failure";
    case SessionError::SignedOut:
        return "signed out";
    case SessionError::PolicyNotAcknowledged:
        return "acknowledge the ephemerality policy first";
    case SessionError::WrongServer:
        return "the server is not the one this account enrolled with";
    }
    return "unknown error";
}

SessionError translateError(std::type_identity<SessionError>, const crypto::EphemeralityError&) {
    return SessionError::InvalidArgument;
}

} // namespace cinder::client
