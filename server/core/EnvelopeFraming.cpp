// SPDX-License-Identifier: Apache-2.0
#include "server/core/EnvelopeFraming.h"

#include <span>

namespace cinder::server {

namespace {

constexpr std::uint32_t kWireVarint = 0;
constexpr std::uint32_t kWireLengthDelimited = 2;
constexpr std::uint32_t kEnvelopeRequestField = 1;
constexpr std::uint32_t kEnvelopeResponseField = 2;
constexpr std::uint32_t kIdField = 1;

// A bounds-checked reader of the protobuf wire format, enough to find one id.
class WireReader {
public:
    explicit WireReader(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}

    std::optional<std::uint64_t> varint() {
        std::uint64_t value = 0;
        for (unsigned shift = 0; shift < 64 && m_position < m_bytes.size(); shift += 7) {
            const std::uint8_t byte = m_bytes[m_position++];
            value |= static_cast<std::uint64_t>(byte & 0x7fU) << shift;
            if ((byte & 0x80U) == 0) {
                return value;
            }
        }
        return std::nullopt;
    }

    // The bytes of a length-delimited field, cut at the end of the input.
    std::span<const std::uint8_t> lengthDelimited() {
        const auto length = varint();
        if (!length) {
            return {};
        }
        const std::size_t available = m_bytes.size() - m_position;
        const std::size_t taken =
            *length < available ? static_cast<std::size_t>(*length) : available;
        const auto result = m_bytes.subspan(m_position, taken);
        m_position += taken;
        return result;
    }

    [[nodiscard]] bool atEnd() const { return m_position >= m_bytes.size(); }

private:
    std::span<const std::uint8_t> m_bytes;
    std::size_t m_position = 0;
};

} // namespace

std::optional<std::uint64_t> recoverRequestId(const QByteArray& frame) {
    WireReader envelope({reinterpret_cast<const std::uint8_t*>(frame.constData()),
                         static_cast<std::size_t>(frame.size())});
    const auto tag = envelope.varint();
    if (!tag || (*tag & 7U) != kWireLengthDelimited) {
        return std::nullopt;
    }
    const auto field = *tag >> 3;
    if (field != kEnvelopeRequestField && field != kEnvelopeResponseField) {
        return std::nullopt;
    }
    WireReader message(envelope.lengthDelimited());
    const auto innerTag = message.varint();
    if (!innerTag || *innerTag != ((kIdField << 3) | kWireVarint)) {
        return std::nullopt;
    }
    return message.varint();
}

bool isUnauthenticatedVerb(api::Verb verb) {
    switch (verb) {
    case api::VERB_PING:
    case api::VERB_REGISTER:
    case api::VERB_AUTH_CHALLENGE:
    case api::VERB_AUTH_PROOF:
    case api::VERB_PUBLISH_DEVICE_LIST:
    case api::VERB_RECOVERY_PARAMETERS:
    case api::VERB_RECOVERY_FETCH:
        return true;
    default:
        return false;
    }
}

DecodedFrame decodeFrame(const QByteArray& frame) {
    DecodedFrame decoded;
    api::Envelope envelope;
    if (!envelope.ParseFromArray(frame.constData(), static_cast<int>(frame.size()))) {
        if (const auto id = recoverRequestId(frame)) {
            decoded.kind = DecodedFrame::Kind::BadRequest;
            decoded.requestId = *id;
            decoded.reason = QStringLiteral("malformed envelope");
        } else {
            decoded.reason = QStringLiteral("malformed envelope");
        }
        return decoded;
    }
    switch (envelope.kind_case()) {
    case api::Envelope::kRequest:
        decoded.kind = DecodedFrame::Kind::Request;
        decoded.request = std::move(*envelope.mutable_request());
        decoded.requestId = decoded.request.id();
        return decoded;
    case api::Envelope::kResponse:
        decoded.kind = DecodedFrame::Kind::BadRequest;
        decoded.requestId = envelope.response().id();
        decoded.reason = QStringLiteral("clients send requests, not responses");
        return decoded;
    case api::Envelope::kPush:
        decoded.reason = QStringLiteral("clients send requests, not pushes");
        return decoded;
    case api::Envelope::KIND_NOT_SET:
        break;
    }
    decoded.reason = QStringLiteral("empty envelope");
    return decoded;
}

} // namespace cinder::server
