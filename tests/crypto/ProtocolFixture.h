// SPDX-License-Identifier: Apache-2.0
#pragma once

// Users with devices, prekey pools and the verified views their peers hold of them; shared
// by the packet, identity and adversarial tests and the benchmark.

#include "crypto/EphemeralKeyPool.h"
#include "crypto/MessageMetadata.h"
#include "crypto/NodeIdentity.h"
#include "crypto/PacketDecoder.h"
#include "crypto/PacketEncoder.h"
#include "crypto/ReplayGuard.h"
#include "crypto/RootIdentity.h"

#include <chrono>
#include <deque>
#include <memory>
#include <stdexcept>
#include <vector>

namespace cinder::test {

using namespace cinder::crypto;

template <typename T, typename E>
T take(Result<T, E> result) {
    if (!result.ok()) {
        throw std::runtime_error("fixture setup failed");
    }
    return std::move(result).value();
}

inline std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Device {
    explicit Device(NodeIdentity node) : identity(std::move(node)) {}
    NodeIdentity identity;
    EphemeralKeyPool pool;
    ReplayGuard replayGuard;
    // The server's copy of the uploaded prekeys, as their peers verified them; each is
    // handed out once, like the server does.
    std::deque<VerifiedPrekey> published;
    std::unique_ptr<VerifiedPrekey> lastResort;
    std::uint64_t nextSequence = 1;

    PacketDecoder decoder() { return PacketDecoder(identity, pool, replayGuard); }
    const VerifiedNode& verified() const { return identity.asVerifiedNode(); }

    // What a sender fetches for this device: the next prekey, or the last-resort key.
    const VerifiedPrekey& fetchPrekey(std::vector<std::unique_ptr<VerifiedPrekey>>& keepAlive) {
        if (published.empty()) {
            return *lastResort;
        }
        keepAlive.push_back(std::make_unique<VerifiedPrekey>(std::move(published.front())));
        published.pop_front();
        return *keepAlive.back();
    }
};

struct User {
    explicit User(RootIdentity rootIdentity) : root(std::move(rootIdentity)) {}
    RootIdentity root;
    std::vector<std::unique_ptr<Device>> devices;

    PinnedRoot pinned() const { return PinnedRoot{root.id(), root.publicKey()}; }

    Device& addDevice(std::size_t prekeys) {
        auto device = std::make_unique<Device>(take(NodeIdentity::enroll(root, nowMs())));
        for (const Bytes& signedPrekey : take(device->pool.generate(device->identity, prekeys))) {
            device->published.push_back(
                take(VerifiedPrekey::verify(device->verified(), signedPrekey)));
        }
        device->lastResort = std::make_unique<VerifiedPrekey>(take(VerifiedPrekey::verify(
            device->verified(), take(device->pool.generateLastResort(device->identity)))));
        devices.push_back(std::move(device));
        return *devices.back();
    }
};

inline std::unique_ptr<User> makeUser(std::size_t deviceCount, std::size_t prekeysPerDevice = 4) {
    auto user = std::make_unique<User>(take(RootIdentity::generate()));
    for (std::size_t i = 0; i < deviceCount; ++i) {
        user->addDevice(prekeysPerDevice);
    }
    return user;
}

inline MessageMetadata textMetadata(Device& sender, std::uint32_t ttlSeconds = 3600) {
    MessageMetadata metadata;
    metadata.messageId = randomId<MessageId>(systemRandom());
    metadata.sequence = sender.nextSequence++;
    metadata.sentAtMs = nowMs();
    metadata.contentType = ContentType::Text;
    metadata.ephemerality.ttlSeconds = ttlSeconds;
    metadata.conversationId = randomId<ConversationId>(systemRandom());
    return metadata;
}

// The recipient list of the paper: every device of every recipient user plus the sender's
// own other devices, each with a freshly fetched prekey.
struct RecipientList {
    std::vector<RecipientDevice> devices;
    std::vector<std::unique_ptr<VerifiedPrekey>> prekeys;
};

inline RecipientList recipientsFor(const Device& sender, const User& senderUser,
                                   const std::vector<User*>& recipients) {
    RecipientList list;
    auto addDevice = [&list](Device& device) {
        const VerifiedPrekey& prekey = device.fetchPrekey(list.prekeys);
        list.devices.push_back(RecipientDevice{&device.verified(), &prekey});
    };
    for (User* user : recipients) {
        for (auto& device : user->devices) {
            addDevice(*device);
        }
    }
    for (auto& device : senderUser.devices) {
        if (device.get() != &sender) {
            addDevice(*device);
        }
    }
    return list;
}

} // namespace cinder::test
