// SPDX-License-Identifier: Apache-2.0
#pragma once

// The outcome of one request: either the server's response (status, error text, body,
// retry_after_ms) or a transport error when no response arrived.

#include "net/ConnectionError.h"

#include "cinder/api.pb.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace cinder::net {

struct Reply {
    quint64 id = 0;                                               // the request id
    cinder::api::Status status = cinder::api::STATUS_UNAVAILABLE; // meaningful when transport ok
    QString error;                                                // the server's short reason
    QByteArray body;                                              // serialized response message
    quint32 retryAfterMs = 0;                                     // with STATUS_RATE_LIMITED
    ConnectionError transportError = ConnectionError::None;       // set when no response came

    // True when the server answered (whatever the status).
    [[nodiscard]] bool answered() const { return transportError == ConnectionError::None; }
    // True when the server answered STATUS_OK.
    [[nodiscard]] bool ok() const { return answered() && status == cinder::api::STATUS_OK; }
    // Parses the body into `message`; false when it does not parse (a lying server).
    [[nodiscard]] bool parseBody(google::protobuf::Message& message) const {
        return message.ParseFromArray(body.constData(), static_cast<int>(body.size()));
    }
};

using ReplyHandler = std::function<void(const Reply&)>;

} // namespace cinder::net
