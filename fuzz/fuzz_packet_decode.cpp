// SPDX-License-Identifier: Apache-2.0
// PacketDecoder on untrusted bytes. The first input byte picks where the bytes go:
//   0: the whole serialized packet, as a hostile server or network would deliver it;
//   1: the plaintext of the encrypted header, signed by a genuine (but malicious) sender;
//   2: the plaintext of the encrypted payload behind a valid header and key commitment.
// Modes 1 and 2 reach the checks that sit behind the signature and the AEADs.

#include "MaliciousSender.h"
#include "ProtocolFixture.h"

#include <cstddef>
#include <cstdint>

using namespace cinder::crypto;
using namespace cinder::test;

namespace {
struct World {
    std::unique_ptr<User> alice = makeUser(1, 0);
    std::unique_ptr<User> bob = makeUser(1, 0); // last-resort key only: never consumed
    KeyPair ephemeral = take(KeyPair::generate());
    SecureBuffer payloadKey = systemRandom().secret(kSymmetricKeySize);

    Device& sender() { return *alice->devices[0]; }
    Device& receiver() { return *bob->devices[0]; }

    Bytes validHeader() {
        MaliciousSender attacker{sender().identity};
        cinder::wire::PacketHeader header;
        header.set_sender_ephemeral_key(stringOf(ephemeral.publicKey().bytes()));
        *header.add_key_exchange() =
            attacker.wrapFor(ephemeral, receiver().verified(), *receiver().lastResort, payloadKey);
        header.set_payload_key_commitment(MaliciousSender::commitmentTo(payloadKey));
        return serialize(header);
    }
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
    MaliciousSender attacker{w.sender().identity};
    Bytes packet;
    switch (data[0] % 3) {
    case 0:
        packet = toBytes(input);
        break;
    case 1:
        packet = attacker.sealPacket(input, Bytes(64, 0));
        break;
    default:
        packet = attacker.sealPacket(w.validHeader(),
                                     MaliciousSender::encryptPayloadBytes(w.payloadKey, input));
        break;
    }
    ReplayGuard guard;
    PacketDecoder decoder(w.receiver().identity, w.receiver().pool, guard);
    auto result = decoder.decode(packet, w.sender().verified());
    if (result.ok() && result->content.size() > kMaxContentSize) {
        __builtin_trap(); // the decoder promised a bound
    }
    return 0;
}
