// SPDX-License-Identifier: Apache-2.0
#pragma once

// The client's line to cinder-server as the role classes see it (docs/ARCHITECTURE.md): the
// requests the client makes (docs/PROTOCOL.md, the API) and the pushes it receives. ApiChannel
// is the real one over net::ServerConnection; Connection wraps one to hold calls back until
// this device has logged in; tests put an in-process double in its place (tests/client), which
// is where a hostile server is played.
//
// Calls block the calling thread until the reply or the timeout; pushes and connection changes
// arrive as signals on the thread that owns the channel, between calls, never inside one.

#include "net/Reply.h"
#include "net/ServerConnection.h"
#include "net/ServerEndpoint.h"

#include "cinder/api.pb.h"

#include <QByteArray>
#include <QObject>

namespace cinder::client {

class ServerChannel : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 30000;

    using QObject::QObject;
    ServerChannel(const ServerChannel&) = delete;
    ServerChannel& operator=(const ServerChannel&) = delete;

    // Connects, and reconnects with back-off whenever the connection drops, until close().
    virtual void open(const net::ServerEndpoint& endpoint,
                      const net::ServerConnection::BackOff& backOff) = 0;
    virtual void close() = 0;
    [[nodiscard]] virtual bool isConnected() const = 0;
    // SHA-256 of the public key (DER SubjectPublicKeyInfo) of the server's certificate on the
    // current connection, empty when there is none: what an account pins at enrollment.
    [[nodiscard]] virtual QByteArray serverKeySha256() const = 0;

    // One request; a reply that never came carries ConnectionError::Timeout.
    [[nodiscard]] virtual net::Reply call(api::Verb verb, const QByteArray& body,
                                          int timeoutMs) = 0;
    [[nodiscard]] net::Reply call(api::Verb verb, const google::protobuf::Message& body,
                                  int timeoutMs) {
        return call(verb, QByteArray::fromStdString(body.SerializeAsString()), timeoutMs);
    }
    // The same with this channel's request timeout.
    [[nodiscard]] net::Reply call(api::Verb verb, const google::protobuf::Message& body) {
        return call(verb, body, m_timeoutMs);
    }
    void setRequestTimeout(int timeoutMs) { m_timeoutMs = timeoutMs; }

Q_SIGNALS:
    // Every time a connection is up (first time and after each reconnect): log in now.
    void connected();
    void disconnected(cinder::net::ConnectionError reason);
    void push(const cinder::api::Push& push);

private:
    int m_timeoutMs = kDefaultTimeoutMs;
};

} // namespace cinder::client
