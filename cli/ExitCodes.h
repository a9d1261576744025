// SPDX-License-Identifier: Apache-2.0
#pragma once

// The exit codes of cinder-cli (listed in --help), and which one each SessionError maps to.

#include "client/SessionError.h"

namespace cinder::cli {

enum class ExitCode : int {
    Ok = 0,
    Usage = 1,           // bad arguments, no account here, an account already here
    WrongPassphrase = 2, // the passphrase does not open the store or the recovery bundle
    Unreachable = 3,     // server unreachable or timed out; queued messages stay queued
    Rejected = 4,        // the server refused, or no such user, conversation or message
    IdentityChanged = 5, // a contact's identity key changed: sending is blocked until accepted
    Permission = 6,      // not a manager, not a member, not the sender, policy not acknowledged
    FileOrIntegrity = 7, // a local file error, a download or code that does not verify
    Other = 8,           // anything else (local store, crypto)
};

[[nodiscard]] ExitCode exitCodeFor(client::SessionError error);

[[nodiscard]] constexpr int toInt(ExitCode code) {
    return static_cast<int>(code);
}

} // namespace cinder::cli
