// SPDX-License-Identifier: Apache-2.0
#pragma once

// A stand-in Dispatcher for the transport tests (never part of the server):
//   AUTH_PROOF  body AuthProof: logs the connection in as (root_id, node_id), no checks
//   SEND        body SendRequest: pushes a Delivery to each listed node that is connected
//   BLOB_GET    body BlobGetRequest: answers `length` bytes of 'x'
//   ACK         held until releaseHeld() (an in-flight request for the shutdown test)
//   anything else: STATUS_OK with the request body echoed

#include "cinder/api.pb.h"
#include "server/core/ClientConnection.h"
#include "server/core/ConnectionRegistry.h"
#include "server/core/Dispatcher.h"

#include <QList>
#include <QPointer>

#include <utility>

namespace cinder::server::test {

class EchoDispatcher final : public Dispatcher {
public:
    explicit EchoDispatcher(ConnectionRegistry& registry) : m_registry(registry) {}

    void dispatch(ClientConnection& connection, const api::Request& request) override {
        ++m_dispatched;
        switch (request.verb()) {
        case api::VERB_AUTH_PROOF: {
            api::AuthProof proof;
            if (!proof.ParseFromString(request.body()) || proof.node_id().empty()) {
                connection.respond(request.id(), api::STATUS_BAD_REQUEST);
                return;
            }
            connection.setAuthenticated(QByteArray::fromStdString(proof.root_id()),
                                        QByteArray::fromStdString(proof.node_id()));
            connection.respond(request.id(), api::AuthResult{});
            return;
        }
        case api::VERB_SEND: {
            api::SendRequest send;
            if (!send.ParseFromString(request.body())) {
                connection.respond(request.id(), api::STATUS_BAD_REQUEST);
                return;
            }
            api::SendResponse response;
            for (const auto& node : send.recipient_node_ids()) {
                if (ClientConnection* recipient =
                        m_registry.byNode(QByteArray::fromStdString(node))) {
                    api::Push push;
                    push.mutable_delivery()->set_delivery_id(++m_deliveryId);
                    push.mutable_delivery()->set_packet(send.packet());
                    recipient->push(push);
                    response.set_queued(response.queued() + 1);
                }
            }
            connection.respond(request.id(), response);
            return;
        }
        case api::VERB_BLOB_GET: {
            api::BlobGetRequest get;
            if (!get.ParseFromString(request.body())) {
                connection.respond(request.id(), api::STATUS_BAD_REQUEST);
                return;
            }
            connection.respond(request.id(), api::STATUS_OK,
                               QByteArray(static_cast<qsizetype>(get.length()), 'x'));
            return;
        }
        case api::VERB_ACK:
            m_held.append({QPointer<ClientConnection>(&connection), request.id()});
            return;
        default:
            connection.respond(request.id(), api::STATUS_OK,
                               QByteArray::fromStdString(request.body()));
            return;
        }
    }

    void connectionAuthenticated(ClientConnection& /*connection*/) override { ++m_authenticated; }
    void connectionClosed(ClientConnection& /*connection*/) override { ++m_closed; }

    void drain(std::function<void()> done) override {
        m_drainRequested = true;
        done();
    }

    void releaseHeld() {
        for (const auto& [connection, id] : std::exchange(m_held, {})) {
            if (connection) {
                connection->respond(id, api::STATUS_OK);
            }
        }
    }

    [[nodiscard]] int heldCount() const { return static_cast<int>(m_held.size()); }
    [[nodiscard]] int dispatched() const { return m_dispatched; }
    [[nodiscard]] int authenticatedCount() const { return m_authenticated; }
    [[nodiscard]] int closedCount() const { return m_closed; }
    [[nodiscard]] bool drainRequested() const { return m_drainRequested; }

private:
    ConnectionRegistry& m_registry;
    QList<std::pair<QPointer<ClientConnection>, quint64>> m_held;
    quint64 m_deliveryId = 0;
    int m_dispatched = 0;
    int m_authenticated = 0;
    int m_closed = 0;
    bool m_drainRequested = false;
};

} // namespace cinder::server::test
