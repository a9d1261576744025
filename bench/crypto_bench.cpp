// SPDX-License-Identifier: Apache-2.0
// Costs of the protocol core on this machine: packet encode against the recipient count
// (with prekeys fetched and verified ahead of time, and with their verification included),
// decode at one recipient, prekey batch generation, and the primitives underneath.

#include "ProtocolFixture.h"

#include "crypto/CallFrame.h"
#include "crypto/FileStream.h"

#include <benchmark/benchmark.h>

#include <sstream>

#include <map>

using namespace cinder::crypto;
using namespace cinder::test;

namespace {

// A sender and a population of recipient devices, built once per size.
struct Population {
    std::unique_ptr<User> sender;
    std::vector<std::unique_ptr<User>> users;
    std::vector<RecipientDevice> recipients;
    std::vector<Bytes> signedPrekeys; // what the server hands out, still unverified
};

Population& population(std::size_t nodes) {
    static std::map<std::size_t, Population> cache;
    auto [it, inserted] = cache.try_emplace(nodes);
    Population& p = it->second;
    if (inserted) {
        p.sender = makeUser(1, 0);
        for (std::size_t i = 0; i < nodes; ++i) {
            p.users.push_back(makeUser(0));
            Device& device = p.users.back()->addDevice(0);
            // One extra prekey, kept in signed form for the "verify on the send path" case.
            p.signedPrekeys.push_back(take(device.pool.generate(device.identity, 1))[0]);
            p.recipients.push_back(RecipientDevice{&device.verified(), device.lastResort.get()});
        }
    }
    return p;
}

void BM_EncodePrefetched(benchmark::State& state) {
    Population& p = population(static_cast<std::size_t>(state.range(0)));
    Device& sender = *p.sender->devices[0];
    PacketEncoder encoder(sender.identity);
    const Bytes content(256, 'x');
    for (auto _ : state) {
        auto packet = encoder.encode(textMetadata(sender), content, p.recipients);
        benchmark::DoNotOptimize(packet);
    }
    state.counters["nodes"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_EncodePrefetched)
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_EncodeIncludingPrekeyVerification(benchmark::State& state) {
    Population& p = population(static_cast<std::size_t>(state.range(0)));
    Device& sender = *p.sender->devices[0];
    PacketEncoder encoder(sender.identity);
    const Bytes content(256, 'x');
    for (auto _ : state) {
        // Node chains are cached (verified once per contact); prekeys are verified now,
        // spread over the cores like the client's background prefetch.
        std::vector<const VerifiedNode*> owners;
        for (const RecipientDevice& recipient : p.recipients) {
            owners.push_back(recipient.node);
        }
        std::vector<VerifiedPrekey> prekeys;
        for (auto& result : verifyPrekeys(owners, p.signedPrekeys)) {
            prekeys.push_back(take(std::move(result)));
        }
        std::vector<RecipientDevice> recipients;
        for (std::size_t i = 0; i < prekeys.size(); ++i) {
            recipients.push_back(RecipientDevice{p.recipients[i].node, &prekeys[i]});
        }
        auto packet = encoder.encode(textMetadata(sender), content, recipients);
        benchmark::DoNotOptimize(packet);
    }
}
BENCHMARK(BM_EncodeIncludingPrekeyVerification)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_DecodeOneRecipient(benchmark::State& state) {
    auto alice = makeUser(1, 0);
    auto bob = makeUser(1, 0); // last-resort key only: it survives decoding, so we can repeat
    Device& sender = *alice->devices[0];
    Device& receiver = *bob->devices[0];
    RecipientList list = recipientsFor(sender, *alice, {bob.get()});
    const Bytes packet = take(
        PacketEncoder(sender.identity).encode(textMetadata(sender), Bytes(256, 'x'), list.devices));
    for (auto _ : state) {
        ReplayGuard guard; // a fresh guard, or the second decode would be a replay
        PacketDecoder decoder(receiver.identity, receiver.pool, guard);
        auto message = decoder.decode(packet, sender.verified());
        if (!message) {
            state.SkipWithError("decode failed");
            break;
        }
        benchmark::DoNotOptimize(message);
    }
}
BENCHMARK(BM_DecodeOneRecipient)->Unit(benchmark::kMicrosecond);

void BM_PrekeyBatch(benchmark::State& state) {
    auto alice = makeUser(1, 0);
    Device& device = *alice->devices[0];
    for (auto _ : state) {
        EphemeralKeyPool pool;
        auto uploads = pool.generate(device.identity, static_cast<std::size_t>(state.range(0)));
        benchmark::DoNotOptimize(uploads);
    }
}
BENCHMARK(BM_PrekeyBatch)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_EcdhDerive(benchmark::State& state) {
    auto a = take(KeyPair::generate());
    auto b = take(KeyPair::generate());
    for (auto _ : state) {
        auto secret = a.agree(b.publicKey());
        benchmark::DoNotOptimize(secret);
    }
}
BENCHMARK(BM_EcdhDerive)->Unit(benchmark::kMicrosecond);

void BM_PublicKeyDecode(benchmark::State& state) {
    const Bytes encoded = take(KeyPair::generate()).publicKey().bytes();
    for (auto _ : state) {
        auto key = PublicKey::fromBytes(encoded);
        benchmark::DoNotOptimize(key);
    }
}
BENCHMARK(BM_PublicKeyDecode)->Unit(benchmark::kMicrosecond);

void BM_Sign(benchmark::State& state) {
    auto key = take(KeyPair::generate());
    Transcript message("bench");
    message.add(Field::Data, Bytes(512, 1));
    for (auto _ : state) {
        auto signature = key.sign(message);
        benchmark::DoNotOptimize(signature);
    }
}
BENCHMARK(BM_Sign)->Unit(benchmark::kMicrosecond);

void BM_Verify(benchmark::State& state) {
    auto key = take(KeyPair::generate());
    Transcript message("bench");
    message.add(Field::Data, Bytes(512, 1));
    const Signature signature = take(key.sign(message));
    for (auto _ : state) {
        auto ok = key.publicKey().verify(message, signature);
        benchmark::DoNotOptimize(ok);
    }
}
BENCHMARK(BM_Verify)->Unit(benchmark::kMicrosecond);

// File encryption on one core: 64 KiB chunks, the same key schedule for the whole file.
void BM_FileEncryptChunks(benchmark::State& state) {
    const SecureBuffer fileKey = systemRandom().secret(kSymmetricKeySize);
    auto encryptor = take(FileEncryptor::create(fileKey.view()));
    const Bytes chunk(kFileChunkSize, 0x5a);
    Bytes out(kFileSealedChunkSize);
    for (auto _ : state) {
        auto written = encryptor.encryptChunk(chunk, false, out);
        benchmark::DoNotOptimize(written);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(kFileChunkSize));
}
BENCHMARK(BM_FileEncryptChunks);

void BM_FileDecryptChunks(benchmark::State& state) {
    const SecureBuffer fileKey = systemRandom().secret(kSymmetricKeySize);
    auto encryptor = take(FileEncryptor::create(fileKey.view()));
    const Bytes chunk(kFileChunkSize, 0x5a);
    Bytes sealed(kFileSealedChunkSize);
    (void)take(encryptor.encryptChunk(chunk, false, sealed));
    Bytes out(kFileChunkSize);
    for (auto _ : state) {
        // A fresh decryptor per chunk: chunk 0 again each time (the position is in the nonce).
        auto decryptor = take(FileDecryptor::create(fileKey.view(), encryptor.header()));
        auto opened = decryptor.decryptChunk(sealed, out);
        benchmark::DoNotOptimize(opened);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(kFileChunkSize));
}
BENCHMARK(BM_FileDecryptChunks);

// The whole streaming path a client uses for an attachment: read, encrypt, hash, write.
void BM_FileEncryptStream(benchmark::State& state) {
    const SecureBuffer fileKey = systemRandom().secret(kSymmetricKeySize);
    const std::string plaintext(16 * 1024 * 1024, 'f');
    for (auto _ : state) {
        std::istringstream in(plaintext);
        std::ostringstream out;
        auto summary = encryptStream(fileKey.view(), in, out);
        benchmark::DoNotOptimize(summary);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(plaintext.size()));
}
BENCHMARK(BM_FileEncryptStream)->Unit(benchmark::kMillisecond);

void BM_CallFrameEncrypt(benchmark::State& state) {
    const SecureBuffer callKey = systemRandom().secret(kSymmetricKeySize);
    const auto nodeId = randomId<NodeId>(systemRandom());
    auto encryptor = take(FrameEncryptor::create(callKey.view(), nodeId, 1));
    const Bytes frame(1200, 0x33); // one video packet's worth
    Bytes out(sealedFrameSize(frame.size()));
    for (auto _ : state) {
        auto written = encryptor.encrypt(frame, out);
        benchmark::DoNotOptimize(written);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_CallFrameEncrypt);

} // namespace

BENCHMARK_MAIN();
