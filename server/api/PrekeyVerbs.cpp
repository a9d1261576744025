// SPDX-License-Identifier: Apache-2.0
// Prekey pools (docs/SERVER.md §9): devices upload signed ephemeral keys in batches; a fetch
// hands each key out once and deletes it; when a pool is empty the device's signed
// last-resort key is returned and the device is told to refill.
#include "server/api/ApiService.h"

#include "cinder/packet.pb.h"
#include "crypto/EphemeralKeyPool.h"
#include "server/api/ApiHelpers.h"
#include "server/api/Background.h"

#include <QPointer>

namespace cinder::server {

namespace {
constexpr int kMaxNodesPerFetch = 1024;

struct VerifiedUpload {
    std::vector<StoredPrekey> prekeys;
    std::optional<QByteArray> lastResort;
    bool ok = false;
};

VerifiedUpload verifyUpload(const crypto::VerifiedNode& owner, const api::UploadPrekeys& body) {
    VerifiedUpload upload;
    std::vector<const crypto::VerifiedNode*> owners(
        static_cast<std::size_t>(body.signed_prekeys_size()), &owner);
    std::vector<crypto::Bytes> signedPrekeys;
    for (const std::string& signedPrekey : body.signed_prekeys()) {
        signedPrekeys.push_back(crypto::toBytes(crypto::asBytes(signedPrekey)));
    }
    auto results = crypto::verifyPrekeys(owners, signedPrekeys);
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i] || results[i]->lastResort()) {
            return upload;
        }
        upload.prekeys.push_back(StoredPrekey{qbytes(crypto::ByteView(results[i]->id())),
                                              qbytes(crypto::ByteView(signedPrekeys[i]))});
    }
    if (!body.last_resort().empty()) {
        auto lastResort =
            crypto::VerifiedPrekey::verify(owner, crypto::asBytes(body.last_resort()));
        if (!lastResort || !lastResort->lastResort()) {
            return upload;
        }
        upload.lastResort = qbytes(body.last_resort());
    }
    upload.ok = true;
    return upload;
}
} // namespace

void ApiService::uploadPrekeys(ClientConnection& connection, const api::Request& request) {
    api::UploadPrekeys body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.signed_prekeys_size() > m_settings.maxPrekeysPerNode) {
        connection.respond(request.id(), api::STATUS_TOO_LARGE, {},
                           QStringLiteral("too many prekeys in one upload"));
        return;
    }
    const auto node = m_nodes.value(connection.id());
    if (!node) {
        connection.respond(request.id(), api::STATUS_UNAUTHENTICATED);
        return;
    }
    const quint64 id = request.id();
    const QByteArray nodeId = connection.nodeId();
    QPointer<ClientConnection> client(&connection);
    runInBackground(
        m_verifiers, client.data(), [node, body] { return verifyUpload(*node, body); },
        [this, client, id, nodeId](VerifiedUpload upload) {
            if (!upload.ok) {
                client->respond(id, api::STATUS_BAD_REQUEST, {},
                                QStringLiteral("a prekey is not signed by this device"));
                return;
            }
            m_storage->run(
                client.data(),
                [nodeId, upload = std::move(upload)](
                    Repository& repository) -> Result<api::PrekeyStatus, StoreError> {
                    auto remaining =
                        repository.addPrekeys(nodeId, upload.prekeys, upload.lastResort);
                    auto lastResort = repository.hasLastResort(nodeId);
                    if (!remaining || !lastResort) {
                        return fail(StoreError::Unavailable);
                    }
                    api::PrekeyStatus status;
                    status.set_remaining(static_cast<quint32>(*remaining));
                    status.set_has_last_resort(*lastResort);
                    return status;
                },
                [client, id](Result<api::PrekeyStatus, StoreError> status) {
                    if (!status) {
                        respondStoreError(*client, id, status.error());
                        return;
                    }
                    client->respond(id, *status);
                });
        });
}

void ApiService::fetchPrekeys(ClientConnection& connection, const api::Request& request) {
    api::FetchPrekeysRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.node_ids_size() > kMaxNodesPerFetch) {
        connection.respond(request.id(), api::STATUS_TOO_LARGE, {},
                           QStringLiteral("too many devices in one fetch"));
        return;
    }
    const auto nodeIds = nodeIdList(body.node_ids());
    if (!nodeIds) {
        badRequest(connection, request, QStringLiteral("node ids are 32 bytes"));
        return;
    }
    const quint64 id = request.id();
    struct Taken {
        QByteArray nodeId;
        PrekeyTake take;
    };
    m_storage->run(
        &connection,
        [nodeIds = *nodeIds](Repository& repository) -> Result<std::vector<Taken>, StoreError> {
            std::vector<Taken> taken;
            for (const QByteArray& nodeId : nodeIds) {
                CINDER_TRY_ASSIGN(auto take, repository.takePrekey(nodeId));
                taken.push_back(Taken{nodeId, std::move(take)});
            }
            return taken;
        },
        [this, client = QPointer<ClientConnection>(&connection),
         id](Result<std::vector<Taken>, StoreError> taken) {
            if (!taken) {
                respondStoreError(*client, id, taken.error());
                return;
            }
            api::FetchPrekeysResponse response;
            for (const Taken& entry : *taken) {
                auto* prekey = response.add_prekeys();
                prekey->set_node_id(stdBytes(entry.nodeId));
                prekey->set_signed_prekey(stdBytes(entry.take.signedPrekey));
                prekey->set_last_resort(entry.take.lastResort);
                if (entry.take.remaining < m_settings.prekeyLowThreshold) {
                    notifyPrekeysLow(entry.nodeId, entry.take.remaining);
                }
            }
            client->respond(id, response);
        });
}

void ApiService::notifyPrekeysLow(const QByteArray& nodeId, int remaining) {
    if (ClientConnection* owner = m_registry.byNode(nodeId)) {
        api::Push push;
        push.mutable_prekeys_low()->set_remaining(static_cast<quint32>(remaining));
        owner->push(push);
    }
    // An offline device learns it from AuthResult.prekeys_low at its next login.
}

} // namespace cinder::server
