// SPDX-License-Identifier: Apache-2.0
#include "client/ConversationIds.h"

#include "crypto/Hash.h"
#include "crypto/Transcript.h"

#include <algorithm>

namespace cinder::client {

namespace {
crypto::ConversationId idOf(const crypto::Transcript& transcript) {
    const crypto::Sha256Digest digest = crypto::sha256(transcript.view());
    crypto::ConversationId id{};
    std::copy_n(digest.begin(), id.size(), id.begin());
    return id;
}
} // namespace

crypto::ConversationId directConversationId(const crypto::RootId& a, const crypto::RootId& b) {
    const auto& low = std::min(a, b);
    const auto& high = std::max(a, b);
    crypto::Transcript transcript("cinder/v1/hash/direct-conversation");
    transcript.add(crypto::Field::RootId, low).add(crypto::Field::RootId, high);
    return idOf(transcript);
}

crypto::ConversationId roomConversationId(const RoomIdNonce& nonce) {
    crypto::Transcript transcript("cinder/v1/hash/room-conversation");
    transcript.add(crypto::Field::Nonce, nonce);
    return idOf(transcript);
}

} // namespace cinder::client
