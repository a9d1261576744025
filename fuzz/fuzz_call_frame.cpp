// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the call frame decoder (crypto/CallFrame.h).
//
// Input, first byte even: a sequence of frames, each uint16_be(length) || frame, fed in order
// to one decryptor with a fixed call key and sender. Nothing may crash.
//
// Input, first byte odd: uint64_be(start) || steps, each step flags (1) || int16_be(delta).
// A sender seals a frame at counter start + delta (clamped), optionally damaged (flags bit 0);
// the receiver's decision must match a plain reference model of the replay window: accept a
// counter once, refuse it when kCallFrameReplayWindow or more below the highest accepted, and
// move only on authentic frames.

#include "crypto/CallFrame.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>
#include <vector>

namespace cinder::crypto {
struct FrameEncryptorTestAccess {
    static void setNextCounter(FrameEncryptor& encryptor, std::uint64_t counter) {
        encryptor.m_counter = counter;
        encryptor.m_exhausted = false;
    }
};
} // namespace cinder::crypto

using namespace cinder::crypto;

namespace {

constexpr std::array<std::uint8_t, kSymmetricKeySize> kCallKey = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
constexpr std::array<std::uint8_t, kNodeIdSize> kSender = {
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
    0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
};
constexpr std::uint8_t kKeyId = 1;

[[noreturn]] void violated(const char* what) {
    std::fprintf(stderr, "fuzz_call_frame: %s\n", what);
    std::abort();
}

void decodeUntrusted(ByteView data) {
    auto receiver = FrameDecryptor::create(kCallKey, kSender, kKeyId);
    if (!receiver) {
        violated("decryptor creation failed");
    }
    std::vector<std::uint8_t> out;
    while (data.size() >= 2) {
        const std::size_t length = std::min<std::size_t>(
            (std::size_t{data[0]} << 8) | std::size_t{data[1]}, data.size() - 2);
        const ByteView frame = data.subspan(2, length);
        data = data.subspan(2 + length);
        (void)parseFrameHeader(frame);
        out.assign(frame.size(), 0);
        auto opened = receiver->decrypt(frame, out);
        if (opened && *opened + kCallFrameOverhead != frame.size()) {
            violated("plaintext size is not frame size minus overhead");
        }
    }
}

class WindowModel {
public:
    // What the receiver must answer for counter, before authentication.
    [[nodiscard]] std::optional<FrameError> check(std::uint64_t counter) const {
        if (m_seen.empty() || counter > m_highest) {
            return std::nullopt;
        }
        if (m_highest - counter >= kCallFrameReplayWindow) {
            return FrameError::TooOld;
        }
        if (m_seen.count(counter) != 0) {
            return FrameError::Replayed;
        }
        return std::nullopt;
    }
    void accept(std::uint64_t counter) {
        m_seen.insert(counter);
        m_highest = std::max(m_highest, counter);
    }

private:
    std::set<std::uint64_t> m_seen;
    std::uint64_t m_highest = 0;
};

void checkWindow(ByteView data) {
    if (data.size() < 8) {
        return;
    }
    std::uint64_t base = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        base = (base << 8) | data[i];
    }
    data = data.subspan(8);
    auto sender = FrameEncryptor::create(kCallKey, kSender, kKeyId).value();
    auto receiver = FrameDecryptor::create(kCallKey, kSender, kKeyId).value();
    WindowModel model;
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    const std::array<std::uint8_t, 3> plaintext = {1, 2, 3};
    for (std::size_t step = 0; data.size() >= 3 && step < 4096; ++step) {
        const std::uint8_t flags = data[0];
        const auto delta = static_cast<std::int16_t>((data[1] << 8) | data[2]);
        data = data.subspan(3);
        std::uint64_t counter = base;
        if (delta >= 0) {
            const auto up = static_cast<std::uint64_t>(delta);
            counter = base > kMax - up ? kMax : base + up;
        } else {
            const auto down = static_cast<std::uint64_t>(-static_cast<std::int32_t>(delta));
            counter = base < down ? 0 : base - down;
        }
        base = counter;
        FrameEncryptorTestAccess::setNextCounter(sender, counter);
        Bytes frame = sender.encrypt(plaintext).value();
        const bool damaged = (flags & 1) != 0;
        if (damaged) {
            frame[kCallFrameHeaderSize + flags % (frame.size() - kCallFrameHeaderSize)] ^= 0x10;
        }
        const std::optional<FrameError> expected = model.check(counter);
        auto result = receiver.decrypt(frame);
        if (expected) {
            if (result || result.error() != *expected) {
                violated("the replay window disagrees with the model");
            }
        } else if (damaged) {
            if (result || result.error() != FrameError::AuthenticationFailed) {
                violated("a damaged frame was not refused");
            }
        } else {
            if (!result || *result != Bytes(plaintext.begin(), plaintext.end())) {
                violated("a fresh authentic frame was refused");
            }
            model.accept(counter);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const ByteView input(data, size);
    if ((input[0] & 1) == 0) {
        decodeUntrusted(input.subspan(1));
    } else {
        checkWindow(input.subspan(1));
    }
    return 0;
}
