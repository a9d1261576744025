// SPDX-License-Identifier: Apache-2.0
#pragma once

// The server an account enrolled with (net::ServerEndpoint::publicKeySha256 and serverName),
// kept in the account's store: server.ini says where the server is, the store (encrypted and
// authenticated by the account's key) what it must be (docs/PROTOCOL.md §7.6).

#include "client/SessionError.h"

#include "net/ServerEndpoint.h"
#include "storage/SettingsTable.h"

namespace cinder::client {

[[nodiscard]] SessionResult<void> saveServerPin(storage::SettingsTable& settings,
                                                const net::ServerEndpoint& server);
// Fills the pins in from the store; leaves them empty for an account enrolled before they were
// kept (its first login pins them, client/Connection.h).
[[nodiscard]] SessionResult<void> loadServerPin(storage::SettingsTable& settings,
                                                net::ServerEndpoint& server);

} // namespace cinder::client
