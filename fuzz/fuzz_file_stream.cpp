// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the file stream decoder (crypto/FileStream.h).
//
// Input, first byte even: header || chunks, decrypted with a fixed key through the stream
// reader and through the chunk API (header by its length prefix, the rest as one chunk).
// Nothing may crash, and a decryption that succeeds must end with the final chunk.
//
// Input, first byte odd: op || size || material. A plaintext of (size % 4) full chunks plus
// the material is encrypted, the ciphertext is damaged as op says (drop, swap, duplicate,
// append, cut, flip), and decryption must give back exactly the plaintext when nothing was
// damaged and fail otherwise.

#include "crypto/FileStream.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

using namespace cinder::crypto;

namespace {

constexpr std::array<std::uint8_t, kSymmetricKeySize> kKey = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

[[noreturn]] void violated(const char* what) {
    std::fprintf(stderr, "fuzz_file_stream: %s\n", what);
    std::abort();
}

class FixedRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (auto& byte : out) {
            byte = 0x5a;
        }
    }
};

Result<std::string, StreamError> decryptWhole(ByteView ciphertext) {
    std::istringstream in(toStdString(ciphertext));
    std::ostringstream out;
    CINDER_TRY_ASSIGN(auto summary, decryptStream(kKey, in, out));
    if (summary.ciphertextSize != ciphertext.size() || summary.plaintextSize != out.str().size()) {
        violated("summary sizes disagree with the streams");
    }
    return out.str();
}

void decodeUntrusted(ByteView data) {
    (void)decryptWhole(data);

    auto headerSize = FileDecryptor::headerSize(data);
    if (!headerSize || *headerSize > data.size()) {
        return;
    }
    auto decryptor = FileDecryptor::create(kKey, data.first(*headerSize));
    if (!decryptor) {
        return;
    }
    const ByteView rest = data.subspan(*headerSize);
    std::vector<std::uint8_t> out(rest.size());
    auto opened = decryptor->decryptChunk(rest, out);
    if (opened && opened->size + kTagSize != rest.size()) {
        violated("chunk plaintext size is not chunk size minus tag");
    }
    if (decryptor->finish().ok() != (opened && opened->last)) {
        violated("finish() disagrees with the last chunk");
    }
}

// Splits a file into header and sealed chunks, as the reader will.
struct Parts {
    Bytes header;
    std::vector<Bytes> chunks;
};

Parts split(const std::string& file) {
    const ByteView all = asBytes(file);
    Parts parts;
    const std::size_t headerSize = FileDecryptor::headerSize(all).value();
    parts.header = toBytes(all.first(headerSize));
    for (std::size_t at = headerSize; at < all.size(); at += kFileSealedChunkSize) {
        parts.chunks.push_back(
            toBytes(all.subspan(at, std::min(kFileSealedChunkSize, all.size() - at))));
    }
    return parts;
}

Bytes join(const Parts& parts) {
    Bytes out = parts.header;
    for (const Bytes& chunk : parts.chunks) {
        out.insert(out.end(), chunk.begin(), chunk.end());
    }
    return out;
}

void damageAndCheck(std::uint8_t op, std::uint8_t size, ByteView material) {
    const std::size_t fullChunks = size % 4;
    std::string plaintext(fullChunks * kFileChunkSize, static_cast<char>(size));
    plaintext += toStdString(material);

    FixedRandom random;
    std::istringstream in(plaintext);
    std::ostringstream out;
    if (!encryptStream(kKey, in, out, random)) {
        violated("encryption failed");
    }
    Parts parts = split(out.str());
    const std::size_t n = parts.chunks.size();
    const std::size_t position = size; // any byte selector
    bool damaged = true;
    switch (op % 8) {
    case 0:
        damaged = false;
        break;
    case 1: // drop the final chunk
        parts.chunks.pop_back();
        break;
    case 2: // swap two chunks (only damage when they differ)
        if (n < 2 || parts.chunks[0] == parts.chunks[1]) {
            return;
        }
        std::swap(parts.chunks[0], parts.chunks[1]);
        break;
    case 3: // duplicate the first chunk
        parts.chunks.insert(parts.chunks.begin(), parts.chunks.front());
        break;
    case 4: // append a byte
        parts.chunks.back().push_back(static_cast<std::uint8_t>(position));
        break;
    case 5: // cut the final chunk short
        parts.chunks.back().resize(parts.chunks.back().size() - 1 - position % 16);
        break;
    case 6: { // flip a bit anywhere
        Bytes whole = join(parts);
        whole[(position * 2654435761U) % whole.size()] ^=
            static_cast<std::uint8_t>(1U << (op >> 5));
        parts = Parts{whole, {}};
        break;
    }
    default: // drop a chunk from the middle
        if (n < 3) {
            return;
        }
        parts.chunks.erase(parts.chunks.begin() + 1);
        break;
    }
    auto result = decryptWhole(join(parts));
    if (!damaged && (!result || *result != plaintext)) {
        violated("an intact file did not decrypt to its plaintext");
    }
    if (damaged && result) {
        violated("a damaged file decrypted");
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
    } else if (size >= 3) {
        damageAndCheck(input[1], input[2], input.subspan(3));
    }
    return 0;
}
