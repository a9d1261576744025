// SPDX-License-Identifier: Apache-2.0
#pragma once

// The seam between the transport (WebSocketServer) and the verb handlers (server/api/).
// WebSocketServer calls dispatch() for every request that passed framing, the login gate and
// the rate limits, on the server's thread. The dispatcher answers each request exactly once
// with ClientConnection::respond(), now or later (after a storage round trip); an answer to a
// connection that has closed in the meantime is simply dropped.

#include "cinder/api.pb.h"

#include <functional>

namespace cinder::server {

class ClientConnection;

class Dispatcher {
public:
    virtual ~Dispatcher() = default;

    virtual void dispatch(ClientConnection& connection, const api::Request& request) = 0;

    // After the connection's login was accepted and it is the node's only live connection.
    virtual void connectionAuthenticated(ClientConnection& /*connection*/) {}
    // The connection is gone; it is deleted after this returns (later, on the event loop).
    virtual void connectionClosed(ClientConnection& /*connection*/) {}

    // Shutdown: no new requests will be dispatched. Call `done` (on the server's thread) once
    // the work already accepted is committed.
    virtual void drain(std::function<void()> done) { done(); }

    // For GET /health: false makes it answer 503 (e.g. the database is unreachable).
    [[nodiscard]] virtual bool healthy() const { return true; }
};

} // namespace cinder::server
