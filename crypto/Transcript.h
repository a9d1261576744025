// SPDX-License-Identifier: Apache-2.0
#pragma once

// The unambiguous concatenation behind every "a || b" of the paper (footnote 2: "the
// encodings of a and b include type and length"). Each field is
//     tag (1 byte) || length (4 bytes, big-endian) || value
// and a transcript always starts with its Label field, so two transcripts built for
// different purposes can never be equal. Used as signature input and as HKDF key material;
// the buffer is wiped on destruction because it often holds a shared secret.

#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "crypto/SecureBuffer.h"

#include <cstdint>
#include <string_view>

namespace cinder::crypto {

class Transcript {
public:
    explicit Transcript(std::string_view label);

    Transcript& add(Field tag, ByteView value);
    Transcript& add(Field tag, const SecureBuffer& value) { return add(tag, value.view()); }
    Transcript& addU64(Field tag, std::uint64_t value);

    [[nodiscard]] ByteView view() const { return {m_bytes.data(), m_bytes.size()}; }

private:
    SecureBytes m_bytes;
};

} // namespace cinder::crypto
