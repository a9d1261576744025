// SPDX-License-Identifier: Apache-2.0
#pragma once

// A token bucket: `rate` tokens per second up to `burst`; each request takes one. Time is
// passed in (milliseconds on a monotonic clock) so that tests need no sleeping.

#include <chrono>
#include <cstdint>

namespace cinder::server {

[[nodiscard]] inline std::int64_t monotonicNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct RateLimit {
    double perSecond = 0; // 0: unlimited
    int burst = 0;

    [[nodiscard]] bool enabled() const { return perSecond > 0; }
    friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

class TokenBucket {
public:
    TokenBucket() = default;
    TokenBucket(RateLimit limit, std::int64_t nowMs);

    // Takes one token. On refusal returns false and sets retryAfterMs to the wait until the
    // next token.
    [[nodiscard]] bool take(std::int64_t nowMs, std::uint32_t& retryAfterMs);

    // True when the bucket is full again at nowMs (it can be forgotten).
    [[nodiscard]] bool isFull(std::int64_t nowMs) const;

private:
    void refill(std::int64_t nowMs);

    RateLimit m_limit;
    double m_tokens = 0;
    std::int64_t m_lastMs = 0;
};

} // namespace cinder::server
