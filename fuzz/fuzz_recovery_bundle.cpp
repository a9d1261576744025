// SPDX-License-Identifier: Apache-2.0
// The recovery bundle decoders (crypto/RecoveryBundle.h) on bytes a hostile server could
// send: the bundle itself, the KDF parameters handed out before it, and the recovery key text
// a user types. Every input must end in a value or a typed error, never a crash, a hang or an
// allocation a decoder did not bound.
//
// Only the cheapest accepted scrypt cost (N = 2^10, r <= 2, p = 1) is worth running per input;
// a bundle with a higher, still accepted, cost is decoded and bounds-checked but not opened
// with the passphrase, so the fuzzer is not slowed down by legitimate work. The seeds in
// fuzz/corpus/fuzz_recovery_bundle/ are sealed for kRootId with kPassphrase (or, hardened,
// with the recovery key of a Krbk of 32 bytes 0x42), so mutations start from valid bundles.

#include "crypto/RecoveryBundle.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace cinder::crypto;

namespace {

constexpr std::string_view kPassphrase = "fuzz passphrase";

RootId fuzzRootId() {
    RootId id{};
    id.fill(0x5a);
    return id;
}

const SecureBuffer& fuzzRecoveryKey() {
    static const SecureBuffer key = [] {
        SecureBuffer bundleKey(kSymmetricKeySize);
        for (std::uint8_t& byte : bundleKey.span()) {
            byte = 0x42;
        }
        return formatRecoveryKey(bundleKey).value();
    }();
    return key;
}

bool cheap(const ScryptCost& cost) {
    return cost.log2N == kScryptMinLog2N && cost.r <= 2 && cost.p == 1;
}

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    const RootId rootId = fuzzRootId();

    // Recovery key text: whatever parses formats back to a key that parses to the same bytes.
    if (auto bundleKey = parseRecoveryKey(input); bundleKey.ok()) {
        auto text = formatRecoveryKey(*bundleKey);
        require(text.ok());
        auto again = parseRecoveryKey(text->view());
        require(again.ok() && *again == *bundleKey);
    }

    // KDF parameters alone: accepted ones are within bounds and round-trip canonically.
    if (auto parameters = decodeRecoveryKdfParameters(input); parameters.ok()) {
        require(scryptCostInBounds(parameters->cost));
        require(encodeRecoveryKdfParameters(*parameters) == toBytes(input));
    }

    // The bundle: with the recovery key (no scrypt), then with the passphrase if cheap.
    (void)openRecoveryBundleWithKey(input, rootId, fuzzRecoveryKey().view());
    auto parameters = recoveryKdfParameters(input);
    if (parameters.ok()) {
        require(scryptCostInBounds(parameters->cost));
        if (cheap(parameters->cost)) {
            auto keys = openRecoveryBundle(input, rootId, asBytes(kPassphrase));
            if (keys.ok()) {
                require(keys->remoteStorageKey.size() == kSymmetricKeySize);
                require(keys->nodeStorageRootKey.size() == kSymmetricKeySize);
                require(keys->describe().find("redacted") != std::string::npos);
            }
        }
    }
    return 0;
}
