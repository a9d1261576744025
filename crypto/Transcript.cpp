// SPDX-License-Identifier: Apache-2.0
#include "crypto/Transcript.h"

#include <array>

namespace cinder::crypto {

Transcript::Transcript(std::string_view label) {
    m_bytes.reserve(256);
    add(Field::Label, asBytes(label));
}

Transcript& Transcript::add(Field tag, ByteView value) {
    const auto length = static_cast<std::uint32_t>(value.size());
    m_bytes.push_back(static_cast<std::uint8_t>(tag));
    m_bytes.push_back(static_cast<std::uint8_t>(length >> 24));
    m_bytes.push_back(static_cast<std::uint8_t>(length >> 16));
    m_bytes.push_back(static_cast<std::uint8_t>(length >> 8));
    m_bytes.push_back(static_cast<std::uint8_t>(length));
    m_bytes.insert(m_bytes.end(), value.begin(), value.end());
    return *this;
}

Transcript& Transcript::addU64(Field tag, std::uint64_t value) {
    std::array<std::uint8_t, 8> encoded{};
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        encoded[i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
    }
    return add(tag, encoded);
}

} // namespace cinder::crypto
