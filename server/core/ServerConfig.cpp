// SPDX-License-Identifier: Apache-2.0
#include "server/core/ServerConfig.h"

#include "server/core/Log.h"

#include "crypto/Constants.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QUrl>

#include <algorithm>
#include <array>
#include <limits>
#include <tuple>

namespace cinder::server {

QString Endpoint::toString() const {
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    }
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

std::optional<Endpoint> Endpoint::parse(const QString& text) {
    const auto colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0) {
        return std::nullopt;
    }
    QString host = text.left(colon);
    const QString portText = text.mid(colon + 1);
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port > std::numeric_limits<quint16>::max()) {
        return std::nullopt;
    }
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'))) {
        host = host.mid(1, host.size() - 2);
    } else if (host.contains(QLatin1Char(':'))) {
        return std::nullopt; // a bare IPv6 address needs brackets
    }
    QHostAddress address;
    if (host == QLatin1String("localhost")) {
        address = QHostAddress(QHostAddress::LocalHost);
    } else if (!address.setAddress(host)) {
        return std::nullopt;
    }
    return Endpoint{address, static_cast<quint16>(port)};
}

std::optional<DatabaseConfig> DatabaseConfig::parse(const QString& text) {
    DatabaseConfig config;
    if (text.startsWith(QLatin1String("sqlite:"))) {
        config.kind = Kind::Sqlite;
        config.sqlitePath = text.mid(7);
        if (config.sqlitePath.startsWith(QLatin1String("//"))) {
            config.sqlitePath = config.sqlitePath.mid(2); // sqlite://PATH
        }
        if (config.sqlitePath.isEmpty()) {
            return std::nullopt;
        }
        return config;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("postgres") &&
                           url.scheme() != QLatin1String("postgresql"))) {
        return std::nullopt;
    }
    config.kind = Kind::Postgres;
    config.user = url.userName();
    config.password = url.password();
    config.host = url.host();
    const int port = url.port(kDefaultPostgresPort);
    if (port <= 0 || port > std::numeric_limits<quint16>::max()) {
        return std::nullopt;
    }
    config.port = static_cast<quint16>(port);
    config.databaseName = url.path().mid(1);
    if (config.host.isEmpty() || config.databaseName.isEmpty() ||
        config.databaseName.contains(QLatin1Char('/')) || url.hasQuery() || url.hasFragment()) {
        return std::nullopt;
    }
    return config;
}

QString DatabaseConfig::describe() const {
    if (kind == Kind::Sqlite) {
        return QStringLiteral("sqlite:") + sqlitePath;
    }
    const QString userPart = user.isEmpty() ? QString() : user + QLatin1Char('@');
    return QStringLiteral("postgres://%1%2:%3/%4").arg(userPart, host).arg(port).arg(databaseName);
}

QString ServerConfig::loadTlsIdentity() {
    if (certificateFile.isEmpty() || keyFile.isEmpty()) {
        return QStringLiteral("--cert and --key are required (cinder-server --generate-dev-cert "
                              "DIR writes a pair for local use)");
    }
    QFile certFile(certificateFile);
    if (!certFile.open(QIODevice::ReadOnly)) {
        return QStringLiteral("cannot read certificate file %1: %2")
            .arg(certificateFile, certFile.errorString());
    }
    certificateChain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (certificateChain.isEmpty() || certificateChain.first().isNull()) {
        return QStringLiteral("no PEM certificate in %1").arg(certificateFile);
    }
    QFile key(keyFile);
    if (!key.open(QIODevice::ReadOnly)) {
        return QStringLiteral("cannot read key file %1: %2").arg(keyFile, key.errorString());
    }
    const QByteArray keyPem = key.readAll();
    for (const auto algorithm : {QSsl::Ec, QSsl::Rsa}) {
        privateKey = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!privateKey.isNull()) {
            break;
        }
    }
    if (privateKey.isNull()) {
        return QStringLiteral("no unencrypted EC or RSA private key in PEM form in %1")
            .arg(keyFile);
    }
    if (serverName.isEmpty()) {
        const auto& leaf = certificateChain.first();
        const auto dnsNames = leaf.subjectAlternativeNames().values(QSsl::DnsEntry);
        const auto commonNames = leaf.subjectInfo(QSslCertificate::CommonName);
        if (!dnsNames.isEmpty()) {
            serverName = dnsNames.first();
        } else if (!commonNames.isEmpty() && !commonNames.first().isEmpty()) {
            serverName = commonNames.first();
        } else {
            serverName = QStringLiteral("localhost");
        }
    }
    return {};
}

namespace {

constexpr int kMaxMessageTtlDays =
    static_cast<int>(crypto::kMaxDeliveryAgeMs / (24LL * 3600 * 1000));
// The --help text of message-ttl-days below names the cap in words.
static_assert(kMaxMessageTtlDays == 366, "update the help text of --message-ttl-days");

// One setting: its flag, its INI key, the value name and help text shown by --help.
struct OptionSpec {
    const char* flag;
    const char* iniKey; // nullptr: flag only
    const char* valueName;
    const char* help;
};

constexpr std::array s_options{
    OptionSpec{"config", nullptr, "FILE", "Read settings from this INI file; flags override it."},
    OptionSpec{"listen", "server/listen", "ADDR:PORT",
               "WebSocket/TLS listen address (default 127.0.0.1:8443)."},
    OptionSpec{"cert", "server/cert", "FILE", "TLS certificate chain, PEM, leaf first."},
    OptionSpec{"key", "server/key", "FILE", "TLS private key, PEM (EC or RSA, unencrypted)."},
    OptionSpec{"server-name", "server/name", "NAME",
               "Name bound into login proofs (default: the certificate's host name, else "
               "localhost)."},
    OptionSpec{"database", "database/url", "URL",
               "sqlite:PATH (default sqlite:cinder.sqlite) or "
               "postgres://user@host:port/db."},
    OptionSpec{"health", "health/listen", "ADDR:PORT|off",
               "Plain-HTTP /health and /metrics address (default 127.0.0.1:9464)."},
    OptionSpec{"max-connections", "limits/max_connections", "N",
               "Most simultaneous WebSocket connections (default 16384)."},
    OptionSpec{"max-frame-bytes", "limits/max_frame_bytes", "BYTES",
               "Largest accepted message, e.g. 4MiB (default 4 MiB)."},
    OptionSpec{"max-queued-bytes", "limits/max_queued_bytes", "BYTES",
               "Outbound bytes a connection may have waiting before it is cut off as a slow "
               "reader (default 8 MiB)."},
    OptionSpec{"rate-limit", "limits/rate_limit", "RATE[/BURST]|off",
               "Requests per second per connection, and burst (default 100/200)."},
    OptionSpec{"address-rate-limit", "limits/address_rate_limit", "RATE[/BURST]|off",
               "Requests per second per remote address for the verbs that need no login "
               "(default 20/100). Addresses stay in memory only."},
    OptionSpec{"login-timeout", "limits/login_timeout_seconds", "SECONDS",
               "Close a connection that has not logged in and sent nothing for this long "
               "(default 30)."},
    OptionSpec{"shutdown-grace", "server/shutdown_grace_seconds", "SECONDS",
               "On SIGTERM, wait this long for in-flight requests (default 10)."},
    OptionSpec{"message-ttl-days", "relay/message_ttl_days", "DAYS",
               "Delete unacknowledged messages after this many days (default 30, at most 366)."},
    OptionSpec{"prekey-low-threshold", "prekeys/low_threshold", "N",
               "Tell a device to refill when fewer prekeys remain (default 10)."},
    OptionSpec{"generate-dev-cert", nullptr, "DIR",
               "Write a self-signed cert.pem/key.pem for localhost and 127.0.0.1 into DIR, "
               "then exit."},
    OptionSpec{"log-level", "log/level", "LEVEL", "debug, info, warning or error (default info)."},
};

// Sizes: a plain number of bytes or with a KiB/MiB/GiB (or K/M/G) suffix.
std::optional<std::int64_t> parseBytes(QString text) {
    text = text.trimmed();
    std::int64_t unit = 1;
    const std::array<std::pair<const char*, std::int64_t>, 6> suffixes{{
        {"KiB", 1024},
        {"MiB", kMiB},
        {"GiB", 1024 * kMiB},
        {"K", 1024},
        {"M", kMiB},
        {"G", 1024 * kMiB},
    }};
    for (const auto& [suffix, factor] : suffixes) {
        if (text.endsWith(QLatin1String(suffix), Qt::CaseInsensitive)) {
            unit = factor;
            text.chop(static_cast<qsizetype>(qstrlen(suffix)));
            break;
        }
    }
    bool ok = false;
    const qlonglong number = text.trimmed().toLongLong(&ok);
    if (!ok || number <= 0 || number > std::numeric_limits<std::int64_t>::max() / unit) {
        return std::nullopt;
    }
    return number * unit;
}

std::optional<RateLimit> parseRateLimit(const QString& text) {
    if (text == QLatin1String("off") || text == QLatin1String("0")) {
        return RateLimit{};
    }
    const auto parts = text.split(QLatin1Char('/'));
    if (parts.size() > 2) {
        return std::nullopt;
    }
    bool ok = false;
    const double rate = parts[0].toDouble(&ok);
    if (!ok || !(rate > 0) || rate > 1e6) {
        return std::nullopt;
    }
    int burst = static_cast<int>(rate * 2);
    if (parts.size() == 2) {
        burst = parts[1].toInt(&ok);
        if (!ok || burst < 1) {
            return std::nullopt;
        }
    }
    return RateLimit{rate, std::max(1, burst)};
}

std::optional<int> parsePositive(const QString& text, int maximum) {
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 1 || value > maximum) {
        return std::nullopt;
    }
    return value;
}

ConfigOutcome usageError(const QString& message) {
    ConfigOutcome outcome;
    outcome.action = ConfigOutcome::Action::Exit;
    outcome.exitCode = kExitUsage;
    outcome.message = QStringLiteral("cinder-server: %1\nTry 'cinder-server --help'.").arg(message);
    return outcome;
}

} // namespace

ConfigOutcome parseServerConfig(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("cinder-server: the Cinder key directory and store-and-forward relay.\n"
                       "Settings come from --config FILE (INI; the key of each option is shown "
                       "in brackets) and are overridden by flags. See docs/SERVER.md."));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help and exit."));
    const QCommandLineOption versionOption(QStringLiteral("version"),
                                           QStringLiteral("Show the version and exit."));
    parser.addOption(helpOption);
    parser.addOption(versionOption);
    for (const auto& spec : s_options) {
        QString help = QString::fromUtf8(spec.help);
        if (spec.iniKey != nullptr) {
            help += QStringLiteral(" [%1]").arg(QLatin1String(spec.iniKey));
        }
        parser.addOption(QCommandLineOption(QString::fromLatin1(spec.flag), help,
                                            QString::fromLatin1(spec.valueName)));
    }
    if (!parser.parse(arguments)) {
        return usageError(parser.errorText());
    }
    if (!parser.positionalArguments().isEmpty()) {
        return usageError(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    }
    ConfigOutcome outcome;
    if (parser.isSet(helpOption)) {
        outcome.message = parser.helpText();
        return outcome;
    }
    if (parser.isSet(versionOption)) {
        outcome.message =
            QStringLiteral("cinder-server %1").arg(QCoreApplication::applicationVersion());
        return outcome;
    }
    if (parser.isSet(QStringLiteral("generate-dev-cert"))) {
        outcome.action = ConfigOutcome::Action::GenerateDevCert;
        outcome.devCertDir = parser.value(QStringLiteral("generate-dev-cert"));
        if (outcome.devCertDir.isEmpty()) {
            return usageError(QStringLiteral("--generate-dev-cert needs a directory"));
        }
        return outcome;
    }

    ServerConfig& config = outcome.config;
    std::optional<QSettings> settings;
    if (parser.isSet(QStringLiteral("config"))) {
        config.configFile = parser.value(QStringLiteral("config"));
        if (!QFileInfo(config.configFile).isReadable()) {
            return usageError(QStringLiteral("cannot read config file %1").arg(config.configFile));
        }
        settings.emplace(config.configFile, QSettings::IniFormat);
        if (settings->status() != QSettings::NoError) {
            return usageError(
                QStringLiteral("config file %1 is not valid INI").arg(config.configFile));
        }
        for (const QString& key : settings->allKeys()) {
            const bool known = std::any_of(s_options.begin(), s_options.end(), [&](const auto& s) {
                return s.iniKey != nullptr && key == QLatin1String(s.iniKey);
            });
            if (!known && key != QLatin1String("database/password")) {
                return usageError(
                    QStringLiteral("unknown key '%1' in %2").arg(key, config.configFile));
            }
        }
        config.database.password = settings->value(QStringLiteral("database/password")).toString();
    }

    // The value of one option: the flag, else the config file, else nothing.
    QString source;
    auto value = [&](const char* flag) -> std::optional<QString> {
        const QString name = QString::fromLatin1(flag);
        if (parser.isSet(name)) {
            source = QStringLiteral("--") + name;
            return parser.value(name);
        }
        for (const auto& spec : s_options) {
            if (qstrcmp(spec.flag, flag) == 0 && spec.iniKey != nullptr && settings &&
                settings->contains(QLatin1String(spec.iniKey))) {
                source = QLatin1String(spec.iniKey);
                const QVariant raw = settings->value(QLatin1String(spec.iniKey));
                // QSettings splits unquoted values at commas; join them back.
                return raw.typeId() == QMetaType::QStringList
                           ? raw.toStringList().join(QLatin1Char(','))
                           : raw.toString();
            }
        }
        return std::nullopt;
    };
    auto invalid = [&](const QString& text) {
        return usageError(QStringLiteral("invalid value '%1' for %2").arg(text, source));
    };

    if (const auto text = value("listen")) {
        const auto endpoint = Endpoint::parse(*text);
        if (!endpoint) {
            return invalid(*text);
        }
        config.listen = *endpoint;
    }
    if (const auto text = value("cert")) {
        config.certificateFile = *text;
    }
    if (const auto text = value("key")) {
        config.keyFile = *text;
    }
    if (const auto text = value("server-name")) {
        if (text->trimmed().isEmpty()) {
            return invalid(*text);
        }
        config.serverName = text->trimmed();
    }
    if (const auto text = value("database")) {
        const auto database = DatabaseConfig::parse(*text);
        if (!database) {
            return invalid(*text);
        }
        const QString password = config.database.password;
        config.database = *database;
        if (config.database.password.isEmpty()) {
            config.database.password = password;
        }
    }
    if (const auto text = value("health")) {
        if (*text == QLatin1String("off")) {
            config.health.reset();
        } else {
            const auto endpoint = Endpoint::parse(*text);
            if (!endpoint) {
                return invalid(*text);
            }
            config.health = *endpoint;
        }
    }
    if (const auto text = value("max-connections")) {
        const auto number = parsePositive(*text, 1'000'000);
        if (!number) {
            return invalid(*text);
        }
        config.maxConnections = *number;
    }
    if (const auto text = value("max-frame-bytes")) {
        const auto bytes = parseBytes(*text);
        if (!bytes || *bytes < 1024 || *bytes > 1024 * kMiB) {
            return invalid(*text);
        }
        config.maxFrameBytes = *bytes;
    }
    if (const auto text = value("max-queued-bytes")) {
        const auto bytes = parseBytes(*text);
        if (!bytes || *bytes < 1024) {
            return invalid(*text);
        }
        config.maxQueuedBytes = *bytes;
    }
    if (const auto text = value("rate-limit")) {
        const auto limit = parseRateLimit(*text);
        if (!limit) {
            return invalid(*text);
        }
        config.connectionRateLimit = *limit;
    }
    if (const auto text = value("address-rate-limit")) {
        const auto limit = parseRateLimit(*text);
        if (!limit) {
            return invalid(*text);
        }
        config.addressRateLimit = *limit;
    }
    const std::array<std::tuple<const char*, int*, int>, 4> integers{{
        {"login-timeout", &config.loginTimeoutSeconds, 3600},
        {"shutdown-grace", &config.shutdownGraceSeconds, 3600},
        // Receivers refuse a packet older than the protocol's delivery bound and forget its id
        // then (docs/PROTOCOL.md section 8.5): a server must not keep one longer.
        {"message-ttl-days", &config.messageTtlDays, kMaxMessageTtlDays},
        {"prekey-low-threshold", &config.prekeyLowThreshold, 100000},
    }};
    for (const auto& [flag, target, maximum] : integers) {
        if (const auto text = value(flag)) {
            const auto number = parsePositive(*text, maximum);
            if (!number) {
                return invalid(*text);
            }
            *target = *number;
        }
    }
    if (const auto text = value("log-level")) {
        if (!isValidLogLevel(*text)) {
            return invalid(*text);
        }
        config.logLevel = *text;
    }
    if (config.health && config.health->address == config.listen.address &&
        config.health->port == config.listen.port && config.listen.port != 0) {
        return usageError(QStringLiteral("--health and --listen use the same port"));
    }
    if (const QString error = config.loadTlsIdentity(); !error.isEmpty()) {
        return usageError(error);
    }
    outcome.action = ConfigOutcome::Action::Run;
    return outcome;
}

} // namespace cinder::server
