// SPDX-License-Identifier: Apache-2.0
#pragma once

// An in-process ServerChannel for testing one role class (client/ServerChannel.h). Calls go to
// an upstream channel (an ApiChannel connected to the real cinder-server) unless the test
// scripted an answer for the verb, and the test may rewrite what the real server answered:
// that is where a hostile server is played. Without an upstream every call must be scripted
// (an unscripted one gets no answer), and open() connects at once.

#include "client/ServerChannel.h"

#include <QMetaObject>

#include <functional>
#include <map>
#include <vector>

namespace cinder::test {

class ChannelDouble final : public client::ServerChannel {
public:
    using Answer = std::function<net::Reply(const QByteArray& request)>;
    using Rewrite = std::function<net::Reply(const QByteArray& request, net::Reply real)>;

    explicit ChannelDouble(client::ServerChannel* upstream = nullptr) : m_upstream(upstream) {
        if (m_upstream != nullptr) {
            connect(m_upstream, &ServerChannel::connected, this, &ServerChannel::connected);
            connect(m_upstream, &ServerChannel::disconnected, this, &ServerChannel::disconnected);
            connect(m_upstream, &ServerChannel::push, this, &ServerChannel::push);
        }
    }

    // The server answers `verb` with this, whatever the real one would say.
    void script(api::Verb verb, Answer answer) { m_answers[verb] = std::move(answer); }
    // The real server's answer to `verb` passes through this first.
    void rewrite(api::Verb verb, Rewrite rewrite) { m_rewrites[verb] = std::move(rewrite); }
    // Every verb called, in order.
    [[nodiscard]] const std::vector<api::Verb>& calls() const { return m_calls; }
    [[nodiscard]] std::size_t callsOf(api::Verb verb) const {
        return static_cast<std::size_t>(std::count(m_calls.begin(), m_calls.end(), verb));
    }

    static net::Reply ok(const google::protobuf::Message& body) {
        net::Reply reply;
        reply.status = api::STATUS_OK;
        reply.body = QByteArray::fromStdString(body.SerializeAsString());
        return reply;
    }
    static net::Reply status(api::Status status) {
        net::Reply reply;
        reply.status = status;
        return reply;
    }

    void open(const net::ServerEndpoint& endpoint,
              const net::ServerConnection::BackOff& backOff) override {
        if (m_upstream != nullptr) {
            m_upstream->open(endpoint, backOff);
            return;
        }
        m_connected = true;
        QMetaObject::invokeMethod(this, &ServerChannel::connected, Qt::QueuedConnection);
    }
    void close() override {
        if (m_upstream != nullptr) {
            m_upstream->close();
        }
        m_connected = false;
    }
    [[nodiscard]] bool isConnected() const override {
        return m_upstream != nullptr ? m_upstream->isConnected() : m_connected;
    }
    [[nodiscard]] QByteArray serverKeySha256() const override {
        return m_upstream != nullptr ? m_upstream->serverKeySha256() : QByteArray();
    }

    using ServerChannel::call;
    [[nodiscard]] net::Reply call(api::Verb verb, const QByteArray& body, int timeoutMs) override {
        m_calls.push_back(verb);
        if (const auto answer = m_answers.find(verb); answer != m_answers.end()) {
            return answer->second(body);
        }
        net::Reply reply;
        reply.transportError = net::ConnectionError::NotConnected;
        if (m_upstream != nullptr) {
            reply = m_upstream->call(verb, body, timeoutMs);
        }
        if (const auto rewrite = m_rewrites.find(verb); rewrite != m_rewrites.end()) {
            return rewrite->second(body, std::move(reply));
        }
        return reply;
    }

private:
    client::ServerChannel* m_upstream = nullptr;
    bool m_connected = false;
    std::map<api::Verb, Answer> m_answers;
    std::map<api::Verb, Rewrite> m_rewrites;
    std::vector<api::Verb> m_calls;
};

} // namespace cinder::test
