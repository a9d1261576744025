// SPDX-License-Identifier: Apache-2.0
#pragma once

// Accounts on this device (paper, "User Registration" and "Device Enrollment"): create an
// account with this device as its first, sign a new device in from the recovery bundle, unlock
// the account already here. Each gives the opened account the Session is built from.

#include "client/AccountDirectory.h"
#include "client/ServerChannel.h"
#include "client/SessionError.h"
#include "client/SessionTypes.h"

#include "crypto/EphemeralKeyPool.h"
#include "crypto/NodeIdentity.h"
#include "crypto/ReplayGuard.h"
#include "crypto/RootIdentity.h"
#include "storage/Store.h"

#include <QString>

#include <memory>
#include <string>
#include <string_view>

namespace cinder::client {

// An account open on this device: its keys, its store and its server.
struct OpenedAccount {
    AccountDirectory directory;
    std::unique_ptr<storage::Store> store;
    crypto::RootIdentity root;
    crypto::NodeIdentity node;
    crypto::EphemeralKeyPool pool;
    crypto::ReplayGuard replayGuard;
    net::ServerEndpoint server;
    std::string username;
};

class Enrollment {
public:
    // Registers a new user with this device as its first one over `channel` (opened here),
    // uploads the recovery bundle sealed by the passphrase, creates the local vault and store.
    [[nodiscard]] static SessionResult<OpenedAccount> createAccount(ServerChannel& channel,
                                                                    const QString& accountDirectory,
                                                                    const NewAccount& account,
                                                                    const SessionOptions& options);
    // Enrolls this device for an existing user from username and passphrase (the recovery
    // bundle) and publishes the device list with it added. History is not copied.
    [[nodiscard]] static SessionResult<OpenedAccount> signIn(ServerChannel& channel,
                                                             const QString& accountDirectory,
                                                             const NewAccount& account,
                                                             const SessionOptions& options);
    // Opens the account already on this device; nothing is changed by a wrong passphrase.
    [[nodiscard]] static SessionResult<OpenedAccount> unlock(const QString& accountDirectory,
                                                             const crypto::SecureBuffer& passphrase,
                                                             const SessionOptions& options);

private:
    [[nodiscard]] static SessionResult<OpenedAccount>
    createLocal(const AccountDirectory& directory, const NewAccount& account,
                net::ServerEndpoint server, crypto::RootIdentity root, crypto::NodeIdentity node,
                const SessionOptions& options);
};

} // namespace cinder::client
