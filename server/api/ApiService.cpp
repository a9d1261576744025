// SPDX-License-Identifier: Apache-2.0
#include "server/api/ApiService.h"

#include "server/api/ApiHelpers.h"

namespace cinder::server {

ApiService::ApiService(ApiSettings settings, std::unique_ptr<StorageWorker> storage,
                       ConnectionRegistry& registry)
    : m_settings(std::move(settings)), m_storage(std::move(storage)), m_registry(registry) {
    // Another server process (PostgreSQL scale-out) stored deliveries for a device that may be
    // connected here.
    connect(m_storage.get(), &StorageWorker::deliveriesAvailable, this,
            [this](const QByteArray& nodeId) {
                if (ClientConnection* connection = m_registry.byNode(nodeId)) {
                    pump(connection->id());
                }
            });
}

ApiService::~ApiService() {
    m_verifiers.waitForDone();
    m_storage->stop();
}

bool ApiService::start() {
    return m_storage->start();
}

void ApiService::dispatch(ClientConnection& connection, const api::Request& request) {
    switch (request.verb()) {
    case api::VERB_PING:
        connection.respond(request.id(), api::Empty());
        return;
    case api::VERB_REGISTER:
        registerAccount(connection, request);
        return;
    case api::VERB_AUTH_CHALLENGE:
        authChallenge(connection, request);
        return;
    case api::VERB_AUTH_PROOF:
        authProof(connection, request);
        return;
    case api::VERB_PUBLISH_DEVICE_LIST:
        publishDeviceList(connection, request);
        return;
    case api::VERB_RECOVERY_PARAMETERS:
        recoveryParameters(connection, request);
        return;
    case api::VERB_RECOVERY_FETCH:
        recoveryFetch(connection, request);
        return;
    default:
        break;
    }
    // The transport refuses the verbs below on unauthenticated connections; checked again
    // here because the handlers rely on the connection's identity.
    if (!connection.isAuthenticated()) {
        connection.respond(request.id(), api::STATUS_UNAUTHENTICATED, {},
                           QStringLiteral("log in first"));
        return;
    }
    switch (request.verb()) {
    case api::VERB_GET_PROFILE:
        getProfile(connection, request);
        return;
    case api::VERB_DISCOVER:
        discover(connection, request);
        return;
    case api::VERB_UPLOAD_PREKEYS:
        uploadPrekeys(connection, request);
        return;
    case api::VERB_FETCH_PREKEYS:
        fetchPrekeys(connection, request);
        return;
    case api::VERB_SEND:
        send(connection, request);
        return;
    case api::VERB_ACK:
        acknowledge(connection, request);
        return;
    case api::VERB_SYNC:
        sync(connection, request);
        return;
    case api::VERB_SET_FANOUT:
        setFanout(connection, request);
        return;
    case api::VERB_BLOB_BEGIN:
        blobBegin(connection, request);
        return;
    case api::VERB_BLOB_PUT:
        blobPut(connection, request);
        return;
    case api::VERB_BLOB_STATUS:
        blobStatus(connection, request);
        return;
    case api::VERB_BLOB_GET:
        blobGet(connection, request);
        return;
    default:
        connection.respond(request.id(), api::STATUS_BAD_REQUEST, {},
                           QStringLiteral("unknown verb"));
        return;
    }
}

void ApiService::connectionAuthenticated(ClientConnection& connection) {
    Q_UNUSED(connection); // authProof sets up the flow and pumps after answering
}

void ApiService::connectionClosed(ClientConnection& connection) {
    m_flows.remove(connection.id());
    m_nodes.remove(connection.id());
}

void ApiService::drain(std::function<void()> done) {
    // Jobs already queued finish (and commit) before the storage thread stops.
    m_storage->stop();
    done();
}

} // namespace cinder::server
