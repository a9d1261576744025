// SPDX-License-Identifier: Apache-2.0
// cinder-server: wires the configuration, the API dispatcher, the TLS WebSocket listener, the
// health endpoint and graceful shutdown. Everything else lives in the libraries.

#include "server/api/ApiDispatcher.h"
#include "server/core/ConnectionRegistry.h"
#include "server/core/DevCertificate.h"
#include "server/core/HealthEndpoint.h"
#include "server/core/Log.h"
#include "server/core/ServerConfig.h"
#include "server/core/ShutdownSignals.h"
#include "server/core/WebSocketServer.h"

#include <QCoreApplication>
#include <QDir>

#include <cstdio>
#include <memory>
#include <optional>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif
#ifdef Q_OS_LINUX
#include "server/core/EpollEventDispatcher.h"
#endif

using namespace cinder::server;

namespace {

constexpr int kExitStartupFailure = 1;

void print(FILE* stream, const QString& text) {
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stream);
    if (!bytes.endsWith('\n')) {
        std::fputc('\n', stream);
    }
}

} // namespace

// Each connection is a file descriptor: lift the soft limit towards the hard one so that
// --max-connections is reachable without the operator's ulimit (systemd's LimitNOFILE still
// sets the ceiling).
static void raiseOpenFileLimit(int maxConnections) {
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    const rlim_t wanted = static_cast<rlim_t>(maxConnections) + 256; // sockets + files + database
    if (limit.rlim_cur >= wanted) {
        return;
    }
    const rlim_t target =
        limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (target > limit.rlim_cur) {
        limit.rlim_cur = target;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < wanted) {
        qCWarning(lcServer) << "open-file limit" << static_cast<qulonglong>(limit.rlim_cur)
                            << "is below --max-connections; raise it (ulimit -n, LimitNOFILE)";
    }
#else
    Q_UNUSED(maxConnections);
#endif
}

// The network thread waits with epoll (EpollEventDispatcher) unless CINDER_EVENT_LOOP=qt asks
// for Qt's own dispatcher, for comparison. Must run before the application object exists.
static void installEventDispatcher() {
#ifdef Q_OS_LINUX
    if (auto dispatcher = EpollEventDispatcher::createUnlessDisabled())
        QCoreApplication::setEventDispatcher(dispatcher.release());
#endif
}

int main(int argc, char* argv[]) {
    ShutdownSignals::blockInAllThreads();
    installEventDispatcher();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cinder-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CINDER_VERSION));

    ConfigOutcome outcome = parseServerConfig(QCoreApplication::arguments());
    switch (outcome.action) {
    case ConfigOutcome::Action::Exit:
        print(outcome.exitCode == 0 ? stdout : stderr, outcome.message);
        return outcome.exitCode;
    case ConfigOutcome::Action::GenerateDevCert:
        if (const QString error = generateDevCertificate(outcome.devCertDir); !error.isEmpty()) {
            print(stderr, QStringLiteral("cinder-server: ") + error);
            return kExitStartupFailure;
        }
        print(stdout, QStringLiteral("wrote %1 and %2 (self-signed, localhost and 127.0.0.1)")
                          .arg(QDir(outcome.devCertDir).filePath(QStringLiteral("cert.pem")),
                               QDir(outcome.devCertDir).filePath(QStringLiteral("key.pem"))));
        return 0;
    case ConfigOutcome::Action::Run:
        break;
    }
    const ServerConfig& config = outcome.config;
    applyLogLevel(config.logLevel);
    raiseOpenFileLimit(config.maxConnections);

    ShutdownSignals shutdownSignals;
    ConnectionRegistry registry;
    std::unique_ptr<Dispatcher> dispatcher = makeApiDispatcher(config, registry);
    if (!dispatcher) {
        qCCritical(lcServer) << "the API dispatcher could not start";
        return kExitStartupFailure;
    }
    WebSocketServer server(config, *dispatcher, registry);
    std::optional<HealthEndpoint> health;
    if (config.health) {
        health.emplace([&] { return !server.isShuttingDown() && dispatcher->healthy(); });
        if (const QString error = health->listen(*config.health); !error.isEmpty()) {
            qCCritical(lcServer).noquote() << error;
            return kExitStartupFailure;
        }
    }
    if (const QString error = server.listen(); !error.isEmpty()) {
        qCCritical(lcServer).noquote() << error;
        return kExitStartupFailure;
    }
    qCInfo(lcServer).noquote() << "listening on" << config.listen.toString() << "as"
                               << config.serverName << "with" << config.database.describe()
                               << (config.health ? "health on " + config.health->toString()
                                                 : QStringLiteral("no health endpoint"));

    QObject::connect(&shutdownSignals, &ShutdownSignals::received, &app, [&](int signalNumber) {
        if (server.isShuttingDown()) {
            qCWarning(lcServer) << "second signal" << signalNumber << "- exiting now";
            QCoreApplication::exit(kExitStartupFailure);
            return;
        }
        qCInfo(lcServer) << "signal" << signalNumber << "- shutting down";
        server.shutdown();
    });
    QObject::connect(&server, &WebSocketServer::stopped, &app, [] { QCoreApplication::exit(0); });
    return QCoreApplication::exec();
}
