// SPDX-License-Identifier: Apache-2.0
// Store-and-forward relay (docs/SERVER.md §9): a packet is addressed to a list of recipient
// nodes; the server stores one row per node, commits, acknowledges the sender, and pushes to
// connected nodes. A row is deleted only after its recipient node acknowledges it
// (at-least-once; clients drop duplicates by message id) or when it expires.
//
// Per-connection flow: at most maxInFlightPerConnection deliveries are pushed and not yet
// acknowledged; the rest wait in the database, so a slow device never makes the server buffer
// without bound. Deliveries go out in delivery-id order per node: a "pump" reads the pending
// rows from the database; rows committed while the device is idle are pushed directly.
#include "server/api/ApiService.h"

#include "crypto/Constants.h"
#include "crypto/EphemeralityRule.h"
#include "server/api/ApiHelpers.h"
#include "server/core/Metrics.h"

#include <QPointer>

#include <set>

namespace cinder::server {

namespace {
constexpr int kMaxAcksPerRequest = 4096;
constexpr int kMaxFanoutNodes = 4096;

api::Push deliveryPush(const PendingDelivery& row) {
    api::Push push;
    api::Delivery* delivery = push.mutable_delivery();
    delivery->set_delivery_id(row.deliveryId);
    delivery->set_sender_root_id(stdBytes(row.senderRootId));
    delivery->set_sender_node_id(stdBytes(row.senderNodeId));
    delivery->set_packet(stdBytes(row.packet));
    delivery->set_received_at_ms(row.receivedAtMs);
    return push;
}
} // namespace

void ApiService::send(ClientConnection& connection, const api::Request& request) {
    api::SendRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.packet().empty() || body.packet().size() > crypto::kMaxPacketSize) {
        connection.respond(request.id(), api::STATUS_TOO_LARGE, {},
                           QStringLiteral("packet empty or too large"));
        return;
    }
    if (body.recipient_node_ids_size() > static_cast<int>(crypto::kMaxRecipientNodes)) {
        connection.respond(request.id(), api::STATUS_TOO_LARGE, {},
                           QStringLiteral("too many recipients"));
        return;
    }
    std::vector<QByteArray> recipients;
    std::set<QByteArray> seen;
    for (const std::string& nodeId : body.recipient_node_ids()) {
        if (nodeId.size() != crypto::kNodeIdSize) {
            badRequest(connection, request, QStringLiteral("node ids are 32 bytes"));
            return;
        }
        if (seen.insert(qbytes(nodeId)).second) {
            recipients.push_back(qbytes(nodeId));
        }
    }
    // The expiry hint is 0 (none) or a message ttl the ephemerality rule accepts
    // (docs/PROTOCOL.md section 8.4); the server's retention bounds it either way.
    if (const auto ttlValid = crypto::validateRelayTtl(body.ttl_seconds()); !ttlValid) {
        badRequest(connection, request, QString::fromStdString(crypto::describe(ttlValid.error())));
        return;
    }
    const std::int64_t now = nowMs();
    std::int64_t ttlMs = m_settings.messageTtlMs;
    if (body.ttl_seconds() != 0) {
        ttlMs = std::min<std::int64_t>(ttlMs, std::int64_t{body.ttl_seconds()} * 1000);
    }
    NewMessage message{qbytes(body.packet()),
                       connection.rootId(),
                       connection.nodeId(),
                       std::move(recipients),
                       now,
                       now + ttlMs};
    const quint64 id = request.id();
    QPointer<ClientConnection> client(&connection);

    auto enqueue = [this, client, id](NewMessage ready) {
        if (ready.recipientNodeIds.empty()) {
            client->respond(id, api::STATUS_BAD_REQUEST, {}, QStringLiteral("no recipients"));
            return;
        }
        m_storage->enqueue(
            std::move(ready), client.data(),
            [this, client, id](Result<std::vector<PendingDelivery>, StoreError> rows) {
                if (!rows) {
                    respondStoreError(*client, id, rows.error());
                    return;
                }
                Metrics::instance().add(metric::kMessagesRelayed,
                                        static_cast<std::int64_t>(rows->size()));
                api::SendResponse response;
                response.set_queued(static_cast<quint32>(rows->size()));
                client->respond(id, response);
                deliverCommitted(*rows);
            });
    };
    if (body.fanout_id().empty()) {
        enqueue(std::move(message));
        return;
    }
    // Only the sending device's own list: another device's id names nothing here.
    const QByteArray fanoutId = qbytes(body.fanout_id());
    m_storage->run(
        client.data(),
        [owner = connection.nodeId(), fanoutId](Repository& repository) {
            return repository.fanout(owner, fanoutId);
        },
        [client, id, message = std::move(message), enqueue,
         seen](Result<std::vector<QByteArray>, StoreError> members) mutable {
            if (!members) {
                respondStoreError(*client, id, members.error());
                return;
            }
            for (const QByteArray& nodeId : *members) {
                if (nodeId != client->nodeId() && seen.insert(nodeId).second) {
                    message.recipientNodeIds.push_back(nodeId);
                }
            }
            enqueue(std::move(message));
        });
}

void ApiService::deliverCommitted(const std::vector<PendingDelivery>& rows) {
    for (const PendingDelivery& row : rows) {
        ClientConnection* connection = m_registry.byNode(row.recipientNodeId);
        if (connection == nullptr) {
            continue; // kept for the device's next connection
        }
        Flow& flow = m_flows[connection->id()];
        if (!flow.synced || flow.pumping ||
            static_cast<int>(flow.inFlight.size()) >= m_settings.maxInFlightPerConnection) {
            flow.dirty = true;
            if (flow.synced && !flow.pumping &&
                static_cast<int>(flow.inFlight.size()) < m_settings.maxInFlightPerConnection) {
                pump(connection->id());
            }
            continue;
        }
        if (flow.inFlight.insert(row.deliveryId).second) {
            connection->push(deliveryPush(row));
        }
    }
}

void ApiService::pump(quint64 connectionId) {
    ClientConnection* connection = m_registry.byId(connectionId);
    if (connection == nullptr || !connection->isAuthenticated()) {
        return;
    }
    Flow& flow = m_flows[connectionId];
    if (flow.pumping) {
        flow.dirty = true;
        return;
    }
    const int room = m_settings.maxInFlightPerConnection - static_cast<int>(flow.inFlight.size());
    if (room <= 0) {
        flow.dirty = true; // the next acknowledgement pumps again
        return;
    }
    flow.pumping = true;
    flow.dirty = false;
    const QByteArray nodeId = connection->nodeId();
    const int limit = m_settings.maxInFlightPerConnection * 2;
    m_storage->run(
        connection,
        [nodeId, limit](Repository& repository) { return repository.pending(nodeId, 0, limit); },
        [this, connectionId](Result<std::vector<PendingDelivery>, StoreError> rows) {
            ClientConnection* client = m_registry.byId(connectionId);
            if (client == nullptr) {
                return;
            }
            Flow& current = m_flows[connectionId];
            current.pumping = false;
            if (!rows) {
                return; // retried on the next trigger (ack, new delivery, sync)
            }
            current.synced = true;
            for (const PendingDelivery& row : *rows) {
                if (static_cast<int>(current.inFlight.size()) >=
                    m_settings.maxInFlightPerConnection) {
                    current.dirty = true;
                    break;
                }
                if (current.inFlight.insert(row.deliveryId).second) {
                    client->push(deliveryPush(row));
                }
            }
            if (current.dirty) {
                pump(connectionId);
            }
        });
}

void ApiService::acknowledge(ClientConnection& connection, const api::Request& request) {
    api::AckRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.delivery_ids_size() > kMaxAcksPerRequest) {
        connection.respond(request.id(), api::STATUS_TOO_LARGE, {},
                           QStringLiteral("too many acknowledgements in one request"));
        return;
    }
    const std::vector<std::uint64_t> ids(body.delivery_ids().begin(), body.delivery_ids().end());
    const quint64 id = request.id();
    const quint64 connectionId = connection.id();
    const QByteArray nodeId = connection.nodeId();
    // Batched with every other ACK queued meanwhile: one commit (one disk sync) for all.
    m_storage->acknowledge(nodeId, ids, &connection,
                           [this, client = QPointer<ClientConnection>(&connection), id,
                            connectionId, ids](Result<int, StoreError> deleted) {
                               if (!deleted) {
                                   respondStoreError(*client, id, deleted.error());
                                   return;
                               }
                               Metrics::instance().add(metric::kDeliveriesAcknowledged, *deleted);
                               api::AckResponse response;
                               response.set_deleted(static_cast<quint32>(*deleted));
                               client->respond(id, response);
                               Flow& flow = m_flows[connectionId];
                               for (std::uint64_t acknowledged : ids) {
                                   flow.inFlight.erase(acknowledged);
                               }
                               if (flow.dirty) {
                                   pump(connectionId);
                               }
                           });
}

void ApiService::sync(ClientConnection& connection, const api::Request& request) {
    api::SyncRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    // The device asks for everything it has not acknowledged again (it set deliveries aside,
    // e.g. of a contact whose identity changed), including what this connection pushed and the
    // device may still be reading: a client must not ask at every login, or all come twice.
    Flow& flow = m_flows[connection.id()];
    flow.inFlight.clear();
    connection.respond(request.id(), api::Empty());
    pump(connection.id());
}

void ApiService::setFanout(ClientConnection& connection, const api::Request& request) {
    api::FanoutList body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.fanout_id().size() != 32 || body.node_ids_size() > kMaxFanoutNodes) {
        badRequest(connection, request,
                   QStringLiteral("fan-out id must be 32 bytes and list at most 4096 devices"));
        return;
    }
    const auto nodeIds = nodeIdList(body.node_ids());
    if (!nodeIds) {
        badRequest(connection, request, QStringLiteral("node ids are 32 bytes"));
        return;
    }
    const quint64 id = request.id();
    const QByteArray fanoutId = qbytes(body.fanout_id());
    const QByteArray owner = connection.nodeId();
    m_storage->run(
        &connection,
        [owner, fanoutId, nodeIds = *nodeIds](Repository& repository) {
            return repository.setFanout(owner, fanoutId, nodeIds);
        },
        [client = QPointer<ClientConnection>(&connection), id](Result<void, StoreError> saved) {
            if (!saved) {
                respondStoreError(*client, id, saved.error());
                return;
            }
            client->respond(id, api::Empty());
        });
}

} // namespace cinder::server
