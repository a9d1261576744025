// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where cinder-server is and how it is pinned: exactly one of a CA/certificate file (the only
// trusted CA; the host name is verified) or the SHA-256 fingerprint of the server's certificate
// (only that certificate is accepted; its host name is not checked).

#include <QByteArray>
#include <QString>

#include <optional>

namespace cinder::net {

struct ServerEndpoint {
    static constexpr qsizetype kFingerprintSize = 32; // SHA-256 of the DER certificate

    QString host;
    quint16 port = 0;
    QString caCertificateFile;    // PEM file with one or more CA (or self-signed) certificates
    QByteArray certificateSha256; // raw 32 bytes
    // What the account enrolled with (client/Enrollment.cpp, docs/PROTOCOL.md §7.6), checked on
    // every connection; empty when not pinned. Kept in the account's store, not in server.ini.
    QByteArray publicKeySha256; // SHA-256 of the server certificate's SubjectPublicKeyInfo, DER
    QString serverName;         // the name the server's login challenges carry

    // Parses "AB:CD:…" or plain hex (either case) into 32 raw bytes.
    [[nodiscard]] static std::optional<QByteArray> parseFingerprint(const QString& text);
    // Lower-case hex with colons, for configuration files and messages.
    [[nodiscard]] static QString formatFingerprint(const QByteArray& sha256);

    [[nodiscard]] bool usesFingerprint() const { return !certificateSha256.isEmpty(); }
    // True when host, port and exactly one well-formed pin are set (the CA file is read later),
    // and a public key pin, when set, is 32 bytes.
    [[nodiscard]] bool isValid() const;
};

} // namespace cinder::net
