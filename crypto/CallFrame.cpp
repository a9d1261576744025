// SPDX-License-Identifier: Apache-2.0
//
// Call media frames, suite 1 (docs/PROTOCOL.md §12: per-call key from the
// call-offer message; per-sender frame keys by HKDF(call key, sender IDn); each frame
// AES-256-GCM with the frame counter as IV (SFrame, RFC 9605, is the model)).
//
//   okm     = HKDF-SHA-256(IKM  = Transcript(kCallFrameKey, SecretKey: K_call, NodeId: IDn_s,
//                                            Data: keyId),
//                          salt = "", info = kCallFrameKey, L = 32 + 12)
//   K_frame = okm[0, 32)          salt = okm[32, 44)          (RFC 9605 4.4.2, key and salt)
//   header  = keyId (1) || uint64_be(CTR)
//   N       = salt XOR (0x00000000 || uint64_be(CTR))          (RFC 9605 4.4.3)
//   AAD     = kAadCallFrame || header
//   frame   = header || AES-256-GCM-Seal(K_frame, N, AAD, M)   (ciphertext || 16-byte tag)
//
// Unlike SFrame the header has a fixed size and no extension bits. The sender's CTR starts at
// 0, increases by one per frame and is never reused; the sender stops after CTR = 2^64 - 1.
// The receiver (RFC 9605 7.2, replay protection as RFC 3711 3.3.2) refuses a frame whose CTR
// is at least kCallFrameReplayWindow below the highest CTR accepted, or was accepted already;
// its window moves only when a frame authenticates.

#include "crypto/CallFrame.h"

#include "crypto/Kdf.h"
#include "crypto/SecureBuffer.h"
#include "crypto/Transcript.h"

#include <cstring>
#include <limits>

namespace cinder::crypto {

std::string_view describe(FrameError error) {
    switch (error) {
    case FrameError::WrongKeyLength:
        return "call key has the wrong length";
    case FrameError::WrongNodeIdLength:
        return "sender node id has the wrong length";
    case FrameError::Truncated:
        return "call frame is truncated";
    case FrameError::Oversized:
        return "call frame is larger than allowed";
    case FrameError::UnknownSender:
        return "call frame is from an unknown sender";
    case FrameError::Replayed:
        return "call frame was already received";
    case FrameError::TooOld:
        return "call frame is older than the replay window";
    case FrameError::AuthenticationFailed:
        return "call frame failed authentication";
    case FrameError::CounterExhausted:
        return "call frame counter exhausted";
    case FrameError::OutputTooSmall:
        return "output buffer is too small";
    case FrameError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

namespace {

struct FrameKeys {
    AeadContext aead;
    Nonce salt{};
};

Result<FrameKeys, FrameError> deriveFrameKeys(ByteView callKey, ByteView senderNodeId,
                                              std::uint8_t keyId) {
    if (callKey.size() != kSymmetricKeySize) {
        return fail(FrameError::WrongKeyLength);
    }
    if (senderNodeId.size() != kNodeIdSize) {
        return fail(FrameError::WrongNodeIdLength);
    }
    const std::array<std::uint8_t, 1> keyIdBytes{keyId};
    Transcript material(label::kCallFrameKey);
    material.add(Field::SecretKey, callKey)
        .add(Field::NodeId, senderNodeId)
        .add(Field::Data, keyIdBytes);
    auto okm = hkdfSha256(material.view(), label::kCallFrameKey, kSymmetricKeySize + kNonceSize);
    if (!okm) {
        return fail(FrameError::BackendFailure);
    }
    auto aead = AeadContext::create(okm->view().first(kSymmetricKeySize));
    if (!aead) {
        return fail(FrameError::BackendFailure);
    }
    FrameKeys keys{std::move(aead).value(), {}};
    std::memcpy(keys.salt.data(), okm->data() + kSymmetricKeySize, kNonceSize);
    return keys;
}

void writeHeader(std::uint8_t keyId, std::uint64_t counter, std::span<std::uint8_t> out) {
    out[0] = keyId;
    for (std::size_t i = 0; i < 8; ++i) {
        out[1 + i] = static_cast<std::uint8_t>(counter >> (56 - 8 * i));
    }
}

// N = salt XOR (0^32 || uint64_be(CTR))
Nonce frameNonce(const Nonce& salt, std::uint64_t counter) {
    Nonce nonce = salt;
    for (std::size_t i = 0; i < 8; ++i) {
        nonce[4 + i] ^= static_cast<std::uint8_t>(counter >> (56 - 8 * i));
    }
    return nonce;
}

// AAD = kAadCallFrame || header; fixed sizes, so it lives on the stack.
constexpr std::size_t kAadSize = label::kAadCallFrame.size() + kCallFrameHeaderSize;
using Aad = std::array<std::uint8_t, kAadSize>;

Aad frameAad(ByteView header) {
    Aad aad{};
    std::memcpy(aad.data(), label::kAadCallFrame.data(), label::kAadCallFrame.size());
    std::memcpy(aad.data() + label::kAadCallFrame.size(), header.data(), kCallFrameHeaderSize);
    return aad;
}

} // namespace

Result<FrameHeader, FrameError> parseFrameHeader(ByteView frame) {
    if (frame.size() < kCallFrameOverhead) {
        return fail(FrameError::Truncated);
    }
    FrameHeader header;
    header.keyId = frame[0];
    for (std::size_t i = 0; i < 8; ++i) {
        header.counter = (header.counter << 8) | frame[1 + i];
    }
    return header;
}

// --- Sender ---------------------------------------------------------------------------------

FrameEncryptor::FrameEncryptor(AeadContext aead, const Nonce& salt, std::uint8_t keyId)
    : m_aead(std::move(aead)), m_salt(salt), m_keyId(keyId) {}

Result<FrameEncryptor, FrameError> FrameEncryptor::create(ByteView callKey, ByteView senderNodeId,
                                                          std::uint8_t keyId) {
    CINDER_TRY_ASSIGN(auto keys, deriveFrameKeys(callKey, senderNodeId, keyId));
    return FrameEncryptor(std::move(keys.aead), keys.salt, keyId);
}

Result<std::size_t, FrameError> FrameEncryptor::encrypt(ByteView plaintext,
                                                        std::span<std::uint8_t> out) {
    if (m_exhausted) {
        return fail(FrameError::CounterExhausted);
    }
    if (plaintext.size() > kMaxCallFramePayload) {
        return fail(FrameError::Oversized);
    }
    const std::size_t frameSize = sealedFrameSize(plaintext.size());
    if (out.size() < frameSize) {
        return fail(FrameError::OutputTooSmall);
    }
    const std::uint64_t counter = m_counter;
    writeHeader(m_keyId, counter, out);
    const Aad aad = frameAad(out.first(kCallFrameHeaderSize));
    if (!m_aead.seal(frameNonce(m_salt, counter), aad, plaintext,
                     out.subspan(kCallFrameHeaderSize, plaintext.size() + kTagSize))) {
        return fail(FrameError::BackendFailure);
    }
    // The counter advances only after a frame was produced, and never wraps to 0.
    if (counter == std::numeric_limits<std::uint64_t>::max()) {
        m_exhausted = true;
    } else {
        m_counter = counter + 1;
    }
    return frameSize;
}

Result<Bytes, FrameError> FrameEncryptor::encrypt(ByteView plaintext) {
    if (plaintext.size() > kMaxCallFramePayload) {
        return fail(FrameError::Oversized);
    }
    Bytes frame(sealedFrameSize(plaintext.size()));
    CINDER_TRY(encrypt(plaintext, frame));
    return frame;
}

// --- Receiver -------------------------------------------------------------------------------

FrameDecryptor::FrameDecryptor(AeadContext aead, const Nonce& salt, std::uint8_t keyId)
    : m_aead(std::move(aead)), m_salt(salt), m_keyId(keyId) {}

Result<FrameDecryptor, FrameError> FrameDecryptor::create(ByteView callKey, ByteView senderNodeId,
                                                          std::uint8_t keyId) {
    CINDER_TRY_ASSIGN(auto keys, deriveFrameKeys(callKey, senderNodeId, keyId));
    return FrameDecryptor(std::move(keys.aead), keys.salt, keyId);
}

Result<void, FrameError> FrameDecryptor::checkReplay(std::uint64_t counter) const {
    if (!m_seenAny || counter > m_highest) {
        return {};
    }
    const std::uint64_t age = m_highest - counter;
    if (age >= kCallFrameReplayWindow) {
        return fail(FrameError::TooOld);
    }
    if (m_window.test(static_cast<std::size_t>(age))) {
        return fail(FrameError::Replayed);
    }
    return {};
}

void FrameDecryptor::markSeen(std::uint64_t counter) {
    if (!m_seenAny) {
        m_seenAny = true;
        m_highest = counter;
        m_window.reset();
    } else if (counter > m_highest) {
        const std::uint64_t shift = counter - m_highest;
        if (shift >= kCallFrameReplayWindow) {
            m_window.reset();
        } else {
            m_window <<= static_cast<std::size_t>(shift);
        }
        m_highest = counter;
    }
    m_window.set(static_cast<std::size_t>(m_highest - counter));
}

Result<std::size_t, FrameError> FrameDecryptor::decrypt(ByteView frame,
                                                        std::span<std::uint8_t> out) {
    CINDER_TRY_ASSIGN(auto header, parseFrameHeader(frame));
    const std::size_t size = frame.size() - kCallFrameOverhead;
    if (size > kMaxCallFramePayload) {
        return fail(FrameError::Oversized);
    }
    if (header.keyId != m_keyId) {
        return fail(FrameError::UnknownSender);
    }
    // Cheap refusal of replays before any decryption; the window itself moves only below,
    // once the frame has authenticated.
    CINDER_TRY(checkReplay(header.counter));
    if (out.size() < size) {
        return fail(FrameError::OutputTooSmall);
    }
    const Aad aad = frameAad(frame.first(kCallFrameHeaderSize));
    auto opened = m_aead.open(frameNonce(m_salt, header.counter), aad,
                              frame.subspan(kCallFrameHeaderSize), out.first(size));
    if (!opened) {
        return fail(opened.error() == AeadError::AuthenticationFailed
                        ? FrameError::AuthenticationFailed
                        : FrameError::BackendFailure);
    }
    markSeen(header.counter);
    return size;
}

Result<Bytes, FrameError> FrameDecryptor::decrypt(ByteView frame) {
    if (frame.size() < kCallFrameOverhead) {
        return fail(FrameError::Truncated);
    }
    if (frame.size() - kCallFrameOverhead > kMaxCallFramePayload) {
        return fail(FrameError::Oversized);
    }
    Bytes plaintext(frame.size() - kCallFrameOverhead);
    CINDER_TRY(decrypt(frame, plaintext));
    return plaintext;
}

} // namespace cinder::crypto
