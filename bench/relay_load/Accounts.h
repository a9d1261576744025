// SPDX-License-Identifier: Apache-2.0
#pragma once

// The load's users: generated identities with one or more devices each, and their
// registration on the relay before any device logs in.

#include "ProtocolFixture.h"
#include "ServerProcess.h"

#include "crypto/Kdf.h"

#include <memory>
#include <string>
#include <vector>

namespace cinder::bench {

struct Account {
    std::unique_ptr<test::User> user;
    std::string registration; // serialized api::RegisterRequest
};

// Users with `devices` devices each, and their registrations; generated on all cores.
std::vector<Account> makeAccounts(int users, int devices, const std::string& prefix,
                                  const crypto::ScryptCost& cost);

// Registers every account over a few pipelined connections; false on any failure.
bool registerAll(const test::ServerProcess& server, const std::vector<Account>& accounts);

} // namespace cinder::bench
