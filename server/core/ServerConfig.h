// SPDX-License-Identifier: Apache-2.0
#pragma once

// cinder-server's configuration: an INI file (--config FILE) overridden by command-line flags.
// Every key and flag is listed in docs/SERVER.md and by `cinder-server --help`.

#include "server/core/TokenBucket.h"

#include <QHostAddress>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace cinder::server {

inline constexpr quint16 kDefaultListenPort = 8443;
inline constexpr quint16 kDefaultHealthPort = 9464;
inline constexpr quint16 kDefaultPostgresPort = 5432;
inline constexpr std::int64_t kMiB = 1024 * 1024;

// The exit code for a configuration or command-line error.
inline constexpr int kExitUsage = 2;

struct Endpoint {
    QHostAddress address;
    quint16 port = 0;

    [[nodiscard]] QString toString() const;
    // "ADDR:PORT", "[v6]:PORT" or "localhost:PORT"; port 0 lets the system choose.
    [[nodiscard]] static std::optional<Endpoint> parse(const QString& text);
};

struct DatabaseConfig {
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    QString sqlitePath = QStringLiteral("cinder.sqlite");
    QString user;
    QString password; // from the URL or [database] password; never logged
    QString host;
    quint16 port = kDefaultPostgresPort;
    QString databaseName;

    // "sqlite:PATH" or "postgres://user[:password]@host[:port]/db" ("postgresql://" too).
    [[nodiscard]] static std::optional<DatabaseConfig> parse(const QString& text);
    // The URL without the password, for logs.
    [[nodiscard]] QString describe() const;
};

struct ServerConfig {
    QString configFile; // --config
    Endpoint listen{QHostAddress(QHostAddress::LocalHost), kDefaultListenPort};
    QString certificateFile; // --cert (PEM, leaf first)
    QString keyFile;         // --key (PEM)
    QString serverName;      // --server-name
    DatabaseConfig database; // --database
    std::optional<Endpoint> health{
        Endpoint{QHostAddress(QHostAddress::LocalHost), kDefaultHealthPort}}; // --health
    int maxConnections = 16384;                                               // --max-connections
    std::int64_t maxFrameBytes = 4 * kMiB;                                    // --max-frame-bytes
    std::int64_t maxQueuedBytes = 8 * kMiB;                                   // --max-queued-bytes
    RateLimit connectionRateLimit{100, 200};                                  // --rate-limit
    RateLimit addressRateLimit{20, 100};       // --address-rate-limit
    int loginTimeoutSeconds = 30;              // --login-timeout
    int shutdownGraceSeconds = 10;             // --shutdown-grace
    int messageTtlDays = 30;                   // --message-ttl-days
    int prekeyLowThreshold = 10;               // --prekey-low-threshold
    QString logLevel = QStringLiteral("info"); // --log-level

    // Loaded from certificateFile/keyFile by loadTlsIdentity().
    QList<QSslCertificate> certificateChain;
    QSslKey privateKey;

    // Reads the certificate chain and key; fills serverName from the certificate (first DNS
    // name, else common name, else "localhost") when it is empty. Returns an error message,
    // empty on success.
    [[nodiscard]] QString loadTlsIdentity();
};

// What the command line asks for.
struct ConfigOutcome {
    enum class Action {
        Run,             // config is complete and its TLS identity is loaded
        GenerateDevCert, // write a development certificate into devCertDir, then exit
        Exit,            // print message (stdout for exitCode 0, else stderr) and exit
    };
    Action action = Action::Exit;
    int exitCode = 0;
    QString message;
    ServerConfig config;
    QString devCertDir;
};

// Parses arguments (argv[0] first) and the config file they name. Never exits the process.
[[nodiscard]] ConfigOutcome parseServerConfig(const QStringList& arguments);

} // namespace cinder::server
