// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test-only RandomSource: SHA-256 in counter mode over a seed, so that the symmetric keys,
// identifiers and nonces an encoder draws can be replayed to reproduce known-answer vectors.
// Never used outside tests/ and the vector generator.

#include "crypto/Hash.h"
#include "crypto/Random.h"

#include <string>

namespace cinder::test {

class DeterministicRandom final : public crypto::RandomSource {
public:
    explicit DeterministicRandom(std::string seed) : m_seed(std::move(seed)) {}

    void fill(std::span<std::uint8_t> out) override {
        for (std::uint8_t& byte : out) {
            if (m_used == m_block.size()) {
                std::string input = m_seed;
                for (int shift = 56; shift >= 0; shift -= 8) {
                    input.push_back(static_cast<char>((m_counter >> shift) & 0xff));
                }
                m_block = crypto::sha256(crypto::asBytes(input));
                ++m_counter;
                m_used = 0;
            }
            byte = m_block[m_used++];
        }
    }

private:
    std::string m_seed;
    std::uint64_t m_counter = 0;
    crypto::Sha256Digest m_block{};
    std::size_t m_used = crypto::Sha256Digest{}.size();
};

} // namespace cinder::test
