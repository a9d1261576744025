// SPDX-License-Identifier: Apache-2.0
// The decoders of identity objects a server hands out: public keys, node certificates,
// signed prekeys and signed device lists, plus stored private keys. The first byte picks one.

#include "ProtocolFixture.h"

#include "crypto/DeviceList.h"

#include <cstddef>
#include <cstdint>

using namespace cinder::crypto;
using namespace cinder::test;

namespace {
struct World {
    std::unique_ptr<User> alice = makeUser(1, 0);
};

World& world() {
    static World instance;
    return instance;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    World& w = world();
    const ByteView input(data + 1, size - 1);
    switch (data[0] % 5) {
    case 0: {
        auto key = PublicKey::fromBytes(input);
        (void)key;
        break;
    }
    case 1: {
        auto node = VerifiedNode::verify(w.alice->pinned(), input);
        (void)node;
        break;
    }
    case 2: {
        auto prekey = VerifiedPrekey::verify(w.alice->devices[0]->verified(), input);
        (void)prekey;
        break;
    }
    case 3: {
        auto list = VerifiedDeviceList::verify(w.alice->pinned(), input, 0);
        (void)list;
        break;
    }
    default: {
        if (input.size() >= kPrivateKeySize) {
            auto pair =
                KeyPair::fromPrivate(input.first(kPrivateKeySize), input.subspan(kPrivateKeySize));
            (void)pair;
        }
        break;
    }
    }
    return 0;
}
