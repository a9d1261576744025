// SPDX-License-Identifier: Apache-2.0
#pragma once

// Turning one received WebSocket binary message into a request, or into the reason it is not
// one. Used by ClientConnection; separate so that the decisions can be tested on bytes alone.

#include "cinder/api.pb.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

namespace cinder::server {

struct DecodedFrame {
    enum class Kind {
        Request,    // a well-formed request envelope: `request` is set
        BadRequest, // not a usable request, but `requestId` is known: answer STATUS_BAD_REQUEST
        Close,      // nothing to answer to: close the connection with `reason`
    };
    Kind kind = Kind::Close;
    api::Request request;
    std::uint64_t requestId = 0;
    QString reason;
};

[[nodiscard]] DecodedFrame decodeFrame(const QByteArray& frame);

// Best-effort: the id of a request (or response) envelope whose bytes are otherwise broken.
// Reads only the leading fields of the wire format; never reads out of bounds.
[[nodiscard]] std::optional<std::uint64_t> recoverRequestId(const QByteArray& frame);

// True for the verbs a connection may send before it has logged in.
[[nodiscard]] bool isUnauthenticatedVerb(api::Verb verb);

} // namespace cinder::server
