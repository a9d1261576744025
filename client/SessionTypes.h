// SPDX-License-Identifier: Apache-2.0
#pragma once

// The plain values the Session facade takes and gives (client/Session.h).

#include "client/ServerChannel.h"

#include "crypto/Identifiers.h"
#include "crypto/Kdf.h"
#include "crypto/SecureBuffer.h"
#include "net/ServerEndpoint.h"

#include <cstdint>
#include <functional>
#include <string>

namespace cinder::client {

struct SessionOptions {
    crypto::ScryptCost vaultCost{};    // the protocol's default (crypto/Kdf.h), as the vault's
    crypto::ScryptCost recoveryCost{}; // crypto's default for recovery bundles
    net::ServerConnection::BackOff backOff{};
    std::size_t prekeyBatch = 50; // prekeys generated per upload
    std::uint32_t defaultTtlSeconds = 7U * 24U * 3600U;
    int requestTimeoutMs = ServerChannel::kDefaultTimeoutMs;
    int deviceListMaxAgeMs = 60'000; // refresh a contact's devices before sending after this
    // Keep a verified prekey ready for each device recently written to. Off for short-lived
    // processes (the CLI), which would fetch one-time keys of peers only to drop them.
    bool prefetchPrekeys = true;
    std::function<std::int64_t()> clock; // ms since the epoch; the system clock when empty
};

struct NewAccount {
    std::string username;
    // UTF-8, in wiped memory from the text field or terminal to the KDF (docs/ARCHITECTURE.md,
    // "Secrets in memory"); NewAccount is therefore move-only.
    crypto::SecureBuffer passphrase;
    net::ServerEndpoint server;
};

struct DeviceInfo {
    crypto::NodeId nodeId{};
    std::int64_t createdAtMs = 0;
    bool thisDevice = false;
};

// What the receive path did since the session was created: diagnostics, and what tests use to
// see that a delivery is opened once however often it arrives.
struct ReceiveCounters {
    std::uint64_t deliveries = 0;      // delivery pushes received
    std::uint64_t redeliveries = 0;    // of those, already handled: acknowledged, not opened
    std::uint64_t packetsOpened = 0;   // packets given to the decoder (one key agreement each)
    std::uint64_t messageRowsRead = 0; // message rows read back from the store, for any reason
};

// A contact this account has pinned (trust on first use; docs/PROTOCOL.md, device lists).
struct Contact {
    crypto::RootId rootId{};
    std::string username;
    bool verified = false;               // fingerprint or QR compared
    bool identityChanged = false;        // a different root key was seen; sending is blocked
    std::uint64_t deviceListVersion = 0; // highest signed version seen
    std::int64_t addedAtMs = 0;
};

struct VerificationInfo {
    std::string username;
    std::string fingerprintDigits; // the contact's fingerprint in digit groups
    std::string safetyCode;        // the same on both devices: compare it with the contact
    crypto::Bytes ownQrPayload;    // what this account's QR code encodes
    bool verified = false;
    bool identityChanged = false;
};

} // namespace cinder::client
