// SPDX-License-Identifier: Apache-2.0
// The ephemerality rule of docs/PROTOCOL.md section 8.4 (see EphemeralityRule.h).
#include "crypto/EphemeralityRule.h"

#include <algorithm>

namespace cinder::crypto {

namespace {

Result<void, EphemeralityError> checkTtl(std::int64_t ttl) {
    if (ttl < kMinTtlSeconds) {
        return fail(EphemeralityError{EphemeralityLimit::TtlTooShort, ttl, kMinTtlSeconds});
    }
    if (ttl > kMaxTtlSeconds) {
        return fail(EphemeralityError{EphemeralityLimit::TtlTooLong, ttl, kMaxTtlSeconds});
    }
    return {};
}

Result<void, EphemeralityError> check(std::int64_t ttl, bool burnOnRead, std::int64_t burn) {
    CINDER_TRY(checkTtl(ttl));
    if (!burnOnRead) {
        if (burn != 0) {
            return fail(EphemeralityError{EphemeralityLimit::BurnWithoutBurnOnRead, burn, 0});
        }
        return {};
    }
    if (burn < kMinBurnSeconds) {
        return fail(EphemeralityError{EphemeralityLimit::BurnTooShort, burn, kMinBurnSeconds});
    }
    if (burn > ttl) {
        return fail(EphemeralityError{EphemeralityLimit::BurnPastExpiry, burn, ttl});
    }
    return {};
}

} // namespace

Result<void, EphemeralityError> validateEphemerality(const Ephemerality& timers) {
    return check(timers.ttlSeconds, timers.burnOnRead, timers.burnSeconds);
}

Result<Ephemerality, EphemeralityError> ephemeralityFrom(std::int64_t ttlSeconds, bool burnOnRead,
                                                         std::int64_t burnSeconds) {
    CINDER_TRY(check(ttlSeconds, burnOnRead, burnSeconds));
    return Ephemerality{static_cast<std::uint32_t>(ttlSeconds), burnOnRead,
                        static_cast<std::uint32_t>(burnSeconds)};
}

Result<Ephemerality, EphemeralityError>
ephemeralityFromChoice(std::int64_t ttlSeconds, bool burnOnRead, std::int64_t burnSeconds) {
    if (!burnOnRead) {
        burnSeconds = 0;
    } else if (burnSeconds <= 0) {
        burnSeconds = std::min<std::int64_t>(ttlSeconds, kDefaultBurnSeconds);
    }
    return ephemeralityFrom(ttlSeconds, burnOnRead, burnSeconds);
}

Result<void, EphemeralityError> validateRelayTtl(std::int64_t ttlSeconds) {
    if (ttlSeconds == 0) {
        return {};
    }
    return checkTtl(ttlSeconds);
}

std::string describe(const EphemeralityError& error) {
    const std::string value = std::to_string(error.value);
    const std::string bound = std::to_string(error.bound);
    switch (error.limit) {
    case EphemeralityLimit::TtlTooShort:
        return "expiry " + value + " s is below the minimum " + bound + " s";
    case EphemeralityLimit::TtlTooLong:
        return "expiry " + value + " s is past the maximum " + bound + " s";
    case EphemeralityLimit::BurnTooShort:
        return "burn time " + value + " s is below the minimum " + bound + " s";
    case EphemeralityLimit::BurnPastExpiry:
        return "burn time " + value + " s is past the expiry " + bound + " s";
    case EphemeralityLimit::BurnWithoutBurnOnRead:
        return "burn time " + value + " s given without burn-on-read";
    }
    return "invalid timers";
}

} // namespace cinder::crypto
