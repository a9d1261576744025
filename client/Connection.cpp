// SPDX-License-Identifier: Apache-2.0
// Log in on every connection and keep calls that need a login from going out without one.
#include "client/Connection.h"

#include "client/SessionContext.h"
#include "client/SessionInternal.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

namespace cinder::client {

using crypto::fail;
using detail::str;
using detail::view;

namespace {
constexpr int kRateLimitRetries = 20;
constexpr quint32 kMaxRetryAfterMs = 5000;
} // namespace

Connection::Connection(ServerChannel& line, const SessionContext& context,
                       net::ServerEndpoint server)
    : m_line(line), m_context(context), m_server(std::move(server)) {
    connect(&m_line, &ServerChannel::connected, this, &Connection::onConnected);
    connect(&m_line, &ServerChannel::disconnected, this, &Connection::onDisconnected);
    connect(&m_line, &ServerChannel::push, this, &ServerChannel::push);
}

net::Reply Connection::call(api::Verb verb, const QByteArray& body, int timeoutMs) {
    // Verbs from VERB_GET_PROFILE on need this connection's login; without one they are not
    // sent at all (the login on the next connection runs the work again).
    const bool needsLogin = verb >= api::VERB_GET_PROFILE;
    if (needsLogin && !m_loggedIn && !m_loggingIn) {
        net::Reply notSent;
        notSent.transportError = net::ConnectionError::NotConnected;
        return notSent;
    }
    net::Reply reply = m_line.call(verb, body, timeoutMs);
    // The server paces a busy connection (e.g. a file's chunks): wait as it asks, a few times.
    for (int attempt = 0;
         attempt < kRateLimitRetries && reply.answered() &&
         reply.status == api::STATUS_RATE_LIMITED && reply.retryAfterMs <= kMaxRetryAfterMs;
         ++attempt) {
        QThread::msleep(std::max<quint32>(reply.retryAfterMs, 10));
        reply = m_line.call(verb, body, timeoutMs);
    }
    const bool connectionLost = !reply.answered() && !m_line.isConnected();
    // A server that restarted under an open socket answers before this device logged in again.
    const bool loginLost =
        needsLogin && reply.answered() && reply.status == api::STATUS_UNAUTHENTICATED;
    if ((connectionLost || loginLost) && !m_loggingIn) {
        setLoggedIn(false);
    }
    if (loginLost) {
        reply.transportError = net::ConnectionError::NotConnected;
    }
    return reply;
}

void Connection::open(const net::ServerEndpoint& endpoint,
                      const net::ServerConnection::BackOff& backOff) {
    m_server = endpoint;
    m_online = true;
    m_line.open(endpoint, backOff);
}

void Connection::close() {
    goOffline();
}

void Connection::goOnline() {
    if (m_context.signedOut || m_online) {
        return;
    }
    m_online = true;
    m_refusal.reset();
    m_line.open(m_server, m_context.options.backOff);
}

void Connection::goOffline() {
    m_online = false;
    m_line.close();
    setLoggedIn(false);
}

bool Connection::waitUntilOnline(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!m_loggedIn && !deadline.hasExpired() && !m_context.signedOut) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!m_loggedIn) {
            QThread::msleep(5);
        }
    }
    return m_loggedIn;
}

void Connection::setLoggedIn(bool loggedIn) {
    if (m_loggedIn == loggedIn) {
        return;
    }
    m_loggedIn = loggedIn;
    Q_EMIT onlineChanged(loggedIn);
}

void Connection::onConnected() {
    if (!m_online || m_context.signedOut) {
        return;
    }
    m_loggingIn = true;
    auto loggedIn = login();
    m_loggingIn = false;
    if (!loggedIn) {
        qCWarning(lcSession) << "login failed:" << describe(loggedIn.error()).data();
        if (loggedIn.error() == SessionError::WrongServer) {
            refuse(loggedIn.error());
        }
        return;
    }
    setLoggedIn(true);
    Q_EMIT connected();
}

void Connection::onDisconnected(net::ConnectionError reason) {
    Q_EMIT disconnected(reason);
    setLoggedIn(false);
    if (reason == net::ConnectionError::ServerKeyMismatch && m_online) {
        refuse(SessionError::WrongServer);
    }
}

void Connection::refuse(SessionError error) {
    // Another server stays another server: no reconnecting to it until asked again.
    goOffline();
    m_refusal = error;
    Q_EMIT refused(error);
}

SessionResult<void> Connection::checkServer(const std::string& serverName) {
    const QByteArray key = m_line.serverKeySha256();
    if (!m_server.publicKeySha256.isEmpty() && key != m_server.publicKeySha256) {
        return fail(SessionError::WrongServer);
    }
    if (!m_server.serverName.isEmpty() && serverName != m_server.serverName.toStdString()) {
        return fail(SessionError::WrongServer);
    }
    return {};
}

SessionResult<void> Connection::login() {
    api::AuthChallengeRequest challengeRequest;
    challengeRequest.set_root_id(str(m_context.rootId));
    challengeRequest.set_node_id(str(m_context.nodeId));
    CINDER_TRY_ASSIGN(const auto challenge, detail::replyAs<api::AuthChallenge>(
                                                call(api::VERB_AUTH_CHALLENGE, challengeRequest)));
    if (challenge.nonce().size() != 32) {
        return fail(SessionError::ServerMisbehaved);
    }
    // Before anything is signed: a proof for another server's name is never made (PROTOCOL.md
    // §7.6, the name binds the proof to the server).
    CINDER_TRY(checkServer(challenge.server_name()));
    auto signature =
        m_context.node->signLoginChallenge(view(challenge.nonce()), challenge.server_name());
    if (!signature) {
        return fail(SessionError::CryptoFailure);
    }
    api::AuthProof proof;
    proof.set_root_id(str(m_context.rootId));
    proof.set_node_id(str(m_context.nodeId));
    proof.set_signature(str(*signature));
    CINDER_TRY_ASSIGN(const auto result,
                      detail::replyAs<api::AuthResult>(call(api::VERB_AUTH_PROOF, proof)));
    if (m_server.serverName.isEmpty() || m_server.publicKeySha256.isEmpty()) {
        // An account enrolled before servers were pinned: the server it logs in to now is
        // pinned from here on (docs/PROTOCOL.md §7.6).
        m_server.serverName = QString::fromStdString(challenge.server_name());
        m_server.publicKeySha256 = m_line.serverKeySha256();
        Q_EMIT serverPinned(m_server);
    }
    // The server pushes what it holds for this device as soon as the login succeeds (no SYNC:
    // SYNC sends every unacknowledged delivery again, so these would all come twice).
    if (m_afterLogin) {
        CINDER_TRY(m_afterLogin(result));
    }
    return {};
}

} // namespace cinder::client
