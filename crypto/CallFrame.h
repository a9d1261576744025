// SPDX-License-Identifier: Apache-2.0
#pragma once

// End-to-end encryption of call media frames, modelled on SFrame (RFC 9605;
// docs/PROTOCOL.md §12, "Call frames"). A frame on the wire is
//     keyId (1) || counter (8, big-endian) || ciphertext || tag (16)
// sealed with AES-256-GCM under a key derived from the call key (carried by the call-offer
// message) and the sender's node id IDn, with a nonce built from the counter. The header is
// authenticated. A receiver keeps one FrameDecryptor per remote sender and refuses replayed
// frames with a sliding window of kCallFrameReplayWindow counters, as SRTP does.
//
// The keyId tells a receiver which sender (and which of its media streams) a frame is from;
// it is bound into the key. Within one call, every FrameEncryptor must have its own
// (sender IDn, keyId): two encryptors with the same pair would reuse nonces.

#include "crypto/Aead.h"
#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "crypto/Result.h"

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace cinder::crypto {

enum class FrameError {
    WrongKeyLength,       // the call key is not kSymmetricKeySize bytes
    WrongNodeIdLength,    // the sender node id is not kNodeIdSize bytes
    Truncated,            // shorter than header + tag
    Oversized,            // more than kMaxCallFramePayload plaintext bytes
    UnknownSender,        // the frame's keyId is not the one this decryptor serves
    Replayed,             // this counter was already accepted
    TooOld,               // the counter is below the replay window
    AuthenticationFailed, // tampered, or sealed with another key (sender, call or keyId)
    CounterExhausted,     // the sender used all 2^64 counters; a new call key is needed
    OutputTooSmall,       // the caller's output buffer cannot hold the result
    BackendFailure,       // OpenSSL failed
};

[[nodiscard]] std::string_view describe(FrameError error);

// The cleartext part of a frame.
struct FrameHeader {
    std::uint8_t keyId = 0;
    std::uint64_t counter = 0;
};

// Reads the header of a frame without authenticating it, to pick the decryptor by keyId.
[[nodiscard]] Result<FrameHeader, FrameError> parseFrameHeader(ByteView frame);

[[nodiscard]] constexpr std::size_t sealedFrameSize(std::size_t plaintextSize) {
    return kCallFrameOverhead + plaintextSize;
}

struct FrameEncryptorTestAccess; // lets a test start near the end of the counter space

// The sending side of one media stream. Counters start at 0 and never repeat. Not thread-safe.
class FrameEncryptor {
public:
    // callKey must be kSymmetricKeySize bytes and senderNodeId kNodeIdSize bytes.
    static Result<FrameEncryptor, FrameError> create(ByteView callKey, ByteView senderNodeId,
                                                     std::uint8_t keyId);

    // Seals plaintext into out (at least sealedFrameSize(plaintext.size()) bytes) and returns
    // the frame size.
    [[nodiscard]] Result<std::size_t, FrameError> encrypt(ByteView plaintext,
                                                          std::span<std::uint8_t> out);
    [[nodiscard]] Result<Bytes, FrameError> encrypt(ByteView plaintext);

    [[nodiscard]] std::uint8_t keyId() const { return m_keyId; }
    // The counter the next frame will carry.
    [[nodiscard]] std::uint64_t nextCounter() const { return m_counter; }

private:
    friend struct FrameEncryptorTestAccess; // lets a test start near the end of the counter space
    FrameEncryptor(AeadContext aead, const Nonce& salt, std::uint8_t keyId);

    AeadContext m_aead;
    Nonce m_salt{};
    std::uint8_t m_keyId = 0;
    std::uint64_t m_counter = 0;
    bool m_exhausted = false;
};

// The receiving side for one remote sender's media stream.
class FrameDecryptor {
public:
    // The same callKey, the sender's IDn and the keyId the sender uses.
    static Result<FrameDecryptor, FrameError> create(ByteView callKey, ByteView senderNodeId,
                                                     std::uint8_t keyId);

    // Opens frame into out (at least frame.size() - kCallFrameOverhead bytes) and returns
    // the plaintext size. A frame is accepted at most once; frames may arrive out of order
    // within the replay window. A frame that fails changes no state.
    [[nodiscard]] Result<std::size_t, FrameError> decrypt(ByteView frame,
                                                          std::span<std::uint8_t> out);
    [[nodiscard]] Result<Bytes, FrameError> decrypt(ByteView frame);

    [[nodiscard]] std::uint8_t keyId() const { return m_keyId; }

private:
    FrameDecryptor(AeadContext aead, const Nonce& salt, std::uint8_t keyId);
    [[nodiscard]] Result<void, FrameError> checkReplay(std::uint64_t counter) const;
    void markSeen(std::uint64_t counter);

    AeadContext m_aead;
    Nonce m_salt{};
    std::uint8_t m_keyId = 0;
    bool m_seenAny = false;
    std::uint64_t m_highest = 0;                  // highest counter accepted
    std::bitset<kCallFrameReplayWindow> m_window; // bit d: counter m_highest - d accepted
};

} // namespace cinder::crypto
