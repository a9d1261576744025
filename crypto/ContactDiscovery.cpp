// SPDX-License-Identifier: Apache-2.0
#include "crypto/ContactDiscovery.h"

#include "crypto/Transcript.h"

namespace cinder::crypto {

Sha256Digest contactDiscoveryHash(std::string_view identifier) {
    Transcript input(label::kDiscoveryHash);
    input.add(Field::Data, asBytes(identifier));
    Sha256Digest digest = sha256(input.view());
    for (unsigned i = 1; i < kDiscoveryHashIterations; ++i) {
        digest = sha256(digest);
    }
    return digest;
}

} // namespace cinder::crypto
