// SPDX-License-Identifier: Apache-2.0
// The verification QR decoder (crypto/Fingerprint.h) on whatever a camera reads: a value or a
// typed error, never a crash. An accepted payload must be the one canonical encoding, and it
// verifies only for the fingerprint it carries. Seeds in fuzz/corpus/fuzz_verification_qr/
// are codes for kRootId with P-521's generator G as the root key.

#include "cinder/packet.pb.h"
#include "crypto/Fingerprint.h"
#include "crypto/WireCodec.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace cinder::crypto;

namespace {

RootId fuzzRootId() {
    RootId id{};
    id.fill(0x5a);
    return id;
}

const PublicKey& generator() {
    static const PublicKey key =
        PublicKey::fromBytes(
            fromHex("0400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e"
                    "77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66011839296a789a3bc0"
                    "045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013f"
                    "ad0761353c7086a272c24088be94769fd16650")
                .value())
            .value();
    return key;
}

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    auto payload = parseVerificationQr(input);
    auto verified = verifyScannedQr(input, fuzzRootId(), generator());
    if (!payload.ok()) {
        require(!verified.ok() && verified.error() == payload.error());
        return 0;
    }
    cinder::wire::VerificationQr message;
    message.set_version(kVerificationQrVersion);
    message.set_root_id(stringOf(payload->rootId));
    message.set_fingerprint(stringOf(payload->fingerprint));
    require(serialize(message) == toBytes(input));
    const bool matches = payload->rootId == fuzzRootId() &&
                         payload->fingerprint == computeFingerprint(fuzzRootId(), generator());
    require(verified.ok() == matches);
    return 0;
}
