// SPDX-License-Identifier: Apache-2.0
#pragma once

// The verbs of the client-server API (proto/cinder/api.proto): the server side of accounts,
// device lists, login, recovery, directory, prekeys, relay, fan-out and blobs. Every
// signature is checked off the network thread; every write is committed by the storage
// thread before the client hears "ok".

#include "cinder/api.pb.h"
#include "crypto/NodeCertificate.h"
#include "server/core/ConnectionRegistry.h"
#include "server/core/Dispatcher.h"
#include "server/storage/StorageWorker.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>

namespace cinder::server {

struct ApiSettings {
    QString serverName = QStringLiteral("localhost");
    std::int64_t messageTtlMs = 30LL * 24 * 3600 * 1000;
    int prekeyLowThreshold = 10;
    int maxPrekeysPerNode = 1000;
    int maxInFlightPerConnection = 256; // pushed but not yet acknowledged
    int discoveryHashesPerHour = 2000;
    std::int64_t blobTtlMs = 30LL * 24 * 3600 * 1000;
    std::uint64_t maxBlobSize = 4ULL * 1024 * 1024 * 1024;
};

class ApiService final : public QObject, public Dispatcher {
    Q_OBJECT
public:
    ApiService(ApiSettings settings, std::unique_ptr<StorageWorker> storage,
               ConnectionRegistry& registry);
    ~ApiService() override;

    bool start();

    void dispatch(ClientConnection& connection, const api::Request& request) override;
    void connectionAuthenticated(ClientConnection& connection) override;
    void connectionClosed(ClientConnection& connection) override;
    void drain(std::function<void()> done) override;

private:
    // Accounts, devices, login, recovery.
    void registerAccount(ClientConnection& connection, const api::Request& request);
    void publishDeviceList(ClientConnection& connection, const api::Request& request);
    void authChallenge(ClientConnection& connection, const api::Request& request);
    void authProof(ClientConnection& connection, const api::Request& request);
    void recoveryParameters(ClientConnection& connection, const api::Request& request);
    void recoveryFetch(ClientConnection& connection, const api::Request& request);
    // Directory.
    void getProfile(ClientConnection& connection, const api::Request& request);
    void discover(ClientConnection& connection, const api::Request& request);
    // Prekeys.
    void uploadPrekeys(ClientConnection& connection, const api::Request& request);
    void fetchPrekeys(ClientConnection& connection, const api::Request& request);
    // Relay.
    void send(ClientConnection& connection, const api::Request& request);
    void acknowledge(ClientConnection& connection, const api::Request& request);
    void sync(ClientConnection& connection, const api::Request& request);
    void setFanout(ClientConnection& connection, const api::Request& request);
    // Blobs.
    void blobBegin(ClientConnection& connection, const api::Request& request);
    void blobPut(ClientConnection& connection, const api::Request& request);
    void blobStatus(ClientConnection& connection, const api::Request& request);
    void blobGet(ClientConnection& connection, const api::Request& request);

    // Pushes the connection's pending deliveries in order, at most maxInFlight unacknowledged.
    void pump(quint64 connectionId);
    void deliverCommitted(const std::vector<PendingDelivery>& rows);
    void notifyPrekeysLow(const QByteArray& nodeId, int remaining);
    void closeRemovedNodes(const std::vector<QByteArray>& nodeIds);
    void rememberVerifiedCertificate(const std::shared_ptr<crypto::VerifiedNode>& node,
                                     const QByteArray& rootPublicKey);

    struct Flow {
        std::set<std::uint64_t> inFlight; // pushed, not yet acknowledged
        bool pumping = false;
        bool dirty = false; // something arrived while pumping: pump again
        bool synced = false;
    };

    ApiSettings m_settings;
    QThreadPool m_verifiers; // signature checks; joined before the storage thread stops
    std::unique_ptr<StorageWorker> m_storage;
    ConnectionRegistry& m_registry;
    QHash<quint64, Flow> m_flows;
    // The verified device behind each authenticated connection (its certificate was checked
    // at login; prekey uploads are verified against it).
    QHash<quint64, std::shared_ptr<crypto::VerifiedNode>> m_nodes;
    // Node certificates already verified, by node id; reused only for identical bytes.
    struct VerifiedCertificate {
        QByteArray certificate;
        QByteArray rootPublicKey;
        std::shared_ptr<crypto::VerifiedNode> node;
    };
    QHash<QByteArray, VerifiedCertificate> m_verifiedCertificates;
    struct DiscoveryBudget {
        std::int64_t windowStartMs = 0;
        int used = 0;
    };
    QHash<QByteArray, DiscoveryBudget> m_discovery;
};

} // namespace cinder::server
