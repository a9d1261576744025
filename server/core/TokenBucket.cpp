// SPDX-License-Identifier: Apache-2.0
#include "server/core/TokenBucket.h"

#include <algorithm>
#include <cmath>

namespace cinder::server {

TokenBucket::TokenBucket(RateLimit limit, std::int64_t nowMs)
    : m_limit(limit), m_tokens(std::max(1, limit.burst)), m_lastMs(nowMs) {}

void TokenBucket::refill(std::int64_t nowMs) {
    if (nowMs <= m_lastMs) {
        return;
    }
    const double elapsedSeconds = static_cast<double>(nowMs - m_lastMs) / 1000.0;
    m_tokens = std::min(static_cast<double>(std::max(1, m_limit.burst)),
                        m_tokens + elapsedSeconds * m_limit.perSecond);
    m_lastMs = nowMs;
}

bool TokenBucket::take(std::int64_t nowMs, std::uint32_t& retryAfterMs) {
    if (!m_limit.enabled()) {
        return true;
    }
    refill(nowMs);
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return true;
    }
    const double waitMs = std::ceil((1.0 - m_tokens) * 1000.0 / m_limit.perSecond);
    retryAfterMs = static_cast<std::uint32_t>(std::clamp(waitMs, 1.0, 3'600'000.0));
    return false;
}

bool TokenBucket::isFull(std::int64_t nowMs) const {
    if (!m_limit.enabled()) {
        return true;
    }
    const double elapsedSeconds = static_cast<double>(nowMs - m_lastMs) / 1000.0;
    return m_tokens + elapsedSeconds * m_limit.perSecond >= std::max(1, m_limit.burst);
}

} // namespace cinder::server
