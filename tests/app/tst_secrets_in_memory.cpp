// SPDX-License-Identifier: Apache-2.0
// Secrets leave memory when the app locks (docs/ARCHITECTURE.md, "Secrets in memory").
//
// The test runs this same program a second time as a child that plays the desktop app's
// controller layer (app/AppController, the C++ API the QML calls) against a real cinder-server on
// loopback: it reads a random passphrase from stdin (never argv or the environment), hands it to
// the controller as the QString a text field would give, creates the account, locks, unlocks,
// locks again, and then waits. The parent reads the child's whole memory (/proc/<pid>/maps and
// /proc/<pid>/mem) and looks for the passphrase (UTF-8 and UTF-16, the QString form) and for the
// local storage key Klds (raw, and as the hex of a SQLCipher key pragma), which it obtains by
// unsealing the account's vault itself with storage::KeyVault.
//
// What the child does with the passphrase stands for what the app does not control: it reads
// stdin into a buffer it wipes, and overwrites the QString it passed once the controller call has
// returned (a QML text field keeps its own copies; see docs/ARCHITECTURE.md). If the controller
// kept a reference to that QString, the overwrite would detach and leave the original behind, and
// the scan would find it.

#include "ServerProcess.h"

#if defined(__has_feature)
#define CINDER_HAS_ADDRESS_SANITIZER __has_feature(address_sanitizer)
#else
#define CINDER_HAS_ADDRESS_SANITIZER 0
#endif

#include "app/AppController.h"
#include "crypto/Random.h"
#include "crypto/SecureBuffer.h"
#include "storage/KeyVault.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QGuiApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <array>
#include <cstdio>
#include <cstring>
#include <functional>

#include <fcntl.h>
#include <unistd.h>

using namespace cinder;
using cinder::test::ServerProcess;

namespace {

constexpr int kWaitMs = 60000;
constexpr const char* kChildFlag = "--memory-scan-child";

bool waitFor(const std::function<bool()>& done, int timeoutMs = kWaitMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return done();
}

client::SessionOptions fastOptions() {
    client::SessionOptions options;
    options.vaultCost = {10, 8, 1};
    options.recoveryCost = {10, 8, 1};
    options.backOff = {100, 1000, 2.0, 0.5};
    options.prekeyBatch = 20;
    return options;
}

// --- The child: the app's controller layer ---

// One passphrase line from stdin, as the QString a text field would hand over. The read buffer is
// wiped here; the QString is the caller's to wipe.
QString readPassphraseLine() {
    std::array<char, 256> line{};
    std::size_t length = 0;
    char c = 0;
    while (length < line.size() && ::read(STDIN_FILENO, &c, 1) == 1 && c != '\n') {
        line[length++] = c;
    }
    QString text = QString::fromUtf8(line.data(), static_cast<qsizetype>(length));
    crypto::secureWipe(line.data(), line.size());
    c = 0;
    return text;
}

// Overwrites the characters of a QString this code owns (detaching it first if it is shared).
void wipe(QString& text) {
    if (!text.isEmpty()) {
        QChar* data = text.data();
        crypto::secureWipe(data, static_cast<std::size_t>(text.size()) * sizeof(QChar));
    }
    text.clear();
}

bool waitForState(app::AppController& controller, app::AppController::State state) {
    return waitFor([&] { return controller.state() == state && !controller.busy(); });
}

bool lockAndWait(app::AppController& controller) {
    bool stopped = false;
    QObject::connect(controller.host(), &app::SessionHost::sessionStopped, &controller,
                     [&stopped] { stopped = true; });
    controller.lock();
    return waitFor([&] { return stopped; }) &&
           controller.state() == app::AppController::State::Locked;
}

int runChild(const QStringList& args) {
    // args: profile directory, host, port, certificate pin (hex)
    if (args.size() != 4) {
        return 2;
    }
    net::ServerEndpoint server;
    server.host = args[1];
    server.port = static_cast<quint16>(args[2].toUInt());
    server.certificateSha256 = QByteArray::fromHex(args[3].toLatin1());

    app::AppController controller(nullptr);
    controller.configure(args[0], server, fastOptions());

    QString passphrase = readPassphraseLine();
    controller.createAccount(QStringLiteral("memscan"), passphrase);
    wipe(passphrase);
    if (!waitForState(controller, app::AppController::State::PolicyPending)) {
        std::fprintf(stderr, "child: account not created: %s\n",
                     qPrintable(controller.errorText()));
        return 3;
    }
    controller.acknowledgePolicy();
    if (!waitForState(controller, app::AppController::State::Ready) || !lockAndWait(controller)) {
        std::fprintf(stderr, "child: could not lock after creating\n");
        return 4;
    }

    passphrase = readPassphraseLine();
    controller.unlock(passphrase);
    wipe(passphrase);
    if (!waitForState(controller, app::AppController::State::Ready) ||
        !waitFor([&] { return controller.online(); }) || !lockAndWait(controller)) {
        std::fprintf(stderr, "child: could not unlock and lock: %s\n",
                     qPrintable(controller.errorText()));
        return 5;
    }

    std::fputs("locked\n", stdout);
    std::fflush(stdout);
    // Stays as it is (locked, event loop idle) until the parent has read its memory.
    char c = 0;
    while (::read(STDIN_FILENO, &c, 1) == 1) {
    }
    return 0;
}

// --- The parent: reads the child's memory ---

struct Needle {
    QString name;
    QByteArray bytes;
};

// The stack pointer of each thread of `pid` (from /proc/<pid>/task/<tid>/syscall) with the
// thread's name, so a finding in an anonymous mapping can say whose stack it is.
std::vector<std::pair<quint64, QString>> threadStacks(qint64 pid) {
    std::vector<std::pair<quint64, QString>> stacks;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile syscall(tasks.filePath(tid + QStringLiteral("/syscall")));
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!syscall.open(QIODevice::ReadOnly) || !comm.open(QIODevice::ReadOnly)) {
            continue;
        }
        const QList<QByteArray> fields = syscall.readAll().simplified().split(' ');
        if (fields.size() >= 9) {
            stacks.emplace_back(fields[7].toULongLong(nullptr, 16),
                                QString::fromLocal8Bit(comm.readAll().trimmed()));
        }
    }
    return stacks;
}

// Every place in the readable mappings of `pid` where a needle occurs: "name in [region]".
QStringList scanMemory(qint64 pid, const std::vector<Needle>& needles) {
    QStringList found;
    const auto stacks = threadStacks(pid);
    QFile maps(QStringLiteral("/proc/%1/maps").arg(pid));
    if (!maps.open(QIODevice::ReadOnly)) {
        return {QStringLiteral("cannot read /proc/%1/maps").arg(pid)};
    }
    const QList<QByteArray> lines = maps.readAll().split('\n');
    const int mem = ::open(QStringLiteral("/proc/%1/mem").arg(pid).toLocal8Bit().constData(),
                           O_RDONLY | O_CLOEXEC);
    if (mem < 0) {
        return {QStringLiteral("cannot open /proc/%1/mem").arg(pid)};
    }
    qint64 scanned = 0;
    for (const QByteArray& line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 2 || !fields[1].startsWith('r')) {
            continue;
        }
        const QList<QByteArray> range = fields[0].split('-');
        const quint64 begin = range.value(0).toULongLong(nullptr, 16);
        const quint64 end = range.value(1).toULongLong(nullptr, 16);
        QString region =
            fields.size() >= 6 ? QString::fromLocal8Bit(fields[5]) : QStringLiteral("anonymous");
        for (const auto& [sp, thread] : stacks) {
            if (sp >= begin && sp < end) {
                region = QStringLiteral("stack of thread '%1'").arg(thread);
            }
        }
        QByteArray data(static_cast<qsizetype>(end - begin), '\0');
        const ssize_t got = ::pread(mem, data.data(), static_cast<std::size_t>(data.size()),
                                    static_cast<off_t>(begin));
        if (got <= 0) {
            continue; // [vvar] and guard pages cannot be read
        }
        data.truncate(got);
        scanned += got;
        for (const Needle& needle : needles) {
            for (qsizetype at = data.indexOf(needle.bytes); at >= 0;
                 at = data.indexOf(needle.bytes, at + 1)) {
                found.append(QStringLiteral("%1 at 0x%2 in %3 (%4)")
                                 .arg(needle.name)
                                 .arg(begin + static_cast<quint64>(at), 0, 16)
                                 .arg(region, QString::fromLatin1(fields[0])));
            }
        }
    }
    ::close(mem);
    if (scanned == 0) {
        found.append(QStringLiteral("nothing of the child's memory could be read"));
    }
    return found;
}

QByteArray bytesOf(crypto::ByteView view) {
    return QByteArray(reinterpret_cast<const char*>(view.data()),
                      static_cast<qsizetype>(view.size()));
}

} // namespace

class SecretsInMemoryTest : public QObject {
    Q_OBJECT

private slots:
    void passphraseAndStorageKeyAreGoneAfterLock() {
#if defined(__SANITIZE_ADDRESS__) || CINDER_HAS_ADDRESS_SANITIZER
        // The scan reads each readable mapping of the child whole; AddressSanitizer's shadow
        // mappings are terabytes of reserved address space. The ci preset runs this test.
        QSKIP("SKIPPED under AddressSanitizer: its shadow memory cannot be scanned; the memory "
              "scan runs in the ci preset");
#endif
        ServerProcess server{QStringLiteral(CINDER_SERVER_BINARY)};
        QVERIFY2(server.start(), "cinder-server did not start");
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString profile = home.filePath(QStringLiteral("profile"));
        const net::ServerEndpoint endpoint = server.endpoint();

        // Random each run, so nothing else in the child can match it by chance; "ü" makes the
        // UTF-8 and UTF-16 forms differ from a Latin-1 copy.
        const QString passphrase =
            QStringLiteral("Glühwein ") + QString::fromLatin1(QByteArray::fromStdString(
                                              crypto::toHex(crypto::systemRandom().bytes(16))));
        const QByteArray utf8 = passphrase.toUtf8();

        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {QString::fromLatin1(kChildFlag), profile, endpoint.host,
                     QString::number(endpoint.port),
                     QString::fromLatin1(endpoint.certificateSha256.toHex())});
        QVERIFY(child.waitForStarted());
        child.write(utf8 + '\n' + utf8 + '\n'); // create, then unlock
        QVERIFY(waitFor([&] { return child.canReadLine() || child.state() != QProcess::Running; }));
        QCOMPARE(child.readLine().trimmed(), QByteArray("locked"));

        auto vault = storage::KeyVault::unlock(profile, crypto::asBytes(utf8.toStdString()));
        QVERIFY(vault.ok());
        const QByteArray klds = bytesOf(vault->klds.view());
        QCOMPARE(klds.size(), 32);

        const QByteArray utf16(reinterpret_cast<const char*>(passphrase.utf16()),
                               passphrase.size() * 2);
        const std::vector<Needle> needles{
            {QStringLiteral("passphrase (UTF-8)"), utf8},
            {QStringLiteral("passphrase (UTF-16)"), utf16},
            {QStringLiteral("Klds"), klds},
            {QStringLiteral("Klds (hex)"), klds.toHex()},
            {QStringLiteral("Klds (HEX)"), klds.toHex().toUpper()},
        };
        const QStringList found = scanMemory(child.processId(), needles);

        child.closeWriteChannel();
        if (!child.waitForFinished(10000)) {
            child.kill();
            child.waitForFinished();
        }
        if (!found.isEmpty()) {
            qWarning().noquote() << "found after lock:\n  " + found.join(QStringLiteral("\n  "));
        }
        QVERIFY2(found.isEmpty(), "a secret is still in the locked app's memory");
    }
};

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], kChildFlag) == 0) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        QGuiApplication app(argc, argv);
        QStringList args = QCoreApplication::arguments();
        args = args.mid(2);
        return runChild(args);
    }
    QCoreApplication app(argc, argv);
    SecretsInMemoryTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secrets_in_memory.moc"
