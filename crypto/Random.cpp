// SPDX-License-Identifier: Apache-2.0
#include "crypto/Random.h"

#include <openssl/rand.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

namespace cinder::crypto {

Bytes RandomSource::bytes(std::size_t count) {
    Bytes out(count);
    fill(out);
    return out;
}

SecureBuffer RandomSource::secret(std::size_t count) {
    SecureBuffer out(count);
    fill(out.span());
    return out;
}

namespace {
class SystemRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        std::size_t offset = 0;
        while (offset < out.size()) {
            const std::size_t chunk = std::min<std::size_t>(out.size() - offset, INT_MAX);
            if (RAND_bytes(out.data() + offset, static_cast<int>(chunk)) != 1) {
                std::fputs("cinder: the system random generator failed; aborting\n", stderr);
                std::abort();
            }
            offset += chunk;
        }
    }
};
} // namespace

RandomSource& systemRandom() {
    static SystemRandom instance;
    return instance;
}

} // namespace cinder::crypto
