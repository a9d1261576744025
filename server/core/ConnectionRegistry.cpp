// SPDX-License-Identifier: Apache-2.0
#include "server/core/ConnectionRegistry.h"

#include "server/core/ClientConnection.h"
#include "server/core/Log.h"
#include "server/core/Metrics.h"

namespace cinder::server {

void ConnectionRegistry::add(ClientConnection* connection) {
    m_byId.insert(connection->id(), connection);
    Metrics::instance().set(metric::kConnections, count());
}

void ConnectionRegistry::unindex(ClientConnection* connection) {
    const auto indexed = m_indexed.find(connection->id());
    if (indexed == m_indexed.end()) {
        return;
    }
    if (m_byNode.value(indexed->nodeId) == connection) {
        m_byNode.remove(indexed->nodeId);
    }
    m_byRoot.remove(indexed->rootId, connection);
    m_indexed.erase(indexed);
}

void ConnectionRegistry::markAuthenticated(ClientConnection* connection) {
    if (m_byId.value(connection->id()) != connection || !connection->isAuthenticated()) {
        return;
    }
    unindex(connection); // a connection that logs in again, perhaps as another node
    ClientConnection* older = m_byNode.value(connection->nodeId());
    if (older != nullptr) {
        unindex(older);
    }
    m_byNode.insert(connection->nodeId(), connection);
    m_byRoot.insert(connection->rootId(), connection);
    m_indexed.insert(connection->id(), Indexed{connection->nodeId(), connection->rootId()});
    Metrics::instance().set(metric::kAuthenticatedConnections, authenticatedCount());
    if (older != nullptr) {
        qCInfo(lcServer) << "connection" << older->id() << "replaced by connection"
                         << connection->id();
        older->close(QStringLiteral("signed in elsewhere"));
    }
}

void ConnectionRegistry::remove(ClientConnection* connection) {
    if (m_byId.value(connection->id()) != connection) {
        return;
    }
    unindex(connection);
    m_byId.remove(connection->id());
    Metrics::instance().set(metric::kConnections, count());
    Metrics::instance().set(metric::kAuthenticatedConnections, authenticatedCount());
}

ClientConnection* ConnectionRegistry::byId(quint64 connectionId) const {
    return m_byId.value(connectionId);
}

ClientConnection* ConnectionRegistry::byNode(const QByteArray& nodeId) const {
    return m_byNode.value(nodeId);
}

QList<ClientConnection*> ConnectionRegistry::byRoot(const QByteArray& rootId) const {
    return m_byRoot.values(rootId);
}

QList<ClientConnection*> ConnectionRegistry::all() const {
    return m_byId.values();
}

QList<ClientConnection*> ConnectionRegistry::authenticated() const {
    return m_byNode.values();
}

} // namespace cinder::server
