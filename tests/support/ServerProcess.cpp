// SPDX-License-Identifier: Apache-2.0
#include "tests/support/ServerProcess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>

#include <algorithm>
#include <utility>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace cinder::test {

namespace {

constexpr int kPortAttempts = 5;    // fresh ports tried when the server cannot bind
constexpr int kRestartAttempts = 5; // same-port attempts on restart (the port may linger)
constexpr int kProbeIntervalMs = 100;

QByteArray readHead(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(64 * 1024);
}

} // namespace

ServerProcess::ServerProcess(QString binary, QStringList extraArguments)
    : m_binary(std::move(binary)), m_extraArguments(std::move(extraArguments)) {}

ServerProcess::~ServerProcess() {
    kill9();
}

QString ServerProcess::dataDir() const {
    return m_dir ? m_dir->path() : QString();
}

QString ServerProcess::databaseUrl() const {
    const qsizetype flag = m_extraArguments.indexOf(QStringLiteral("--database"));
    if (flag >= 0 && flag + 1 < m_extraArguments.size())
        return m_extraArguments.at(flag + 1);
    return QStringLiteral("sqlite:") + QDir(dataDir()).filePath(QStringLiteral("server.db"));
}

QStringList ServerProcess::arguments() const {
    QStringList arguments{
        QStringLiteral("--listen"), QStringLiteral("%1:%2").arg(host()).arg(m_port),
        QStringLiteral("--cert"),   m_certificatePath,
        QStringLiteral("--key"),    m_keyPath};
    if (!m_extraArguments.contains(QStringLiteral("--database")))
        arguments << QStringLiteral("--database") << databaseUrl();
    // The health endpoint's fixed default port would collide between servers run side by side.
    if (!m_extraArguments.contains(QStringLiteral("--health")))
        arguments << QStringLiteral("--health") << QStringLiteral("off");
    return arguments + m_extraArguments;
}

cinder::net::ServerEndpoint ServerProcess::endpoint() const {
    cinder::net::ServerEndpoint endpoint;
    endpoint.host = host();
    endpoint.port = m_port;
    const auto certificates = QSslCertificate::fromPath(m_certificatePath);
    if (!certificates.isEmpty())
        endpoint.certificateSha256 = certificates.first().digest(QCryptographicHash::Sha256);
    return endpoint;
}

bool ServerProcess::isRunning() const {
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 ServerProcess::processId() const {
    return isRunning() ? m_process->processId() : 0;
}

QString ServerProcess::logText() {
    collectOutput();
    return QString::fromUtf8(m_log);
}

void ServerProcess::collectOutput() {
    if (m_process)
        m_log += m_process->readAll();
}

quint16 ServerProcess::findFreePort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

bool ServerProcess::generateCertificate() {
    const QString tlsDir = QDir(dataDir()).filePath(QStringLiteral("tls"));
    QDir().mkpath(tlsDir);
    QProcess generator;
    generator.setProcessChannelMode(QProcess::MergedChannels);
    generator.start(m_binary, {QStringLiteral("--generate-dev-cert"), tlsDir});
    if (!generator.waitForFinished(60000) || generator.exitStatus() != QProcess::NormalExit ||
        generator.exitCode() != 0) {
        m_error = QStringLiteral("--generate-dev-cert failed: %1 %2")
                      .arg(generator.errorString(), QString::fromUtf8(generator.readAll()));
        return false;
    }
    // The file names are the server's business; recognise the files by their PEM contents.
    const QStringList files = QDir(tlsDir).entryList(QDir::Files, QDir::Name);
    for (const QString& name : files) {
        const QString path = QDir(tlsDir).filePath(name);
        const QByteArray head = readHead(path);
        if (head.contains("PRIVATE KEY-----"))
            m_keyPath = path;
        else if (head.contains("-----BEGIN CERTIFICATE-----") && m_certificatePath.isEmpty())
            m_certificatePath = path;
    }
    if (m_certificatePath.isEmpty() || m_keyPath.isEmpty()) {
        m_error =
            QStringLiteral("--generate-dev-cert wrote no PEM certificate and key into ") + tlsDir;
        return false;
    }
    return true;
}

bool ServerProcess::start(int timeoutMs) {
    if (isRunning())
        return true;
    if (!QFile::exists(m_binary)) {
        m_error = QStringLiteral("no server binary at ") + m_binary;
        return false;
    }
    if (!m_dir) {
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid()) {
            m_error = QStringLiteral("cannot create a temporary directory");
            return false;
        }
        m_dir->setAutoRemove(qEnvironmentVariableIntValue("CINDER_KEEP_TEST_DIRS") == 0);
        if (!generateCertificate())
            return false;
    }
    for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
        m_port = findFreePort();
        if (m_port != 0 && launch(timeoutMs))
            return true;
    }
    return false;
}

bool ServerProcess::restart(int timeoutMs) {
    if (!m_dir || m_port == 0)
        return start(timeoutMs);
    if (isRunning())
        kill9();
    for (int attempt = 0; attempt < kRestartAttempts; ++attempt) {
        if (launch(timeoutMs))
            return true;
        QThread::msleep(200);
    }
    return false;
}

bool ServerProcess::launch(int timeoutMs) {
    collectOutput();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(dataDir());
#ifdef Q_OS_LINUX
    // A test that crashes runs no destructor: the kernel stops its server with it, so no orphan
    // keeps the port or, with PostgreSQL, the shared database (the launching thread is the
    // parent here, and tests start servers from their main thread).
    m_process->setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
    m_process->start(m_binary, arguments());
    if (!m_process->waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("cannot start the server: ") + m_process->errorString();
        return false;
    }
    if (waitUntilAcceptingTls(timeoutMs))
        return true;
    if (isRunning())
        kill9();
    collectOutput();
    m_error = QStringLiteral("server on port %1 did not accept TLS connections; log:\n%2")
                  .arg(m_port)
                  .arg(QString::fromUtf8(m_log.right(4000)));
    return false;
}

bool ServerProcess::waitUntilAcceptingTls(int timeoutMs) {
    const int attempts = std::max(1, timeoutMs / kProbeIntervalMs);
    for (int attempt = 0; attempt < attempts; ++attempt) {
        if (!isRunning())
            return false; // e.g. the port was taken after all: the caller tries again
        QSslSocket probe;
        probe.setPeerVerifyMode(QSslSocket::VerifyNone);
        probe.connectToHostEncrypted(host(), m_port);
        if (probe.waitForEncrypted(1000)) {
            probe.disconnectFromHost();
            return true;
        }
        probe.abort();
        collectOutput();
        QThread::msleep(kProbeIntervalMs);
    }
    return false;
}

void ServerProcess::kill9() {
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(kDefaultTimeoutMs);
    }
    collectOutput();
}

int ServerProcess::terminate(int timeoutMs) {
    if (!isRunning())
        return -1;
    m_process->terminate();
    const bool exited = m_process->waitForFinished(timeoutMs);
    collectOutput();
    if (!exited) {
        kill9();
        return -1;
    }
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

} // namespace cinder::test
