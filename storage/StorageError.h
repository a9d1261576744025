// SPDX-License-Identifier: Apache-2.0
#pragma once

// The errors of libcinderstorage, one enum per area, returned in crypto::Result. Nothing here
// throws across the library boundary, and no error carries secret or message data.

#include <string_view>

namespace cinder::storage {

// Opening or unsealing the Klds vault (KeyVault).
enum class VaultError {
    Missing,            // no vault file in the account directory
    Corrupt,            // the file does not parse, or its scrypt parameters are out of bounds
    UnsupportedVersion, // written by a newer Cinder
    WrongPassphrase,    // the sealed key does not open (wrong passphrase or a tampered file)
    AccountMismatch,    // the vault belongs to another account than the caller expected
    AlreadyExists,      // create() over an existing vault
    InvalidArgument,    // Klds or the account id has the wrong length
    Io,                 // the file could not be read or written; nothing was changed
    Backend,            // scrypt, HKDF or AES-GCM failed for a reason the caller cannot fix
};

// The SQLCipher store (Store).
enum class StoreError {
    WrongKey,            // the database does not open with this Klds (or is not a database)
    KeyLength,           // Klds is not 32 bytes
    SchemaTooNew,        // written by a newer Cinder; not opened, not changed
    Corrupt,             // SQLite reported corruption, or a stored value is malformed
    Io,                  // disk full, permissions, the file or folder cannot be created
    Busy,                // another process holds the database
    NotFound,            // no row with that id
    Duplicate,           // a row with that id exists already
    UnknownConversation, // a message names a conversation the store does not hold
    StaleVersion,        // a device list older than the one stored (rollback refused)
    InvalidArgument,     // a value outside what the schema accepts
    Attachment,          // writing or reading an encrypted attachment file failed
    Backend,             // any other SQLite failure
};

// Encrypted attachment files (AttachmentStore).
enum class AttachmentError {
    InvalidName,      // not a name this store generated; never used as a path
    NotFound,         // no such file
    Io,               // reading or writing the file failed
    HashMismatch,     // the ciphertext is not the one the file descriptor names
    DecryptionFailed, // the file does not decrypt with its key (damaged or swapped)
    Backend,          // the file key could not be used
};

[[nodiscard]] std::string_view describe(VaultError error);
[[nodiscard]] std::string_view describe(StoreError error);
[[nodiscard]] std::string_view describe(AttachmentError error);

} // namespace cinder::storage
