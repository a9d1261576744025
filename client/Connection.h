// SPDX-License-Identifier: Apache-2.0
#pragma once

// The session's connection to cinder-server: goes online and offline, logs in on every
// connection (a fresh server challenge signed by this device's node key, docs/PROTOCOL.md) and
// holds back every call that needs a login until it has one. The other roles see it as their
// ServerChannel; it sits on top of the real one (ApiChannel) or a test double.

#include "client/ServerChannel.h"
#include "client/SessionError.h"

#include "net/ServerEndpoint.h"

#include <functional>
#include <optional>
#include <string>

namespace cinder::client {

struct SessionContext;

class Connection final : public ServerChannel {
    Q_OBJECT
public:
    // Runs inside the login, before the session counts as online (its calls may go out): the
    // prekey refill the server asked for and the deliveries it announced. A failure fails the
    // login.
    using AfterLogin = std::function<SessionResult<void>(const api::AuthResult&)>;

    Connection(ServerChannel& line, const SessionContext& context, net::ServerEndpoint server);
    void setAfterLogin(AfterLogin afterLogin) { m_afterLogin = std::move(afterLogin); }

    // Connects (and keeps reconnecting) and logs in on each connection.
    void goOnline();
    void goOffline();
    // Logged in on the current connection.
    [[nodiscard]] bool isLoggedIn() const { return m_loggedIn; }
    // Why this connection went offline by itself: WrongServer when the server is not the one
    // the account enrolled with (its key or its name, docs/PROTOCOL.md §7.6). Cleared by
    // goOnline().
    [[nodiscard]] std::optional<SessionError> refusal() const { return m_refusal; }
    // Runs the event loop of this thread until logged in or the timeout passes.
    bool waitUntilOnline(int timeoutMs);

    // ServerChannel: calls go out while logged in (or logging in); connected() is emitted
    // after each login and isConnected() means logged in.
    void open(const net::ServerEndpoint& endpoint,
              const net::ServerConnection::BackOff& backOff) override;
    void close() override;
    [[nodiscard]] bool isConnected() const override { return m_loggedIn; }
    [[nodiscard]] QByteArray serverKeySha256() const override { return m_line.serverKeySha256(); }
    using ServerChannel::call;
    [[nodiscard]] net::Reply call(api::Verb verb, const QByteArray& body, int timeoutMs) override;

Q_SIGNALS:
    void onlineChanged(bool online);
    // The connection was refused and closed (see refusal()); nothing was signed for it.
    void refused(cinder::client::SessionError error);
    // An account enrolled before servers were pinned pinned this one at its first login.
    void serverPinned(const cinder::net::ServerEndpoint& server);

private:
    void onConnected();
    void onDisconnected(net::ConnectionError reason);
    SessionResult<void> login();
    // The server of this connection is the pinned one (or the first one, when none is).
    SessionResult<void> checkServer(const std::string& serverName);
    void refuse(SessionError error);
    void setLoggedIn(bool loggedIn);

    ServerChannel& m_line;
    const SessionContext& m_context;
    net::ServerEndpoint m_server;
    AfterLogin m_afterLogin;
    bool m_online = false; // goOnline() called
    bool m_loggedIn = false;
    bool m_loggingIn = false; // login() runs: its own calls may go out
    std::optional<SessionError> m_refusal;
};

} // namespace cinder::client
