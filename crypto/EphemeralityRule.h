// SPDX-License-Identifier: Apache-2.0
#pragma once

// The ephemerality rule (docs/PROTOCOL.md section 8.4): which expiry / burn-on-read timers a
// message may carry. This is the only copy: the decoder (metadataIsValid), the client's send
// path and settings, the store, the app's controllers, cinder-cli and the server's relay all
// call it, so a limit changes here and nowhere else.
//
//     1 <= ttl_seconds <= kMaxTtlSeconds                      (counted from sent_at_ms)
//     burn_on_read  =>  1 <= burn_seconds <= ttl_seconds      (counted from first display)
//     !burn_on_read =>  burn_seconds = 0

#include "crypto/Result.h"

#include <cstdint>
#include <string>

namespace cinder::crypto {

inline constexpr std::uint32_t kMinTtlSeconds = 1;
// Every message expires; a receiver refuses a longer expiry (Wickr's model: the sender's timer is
// part of the message).
inline constexpr std::uint32_t kMaxTtlSeconds = 366U * 24U * 3600U; // 31 622 400
inline constexpr std::uint32_t kMinBurnSeconds = 1;
// The burn time a user interface gives burn-on-read switched on without one (never past the ttl).
inline constexpr std::uint32_t kDefaultBurnSeconds = 30;

struct Ephemerality {
    std::uint32_t ttlSeconds = 0;  // from sentAtMs
    bool burnOnRead = false;       // the timer below starts when the recipient first shows it
    std::uint32_t burnSeconds = 0; // never extends past the expiry
};

// Which part of the rule a timer broke.
enum class EphemeralityLimit {
    TtlTooShort,           // ttl < kMinTtlSeconds (no expiry)
    TtlTooLong,            // ttl > kMaxTtlSeconds
    BurnTooShort,          // burn-on-read with burn < kMinBurnSeconds
    BurnPastExpiry,        // burn > ttl
    BurnWithoutBurnOnRead, // a burn time although burn-on-read is off
};

// The broken limit with its numbers: `value` was given, `bound` is the limit it crossed.
struct EphemeralityError {
    EphemeralityLimit limit = EphemeralityLimit::TtlTooShort;
    std::int64_t value = 0;
    std::int64_t bound = 0;
    bool operator==(const EphemeralityError&) const = default;
};

[[nodiscard]] Result<void, EphemeralityError> validateEphemerality(const Ephemerality& timers);

// The same rule over numbers from outside (a command line, a QML control), checked before they
// are narrowed to the wire's 32 bits.
[[nodiscard]] Result<Ephemerality, EphemeralityError>
ephemeralityFrom(std::int64_t ttlSeconds, bool burnOnRead, std::int64_t burnSeconds);

// A timer chosen in a user interface: burn-on-read switched on without a time gets
// kDefaultBurnSeconds (or the ttl, when shorter); switched off, its time is dropped. Then the rule.
[[nodiscard]] Result<Ephemerality, EphemeralityError>
ephemeralityFromChoice(std::int64_t ttlSeconds, bool burnOnRead, std::int64_t burnSeconds);

// The relay's expiry hint (cinder.api.SendRequest.ttl_seconds): 0 means "none given", anything
// else must be a valid message ttl.
[[nodiscard]] Result<void, EphemeralityError> validateRelayTtl(std::int64_t ttlSeconds);

// "burn time 600 s is past the expiry 300 s": for error texts (no secret in it).
[[nodiscard]] std::string describe(const EphemeralityError& error);

} // namespace cinder::crypto
