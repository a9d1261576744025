// SPDX-License-Identifier: Apache-2.0
// The session's connection: log in on every connection, keep the prekey pool filled, and run
// the work (received deliveries, the outbox, prefetching) between calls.
#include "client/Session.h"
#include "client/SessionInternal.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

namespace cinder::client {

using crypto::fail;
using detail::str;
using detail::view;

namespace {
// Below this many prekeys on the server, the device uploads a new batch at login.
constexpr std::uint32_t kPrekeyRefillBelow = 20;
constexpr int kRateLimitRetries = 20;
constexpr quint32 kMaxRetryAfterMs = 5000;
} // namespace

net::Reply Session::call(api::Verb verb, const google::protobuf::Message& body) {
    // Verbs from VERB_GET_PROFILE on need this connection's login; without one they are not
    // sent at all (the login on the next connection runs the work again).
    const bool needsLogin = verb >= api::VERB_GET_PROFILE;
    if (needsLogin && !m_loggedIn && !m_loggingIn) {
        net::Reply notSent;
        notSent.transportError = net::ConnectionError::NotConnected;
        return notSent;
    }
    net::Reply reply = m_channel.call(verb, body, m_options.requestTimeoutMs);
    // The server paces a busy connection (e.g. a file's chunks): wait as it asks, a few times.
    for (int attempt = 0;
         attempt < kRateLimitRetries && reply.answered() &&
         reply.status == api::STATUS_RATE_LIMITED && reply.retryAfterMs <= kMaxRetryAfterMs;
         ++attempt) {
        QThread::msleep(std::max<quint32>(reply.retryAfterMs, 10));
        reply = m_channel.call(verb, body, m_options.requestTimeoutMs);
    }
    const bool connectionLost = !reply.answered() && !m_channel.isConnected();
    // A server that restarted under an open socket answers before this device logged in again.
    const bool loginLost =
        needsLogin && reply.answered() && reply.status == api::STATUS_UNAUTHENTICATED;
    if ((connectionLost || loginLost) && m_loggedIn && !m_loggingIn) {
        m_loggedIn = false;
        Q_EMIT onlineChanged(false);
    }
    if (loginLost) {
        reply.transportError = net::ConnectionError::NotConnected;
    }
    return reply;
}

void Session::goOnline() {
    if (m_signedOut || m_online) {
        return;
    }
    m_online = true;
    m_channel.open(m_server, m_options.backOff);
}

void Session::goOffline() {
    m_online = false;
    m_channel.close();
    if (m_loggedIn) {
        m_loggedIn = false;
        Q_EMIT onlineChanged(false);
    }
}

bool Session::waitUntilOnline(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!m_loggedIn && !deadline.hasExpired() && !m_signedOut) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!m_loggedIn) {
            QThread::msleep(5);
        }
    }
    return m_loggedIn;
}

bool Session::waitUntilIdle(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    const auto idle = [this] {
        if (m_signedOut) {
            return true;
        }
        auto pending = m_store->outbox().peek(storage::kMaxPageSize);
        return m_loggedIn && !m_workScheduled && !m_working && m_incoming.empty() &&
               m_awaitingDeliveries == 0 && pending && pending->size() <= m_heldBack;
    };
    while (!idle() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return idle();
}

void Session::onConnected() {
    if (!m_online || m_signedOut) {
        return;
    }
    m_loggingIn = true;
    auto loggedIn = login();
    m_loggingIn = false;
    if (!loggedIn) {
        qCWarning(lcSession) << "login failed:" << describe(loggedIn.error()).data();
        return;
    }
    m_loggedIn = true;
    Q_EMIT onlineChanged(true);
    scheduleWork();
}

void Session::onDisconnected() {
    m_awaitingDeliveries = 0;
    if (m_loggedIn) {
        m_loggedIn = false;
        Q_EMIT onlineChanged(false);
    }
}

SessionResult<void> Session::login() {
    api::AuthChallengeRequest challengeRequest;
    challengeRequest.set_root_id(str(rootId()));
    challengeRequest.set_node_id(str(nodeId()));
    const net::Reply challengeReply = call(api::VERB_AUTH_CHALLENGE, challengeRequest);
    api::AuthChallenge challenge;
    if (!challengeReply.ok()) {
        return fail(detail::errorOf(challengeReply));
    }
    if (!challengeReply.parseBody(challenge) || challenge.nonce().size() != 32) {
        return fail(SessionError::ServerMisbehaved);
    }
    auto signature = m_node->signLoginChallenge(view(challenge.nonce()), challenge.server_name());
    if (!signature) {
        return fail(SessionError::CryptoFailure);
    }
    api::AuthProof proof;
    proof.set_root_id(str(rootId()));
    proof.set_node_id(str(nodeId()));
    proof.set_signature(str(*signature));
    const net::Reply proofReply = call(api::VERB_AUTH_PROOF, proof);
    api::AuthResult result;
    if (!proofReply.ok()) {
        return fail(detail::errorOf(proofReply));
    }
    if (!proofReply.parseBody(result)) {
        return fail(SessionError::ServerMisbehaved);
    }
    // The server pushes what it holds for this device as soon as the login succeeds (no SYNC:
    // SYNC sends every unacknowledged delivery again, so these would all come twice); idle
    // waits for them.
    m_awaitingDeliveries = result.pending_deliveries();
    if (result.prekeys_low() || result.prekeys_remaining() < kPrekeyRefillBelow) {
        m_refillWanted = true;
    }
    if (m_refillWanted) {
        if (auto refilled = refillPrekeys(result.prekeys_remaining()); !refilled) {
            return refilled;
        }
    }
    return {};
}

SessionResult<void> Session::refillPrekeys(std::optional<std::uint32_t> knownRemaining) {
    // "Low" pushes can pile up while a refill runs; each would add a batch. Ask the server how
    // many are left (an empty upload answers that) and refill only when still low.
    if (!knownRemaining) {
        const net::Reply status = call(api::VERB_UPLOAD_PREKEYS, api::UploadPrekeys());
        api::PrekeyStatus current;
        if (!status.ok()) {
            return fail(detail::errorOf(status));
        }
        if (!status.parseBody(current)) {
            return fail(SessionError::ServerMisbehaved);
        }
        if (current.remaining() >= kPrekeyRefillBelow && current.has_last_resort()) {
            m_refillWanted = false;
            return {};
        }
    }
    auto batch = m_pool->generate(*m_node, m_options.prekeyBatch);
    if (!batch) {
        return fail(SessionError::CryptoFailure);
    }
    api::UploadPrekeys upload;
    for (const crypto::Bytes& signedPrekey : *batch) {
        upload.add_signed_prekeys(str(signedPrekey));
    }
    const bool hasLastResort =
        std::any_of(m_pool->entries().begin(), m_pool->entries().end(),
                    [](const auto& entry) { return entry.second.lastResort; });
    if (!hasLastResort) {
        auto lastResort = m_pool->generateLastResort(*m_node);
        if (!lastResort) {
            return fail(SessionError::CryptoFailure);
        }
        upload.set_last_resort(str(*lastResort));
    }
    // The private halves are on disk before the server can hand out a public one.
    if (auto saved = m_store->keys().savePrekeyPool(*m_pool); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    const net::Reply reply = call(api::VERB_UPLOAD_PREKEYS, upload);
    if (!reply.ok()) {
        return fail(detail::errorOf(reply));
    }
    m_refillWanted = false;
    qCInfo(lcSession) << "uploaded" << batch->size() << "prekeys";
    return {};
}

void Session::onPush(const api::Push& push) {
    if (m_signedOut) {
        return;
    }
    switch (push.kind_case()) {
    case api::Push::kDelivery:
        ++m_receiveCounters.deliveries;
        m_incoming.push_back(push.delivery());
        if (m_awaitingDeliveries > 0) {
            --m_awaitingDeliveries;
        }
        break;
    case api::Push::kPrekeysLow:
        m_refillWanted = true;
        break;
    case api::Push::kDeviceListChanged:
        if (const auto changed =
                detail::idFrom<crypto::RootId>(push.device_list_changed().root_id())) {
            m_devices.erase(*changed);
        }
        break;
    default:
        return;
    }
    scheduleWork();
}

void Session::scheduleWork() {
    if (m_workScheduled || m_signedOut) {
        return;
    }
    m_workScheduled = true;
    QMetaObject::invokeMethod(this, &Session::doWork, Qt::QueuedConnection);
}

void Session::doWork() {
    m_workScheduled = false;
    if (m_working || m_signedOut) {
        return;
    }
    m_working = true;
    if (!m_incoming.empty()) {
        handleDeliveries();
    }
    if (m_loggedIn && m_refillWanted) {
        if (auto refilled = refillPrekeys(); !refilled) {
            qCWarning(lcSession) << "prekey refill failed:" << describe(refilled.error()).data();
        }
    }
    if (m_loggedIn) {
        pumpOutbox();
        if (m_options.prefetchPrekeys) {
            prefetchPrekeys();
        }
    }
    m_working = false;
    if (!m_incoming.empty()) {
        scheduleWork();
    }
}

} // namespace cinder::client
