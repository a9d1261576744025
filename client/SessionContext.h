// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every role of one session shares (docs/ARCHITECTURE.md, client/): who this account and
// device are, the options, the clock, and whether the session was signed out. Each role gets
// it by reference next to the few other parts it may touch; nothing else lives here.

#include "client/SessionTypes.h"

#include "crypto/NodeIdentity.h"
#include "crypto/RootIdentity.h"

#include <memory>
#include <string>

namespace cinder::client {

struct SessionContext {
    SessionOptions options;
    std::string username;
    crypto::RootId rootId{};
    crypto::NodeId nodeId{};
    // The private keys; dropped (and wiped) on sign-out, after which signedOut is true and no
    // role touches them, the store or the server again.
    std::unique_ptr<crypto::RootIdentity> root;
    std::unique_ptr<crypto::NodeIdentity> node;
    bool signedOut = false;

    // ms since the epoch, from options.clock when set.
    [[nodiscard]] std::int64_t now() const;
};

} // namespace cinder::client
