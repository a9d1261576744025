// SPDX-License-Identifier: Apache-2.0
#pragma once

// The key derivations and signed input shared by PacketEncoder and PacketDecoder, so the two
// sides cannot drift apart (docs/PROTOCOL.md, "Packet").

#include "crypto/EcKeys.h"
#include "crypto/Errors.h"
#include "crypto/Hash.h"
#include "crypto/Identifiers.h"
#include "crypto/Result.h"
#include "crypto/SecureBuffer.h"
#include "crypto/Transcript.h"

namespace cinder::crypto::packet {

// K_header = KDF(IDr_s || IDn_s)
[[nodiscard]] Result<SecureBuffer, CryptoError> deriveHeaderKey(const RootId& senderRoot,
                                                                const NodeId& senderNode);

// K_exchn = KDF(DH(KEs, PKEn) || PKr_s || PKr_r || IDn)
[[nodiscard]] Result<SecureBuffer, CryptoError> deriveExchangeKey(const SecureBuffer& sharedSecret,
                                                                  const PublicKey& senderRoot,
                                                                  const PublicKey& recipientRoot,
                                                                  const NodeId& recipientNode);

// SHA-256(Transcript(kPayloadKeyCommitment, K_payload)): binds every recipient to one key.
[[nodiscard]] Sha256Digest payloadKeyCommitment(const SecureBuffer& payloadKey);

// The bytes PS signs: version, suite, the sender's IDr and IDn, EPH and EP.
[[nodiscard]] Transcript signedPacketData(std::uint32_t version, std::uint32_t suite,
                                          const RootId& senderRoot, const NodeId& senderNode,
                                          ByteView encryptedHeader, ByteView encryptedPayload);

} // namespace cinder::crypto::packet
