// SPDX-License-Identifier: Apache-2.0
#include "storage/StorageError.h"

namespace cinder::storage {

std::string_view describe(VaultError error) {
    switch (error) {
    case VaultError::Missing:
        return "no key vault in the account directory";
    case VaultError::Corrupt:
        return "the key vault is damaged";
    case VaultError::UnsupportedVersion:
        return "the key vault was written by a newer version";
    case VaultError::WrongPassphrase:
        return "wrong passphrase";
    case VaultError::AccountMismatch:
        return "the key vault belongs to another account";
    case VaultError::AlreadyExists:
        return "a key vault exists already";
    case VaultError::InvalidArgument:
        return "invalid argument";
    case VaultError::Io:
        return "the key vault could not be read or written";
    case VaultError::Backend:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

std::string_view describe(StoreError error) {
    switch (error) {
    case StoreError::WrongKey:
        return "the store does not open with this key";
    case StoreError::KeyLength:
        return "the store key has the wrong length";
    case StoreError::SchemaTooNew:
        return "the store was written by a newer version";
    case StoreError::Corrupt:
        return "the store is damaged";
    case StoreError::Io:
        return "the store could not be read or written";
    case StoreError::Busy:
        return "the store is in use by another process";
    case StoreError::NotFound:
        return "not found";
    case StoreError::Duplicate:
        return "already stored";
    case StoreError::UnknownConversation:
        return "unknown conversation";
    case StoreError::StaleVersion:
        return "older than the stored version";
    case StoreError::InvalidArgument:
        return "invalid argument";
    case StoreError::Attachment:
        return "an attachment file could not be written or read";
    case StoreError::Backend:
        return "the database failed";
    }
    return "unknown error";
}

std::string_view describe(AttachmentError error) {
    switch (error) {
    case AttachmentError::InvalidName:
        return "not an attachment file name";
    case AttachmentError::NotFound:
        return "attachment file not found";
    case AttachmentError::Io:
        return "the attachment file could not be read or written";
    case AttachmentError::HashMismatch:
        return "the attachment does not match its descriptor";
    case AttachmentError::DecryptionFailed:
        return "the attachment file does not decrypt";
    case AttachmentError::Backend:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

} // namespace cinder::storage
