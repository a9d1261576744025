// SPDX-License-Identifier: Apache-2.0
#pragma once

// The folder that holds one account on one device:
//     vault, store.db*, attachments/   the sealed key and the encrypted store (libcinderstorage)
//     server.ini                       which server, and how it is pinned (nothing secret)
//     downloads/                       partial downloads: blob ciphertext only, for resuming

#include "net/ServerEndpoint.h"

#include <QString>

#include <optional>

namespace cinder::client {

class AccountDirectory {
public:
    explicit AccountDirectory(QString path) : m_path(std::move(path)) {}

    [[nodiscard]] const QString& path() const { return m_path; }
    [[nodiscard]] bool holdsAccount() const;
    // Creates the folder (owner-only permissions) when it does not exist.
    [[nodiscard]] bool ensureExists() const;
    [[nodiscard]] QString downloadsPath() const;

    [[nodiscard]] bool saveServer(const net::ServerEndpoint& endpoint) const;
    [[nodiscard]] std::optional<net::ServerEndpoint> loadServer() const;

private:
    QString m_path;
};

} // namespace cinder::client
