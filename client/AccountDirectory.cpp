// SPDX-License-Identifier: Apache-2.0
#include "client/AccountDirectory.h"

#include "storage/KeyVault.h"

#include <QDir>
#include <QFile>
#include <QSettings>

namespace cinder::client {

namespace {
const QString kServerFile = QStringLiteral("server.ini");
} // namespace

bool AccountDirectory::holdsAccount() const {
    return storage::KeyVault::exists(m_path);
}

bool AccountDirectory::ensureExists() const {
    QDir dir(m_path);
    if (!dir.exists() && !QDir().mkpath(m_path)) {
        return false;
    }
    return QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

QString AccountDirectory::downloadsPath() const {
    return QDir(m_path).filePath(QStringLiteral("downloads"));
}

bool AccountDirectory::saveServer(const net::ServerEndpoint& endpoint) const {
    QSettings settings(QDir(m_path).filePath(kServerFile), QSettings::IniFormat);
    settings.setValue(QStringLiteral("server/host"), endpoint.host);
    settings.setValue(QStringLiteral("server/port"), endpoint.port);
    if (endpoint.usesFingerprint()) {
        settings.setValue(QStringLiteral("server/fingerprint"),
                          net::ServerEndpoint::formatFingerprint(endpoint.certificateSha256));
        settings.remove(QStringLiteral("server/ca"));
    } else {
        settings.setValue(QStringLiteral("server/ca"), endpoint.caCertificateFile);
        settings.remove(QStringLiteral("server/fingerprint"));
    }
    settings.sync();
    return settings.status() == QSettings::NoError;
}

std::optional<net::ServerEndpoint> AccountDirectory::loadServer() const {
    const QString file = QDir(m_path).filePath(kServerFile);
    if (!QFile::exists(file)) {
        return std::nullopt;
    }
    QSettings settings(file, QSettings::IniFormat);
    net::ServerEndpoint endpoint;
    endpoint.host = settings.value(QStringLiteral("server/host")).toString();
    bool portOk = false;
    const uint port = settings.value(QStringLiteral("server/port")).toUInt(&portOk);
    if (!portOk || port == 0 || port > 65535) {
        return std::nullopt;
    }
    endpoint.port = static_cast<quint16>(port);
    const QString fingerprint = settings.value(QStringLiteral("server/fingerprint")).toString();
    if (!fingerprint.isEmpty()) {
        const auto parsed = net::ServerEndpoint::parseFingerprint(fingerprint);
        if (!parsed) {
            return std::nullopt;
        }
        endpoint.certificateSha256 = *parsed;
    } else {
        endpoint.caCertificateFile = settings.value(QStringLiteral("server/ca")).toString();
    }
    if (!endpoint.isValid()) {
        return std::nullopt;
    }
    return endpoint;
}

} // namespace cinder::client
