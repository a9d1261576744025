// SPDX-License-Identifier: Apache-2.0
#pragma once

// A real cinder-server for tests: started on a free loopback port with a fresh dev certificate
// and a temporary SQLite database (or the database given in the extra arguments), killed and
// its directory removed when this object goes away. Set CINDER_KEEP_TEST_DIRS=1 to keep the
// directory for a post-mortem.

#include "net/ServerEndpoint.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace cinder::test {

class ServerProcess {
public:
    static constexpr int kDefaultTimeoutMs = 30000;

    // `binary` is the cinder-server executable (tests get it as CINDER_SERVER_BINARY);
    // `extraArguments` are appended to every start (e.g. {"--database", "postgres://…"}).
    explicit ServerProcess(QString binary, QStringList extraArguments = {});
    ~ServerProcess();

    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Generates the dev certificate, picks a free port and starts the server; returns once it
    // completes TLS handshakes. On failure returns false and errorString() says why.
    bool start(int timeoutMs = kDefaultTimeoutMs);
    // Starts it again after kill9()/terminate(): same port, same directory, same database.
    bool restart(int timeoutMs = kDefaultTimeoutMs);
    // SIGKILL and wait for the process to be gone.
    void kill9();
    // SIGTERM, wait for exit; returns the exit code, or -1 if it crashed or did not exit in time.
    int terminate(int timeoutMs = kDefaultTimeoutMs);

    [[nodiscard]] bool isRunning() const;
    // The server's process id while it runs (e.g. to read /proc/<pid>/status), else 0.
    [[nodiscard]] qint64 processId() const;
    [[nodiscard]] QString host() const { return QStringLiteral("127.0.0.1"); }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString dataDir() const;
    [[nodiscard]] QString certificatePath() const { return m_certificatePath; }
    [[nodiscard]] QString keyPath() const { return m_keyPath; }
    [[nodiscard]] QString databaseUrl() const;
    [[nodiscard]] QStringList arguments() const; // of the current (or next) run
    // The endpoint a client uses: host, port, and the dev certificate's SHA-256 as the pin.
    [[nodiscard]] cinder::net::ServerEndpoint endpoint() const;
    // Everything the server wrote to stdout and stderr, over all runs so far.
    [[nodiscard]] QString logText();
    [[nodiscard]] QString errorString() const { return m_error; }

private:
    bool generateCertificate();
    bool launch(int timeoutMs);
    bool waitUntilAcceptingTls(int timeoutMs);
    void collectOutput();
    static quint16 findFreePort();

    QString m_binary;
    QStringList m_extraArguments;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_certificatePath;
    QString m_keyPath;
    quint16 m_port = 0;
    QByteArray m_log;
    QString m_error;
};

} // namespace cinder::test
