// SPDX-License-Identifier: Apache-2.0
#pragma once

// Contact discovery by hashed identifier (docs/SERVER.md §9): a client asks the server which
// of its contacts' identifiers belong to accounts by sending iterated hashes, not the
// identifiers. The iterations make each guess of a server (or of someone who stole its
// database) cost thousands of hashes; the server throttles how many a caller may ask about.

#include "crypto/Hash.h"

#include <string_view>

namespace cinder::crypto {

inline constexpr unsigned kDiscoveryHashIterations = 4096;

// h_0 = SHA-256(Transcript(kDiscoveryHash, identifier)); h_i = SHA-256(h_{i-1});
// returns h_4096. The identifier is normalised by the caller (usernames are lower case).
[[nodiscard]] Sha256Digest contactDiscoveryHash(std::string_view identifier);

} // namespace cinder::crypto
