// SPDX-License-Identifier: Apache-2.0
#pragma once

// The live connections of this process: all of them by id, the authenticated ones by node id
// (a node has at most one live connection: a newer login closes the older connection) and by
// root id. WebSocketServer keeps it current; handlers read it (e.g. to push a delivery to a
// recipient node that is online here). Lives on the server's thread.

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMultiHash>

namespace cinder::server {

class ClientConnection;

class ConnectionRegistry {
public:
    // --- Kept current by WebSocketServer ---
    void add(ClientConnection* connection);
    // Indexes an authenticated connection by its node and root; closes an older live
    // connection of the same node ("signed in elsewhere").
    void markAuthenticated(ClientConnection* connection);
    void remove(ClientConnection* connection);

    // --- Lookups; pointers are valid until the connection's closed() signal ---
    [[nodiscard]] ClientConnection* byId(quint64 connectionId) const;
    // The live authenticated connection of a node, or null.
    [[nodiscard]] ClientConnection* byNode(const QByteArray& nodeId) const;
    // The live authenticated connections of every node of one root identity.
    [[nodiscard]] QList<ClientConnection*> byRoot(const QByteArray& rootId) const;
    [[nodiscard]] QList<ClientConnection*> all() const;
    [[nodiscard]] QList<ClientConnection*> authenticated() const;
    [[nodiscard]] int count() const { return static_cast<int>(m_byId.size()); }
    [[nodiscard]] int authenticatedCount() const { return static_cast<int>(m_byNode.size()); }

private:
    void unindex(ClientConnection* connection);

    QHash<quint64, ClientConnection*> m_byId;
    QHash<QByteArray, ClientConnection*> m_byNode;
    QMultiHash<QByteArray, ClientConnection*> m_byRoot;
    struct Indexed {
        QByteArray nodeId;
        QByteArray rootId;
    };
    QHash<quint64, Indexed> m_indexed; // connection id -> the keys it is indexed under
};

} // namespace cinder::server
