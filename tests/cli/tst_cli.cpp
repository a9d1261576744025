// SPDX-License-Identifier: Apache-2.0
// cinder-cli as scripts use it: the real binary, run with QProcess against a real cinder-server
// on loopback, each user in their own --home. Covers account creation, --json output, sending
// and listening, a wrong passphrase, QR verification, rooms, a file round trip with a hostile
// file name, --help, a message written while the server is down, and messages read once after
// waiting on the server.
#include "tests/support/ServerProcess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using cinder::test::ServerProcess;

namespace {

constexpr int kProcessTimeoutMs = 120000;
const QByteArray kPassphrase = "correct horse battery staple";

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    // Every stdout line as a JSON object; an empty list when a line is not one.
    [[nodiscard]] QList<QJsonObject> json() const {
        QList<QJsonObject> objects;
        for (const QByteArray& line : out.split('\n')) {
            if (line.trimmed().isEmpty()) {
                continue;
            }
            QJsonParseError error{};
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !document.isObject()) {
                return {};
            }
            objects.append(document.object());
        }
        return objects;
    }
    [[nodiscard]] QString describe() const {
        return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
            .arg(exitCode)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void helpListsExitCodes();
    void jsonOutputParses();
    void sendAndListen();
    void wrongPassphraseChangesNothing();
    void verifyByQrCode();
    void roomsCreateAndMembers();
    void fileRoundTripWithHostileName();
    void messageWrittenOfflineIsDeliveredLater();
    void queuedMessagesAreReadOnce();
    void editReactTimersAndSecondDevice();
    void sendingNeedsThePolicyAcknowledged();

private:
    [[nodiscard]] QString home(const QString& user) const { return m_dir.filePath(user); }
    [[nodiscard]] QStringList serverArguments() const;
    std::unique_ptr<QProcess> start(const QString& user, const QStringList& arguments,
                                    const QByteArray& passphrase = kPassphrase);
    static Run finish(QProcess& process);
    Run cli(const QString& user, const QStringList& arguments,
            const QByteArray& passphrase = kPassphrase);
    // Hashes of every file under a directory, by relative path.
    static QMap<QString, QByteArray> snapshot(const QString& directory);

    std::unique_ptr<ServerProcess> m_server;
    QTemporaryDir m_dir;
};

QStringList TestCli::serverArguments() const {
    return {QStringLiteral("--server"),
            QStringLiteral("%1:%2").arg(m_server->host()).arg(m_server->port()),
            QStringLiteral("--fingerprint"),
            QString::fromLatin1(m_server->endpoint().certificateSha256.toHex()),
            QStringLiteral("--vault-cost"),
            QStringLiteral("10"),
            QStringLiteral("--recovery-cost"),
            QStringLiteral("10")};
}

std::unique_ptr<QProcess> TestCli::start(const QString& user, const QStringList& arguments,
                                         const QByteArray& passphrase) {
    auto process = std::make_unique<QProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("CINDER_HOME"));
    environment.remove(QStringLiteral("QT_LOGGING_RULES"));
    environment.insert(QStringLiteral("CINDER_PASSPHRASE"), QString::fromUtf8(passphrase));
    process->setProcessEnvironment(environment);
    process->setProgram(QStringLiteral(CINDER_CLI_BINARY));
    process->setArguments(QStringList{QStringLiteral("--home"), home(user)} + arguments);
    process->start();
    return process;
}

Run TestCli::finish(QProcess& process) {
    Run run;
    if (!process.waitForFinished(kProcessTimeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

Run TestCli::cli(const QString& user, const QStringList& arguments, const QByteArray& passphrase) {
    auto process = start(user, arguments, passphrase);
    return finish(*process);
}

QMap<QString, QByteArray> TestCli::snapshot(const QString& directory) {
    QMap<QString, QByteArray> files;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            files.insert(QDir(directory).relativeFilePath(path),
                         QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256));
        }
    }
    return files;
}

void TestCli::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_dir.setAutoRemove(qEnvironmentVariableIntValue("CINDER_KEEP_TEST_DIRS") == 0);
    m_server = std::make_unique<ServerProcess>(QStringLiteral(CINDER_SERVER_BINARY));
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));

    for (const QString user :
         {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}) {
        const Run run =
            cli(user, QStringList{QStringLiteral("--json"), QStringLiteral("init")} +
                          serverArguments() + QStringList{QStringLiteral("--username"), user});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const auto objects = run.json();
        QCOMPARE(objects.size(), 1);
        QCOMPARE(objects[0].value(QStringLiteral("username")).toString(), user);
        // Nothing is sent before the ephemerality policy is acknowledged on the device.
        const Run policy = cli(user, {QStringLiteral("policy"), QStringLiteral("acknowledge")});
        QVERIFY2(policy.exitCode == 0, qPrintable(policy.describe()));
    }
    // A second init in the same home is refused and leaves the account alone.
    const Run again = cli(QStringLiteral("alice"),
                          QStringList{QStringLiteral("init")} + serverArguments() +
                              QStringList{QStringLiteral("--username"), QStringLiteral("alice2")});
    QCOMPARE(again.exitCode, 1);
}

void TestCli::helpListsExitCodes() {
    const Run run = cli(QStringLiteral("alice"), {QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    const QString text = QString::fromUtf8(run.out);
    QVERIFY(text.contains(QStringLiteral("Exit codes")));
    for (int code = 0; code <= 8; ++code) {
        QVERIFY2(text.contains(QStringLiteral("\n  %1  ").arg(code)), qPrintable(text));
    }
    for (const char* command :
         {"init", "login", "unlock", "whoami", "contacts", "verify", "send", "listen", "messages",
          "rooms", "files", "devices", "settings", "policy"}) {
        QVERIFY2(text.contains(QLatin1String(command)), command);
    }
    const Run unknown = cli(QStringLiteral("alice"), {QStringLiteral("frobnicate")});
    QCOMPARE(unknown.exitCode, 1);
}

void TestCli::jsonOutputParses() {
    const Run whoami =
        cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("whoami")});
    QVERIFY2(whoami.exitCode == 0, qPrintable(whoami.describe()));
    const auto objects = whoami.json();
    QCOMPARE(objects.size(), 1);
    QCOMPARE(objects[0].value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
    QCOMPARE(objects[0].value(QStringLiteral("rootId")).toString().size(), 64);
    QCOMPARE(objects[0].value(QStringLiteral("nodeId")).toString().size(), 64);
    QVERIFY(!objects[0].value(QStringLiteral("fingerprint")).toString().isEmpty());

    const Run devices =
        cli(QStringLiteral("alice"),
            {QStringLiteral("--json"), QStringLiteral("devices"), QStringLiteral("list")});
    QVERIFY2(devices.exitCode == 0, qPrintable(devices.describe()));
    QCOMPARE(devices.json().size(), 1);
    QVERIFY(devices.json()[0].value(QStringLiteral("thisDevice")).toBool());

    // Errors are JSON on stderr.
    const Run missing =
        cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("contacts"),
                                      QStringLiteral("show"), QStringLiteral("nobody")});
    QCOMPARE(missing.exitCode, 4);
    const QJsonObject error = QJsonDocument::fromJson(missing.err.trimmed()).object();
    QCOMPARE(error.value(QStringLiteral("code")).toInt(), 4);
    QVERIFY(!error.value(QStringLiteral("error")).toString().isEmpty());
}

void TestCli::sendAndListen() {
    const QString text = QStringLiteral("Grüße, bob — the meeting is at 10 ✓");
    auto listener =
        start(QStringLiteral("bob"),
              {QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"),
               QStringLiteral("1"), QStringLiteral("--timeout"), QStringLiteral("90")});
    const Run sent = cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("send"),
                                                   QStringLiteral("bob"), text});
    QVERIFY2(sent.exitCode == 0, qPrintable(sent.describe()));
    QCOMPARE(sent.json().size(), 1);
    const QString messageId = sent.json()[0].value(QStringLiteral("messageId")).toString();
    QCOMPARE(messageId.size(), 32);

    const Run heard = finish(*listener);
    QVERIFY2(heard.exitCode == 0, qPrintable(heard.describe()));
    const auto objects = heard.json();
    QCOMPARE(objects.size(), 1);
    QCOMPARE(objects[0].value(QStringLiteral("text")).toString(), text);
    QCOMPARE(objects[0].value(QStringLiteral("sender")).toString(), QStringLiteral("alice"));
    QCOMPARE(objects[0].value(QStringLiteral("messageId")).toString(), messageId);
    QCOMPARE(objects[0].value(QStringLiteral("type")).toString(), QStringLiteral("text"));

    // The history holds it at both ends.
    const Run history =
        cli(QStringLiteral("bob"),
            {QStringLiteral("--json"), QStringLiteral("messages"), QStringLiteral("alice")});
    QVERIFY2(history.exitCode == 0, qPrintable(history.describe()));
    QVERIFY(!history.json().isEmpty());
    QCOMPARE(history.json().last().value(QStringLiteral("text")).toString(), text);
}

void TestCli::wrongPassphraseChangesNothing() {
    const QMap<QString, QByteArray> before = snapshot(home(QStringLiteral("alice")));
    QVERIFY(!before.isEmpty());

    const Run unlock =
        cli(QStringLiteral("alice"), {QStringLiteral("unlock")}, "not the passphrase");
    QCOMPARE(unlock.exitCode, 2);
    QVERIFY(!unlock.err.contains("not the passphrase"));
    const Run send = cli(QStringLiteral("alice"),
                         {QStringLiteral("--json"), QStringLiteral("send"), QStringLiteral("bob"),
                          QStringLiteral("never sent")},
                         "not the passphrase");
    QCOMPARE(send.exitCode, 2);
    const QJsonObject error = QJsonDocument::fromJson(send.err.trimmed()).object();
    QCOMPARE(error.value(QStringLiteral("code")).toInt(), 2);
    QVERIFY(!send.err.contains("not the passphrase"));

    QCOMPARE(snapshot(home(QStringLiteral("alice"))), before);
    const Run right = cli(QStringLiteral("alice"), {QStringLiteral("unlock")});
    QVERIFY2(right.exitCode == 0, qPrintable(right.describe()));
    QCOMPARE(right.out.trimmed(), QByteArray("alice"));
}

void TestCli::verifyByQrCode() {
    const QString aliceQr = m_dir.filePath(QStringLiteral("alice-qr.png"));
    const QString carolQr = m_dir.filePath(QStringLiteral("carol-qr.png"));
    Run run = cli(QStringLiteral("alice"), {QStringLiteral("verify"), QStringLiteral("my-qr"),
                                            QStringLiteral("--out"), aliceQr});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    run = cli(QStringLiteral("carol"), {QStringLiteral("verify"), QStringLiteral("my-qr"),
                                        QStringLiteral("--out"), carolQr});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(QFileInfo(aliceQr).size() > 0);

    const auto verifiedFlag = [this] {
        const Run show =
            cli(QStringLiteral("bob"), {QStringLiteral("--json"), QStringLiteral("verify"),
                                        QStringLiteral("show"), QStringLiteral("alice")});
        return show.exitCode == 0 && show.json().size() == 1 &&
               show.json()[0].value(QStringLiteral("verified")).toBool();
    };
    // Carol's code shown as if it were Alice's: refused, Alice stays unverified.
    run = cli(QStringLiteral("bob"), {QStringLiteral("verify"), QStringLiteral("qr"),
                                      QStringLiteral("alice"), QStringLiteral("--image"), carolQr});
    QVERIFY2(run.exitCode != 0, qPrintable(run.describe()));
    QCOMPARE(run.exitCode, 7);
    QVERIFY(!verifiedFlag());

    run = cli(QStringLiteral("bob"), {QStringLiteral("verify"), QStringLiteral("qr"),
                                      QStringLiteral("alice"), QStringLiteral("--image"), aliceQr});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(verifiedFlag());

    // Both ends show the same safety code.
    const Run atBob =
        cli(QStringLiteral("bob"), {QStringLiteral("--json"), QStringLiteral("verify"),
                                    QStringLiteral("show"), QStringLiteral("alice")});
    const Run atAlice =
        cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("verify"),
                                      QStringLiteral("show"), QStringLiteral("bob")});
    QVERIFY2(atAlice.exitCode == 0, qPrintable(atAlice.describe()));
    QCOMPARE(atAlice.json()[0].value(QStringLiteral("safetyCode")).toString(),
             atBob.json()[0].value(QStringLiteral("safetyCode")).toString());
}

void TestCli::roomsCreateAndMembers() {
    Run run = cli(QStringLiteral("alice"),
                  {QStringLiteral("--json"), QStringLiteral("rooms"), QStringLiteral("create"),
                   QStringLiteral("Team"), QStringLiteral("bob")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().size(), 1);
    const QString roomId = run.json()[0].value(QStringLiteral("roomId")).toString();
    QCOMPARE(roomId.size(), 64);

    run = cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("rooms"),
                                        QStringLiteral("members"), roomId});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().size(), 2);
    QMap<QString, bool> managers;
    for (const QJsonObject& member : run.json()) {
        managers.insert(member.value(QStringLiteral("username")).toString(),
                        member.value(QStringLiteral("manager")).toBool());
    }
    QCOMPARE(managers.value(QStringLiteral("alice")), true);
    QCOMPARE(managers.value(QStringLiteral("bob"), true), false);

    // Bob gets the room and a message in it.
    auto listener =
        start(QStringLiteral("bob"),
              {QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"),
               QStringLiteral("1"), QStringLiteral("--timeout"), QStringLiteral("90")});
    run = cli(QStringLiteral("alice"), {QStringLiteral("send"), QStringLiteral("--room"), roomId,
                                        QStringLiteral("hello team")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const Run heard = finish(*listener);
    QVERIFY2(heard.exitCode == 0, qPrintable(heard.describe()));
    QCOMPARE(heard.json().size(), 1);
    QCOMPARE(heard.json()[0].value(QStringLiteral("conversation")).toString(), roomId);
    QCOMPARE(heard.json()[0].value(QStringLiteral("text")).toString(),
             QStringLiteral("hello team"));

    run = cli(QStringLiteral("bob"), {QStringLiteral("--json"), QStringLiteral("rooms"),
                                      QStringLiteral("members"), roomId});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().size(), 2);

    // Bob is no manager: his change is refused.
    run = cli(QStringLiteral("bob"),
              {QStringLiteral("rooms"), QStringLiteral("add"), roomId, QStringLiteral("carol")});
    QCOMPARE(run.exitCode, 6);
}

void TestCli::fileRoundTripWithHostileName() {
    const QString outbound = m_dir.filePath(QStringLiteral("outbound"));
    QVERIFY(QDir().mkpath(outbound));
    const QString path = QDir(outbound).filePath(QStringLiteral("..evil.txt"));
    QByteArray content(300 * 1024 + 17, '\0');
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(content.data()),
                                          content.size() / 4);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
    }
    auto listener =
        start(QStringLiteral("bob"),
              {QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"),
               QStringLiteral("1"), QStringLiteral("--timeout"), QStringLiteral("90")});
    Run run = cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("files"),
                                            QStringLiteral("send"), QStringLiteral("bob"), path});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const Run heard = finish(*listener);
    QVERIFY2(heard.exitCode == 0, qPrintable(heard.describe()));
    QCOMPARE(heard.json().size(), 1);
    QCOMPARE(heard.json()[0].value(QStringLiteral("type")).toString(), QStringLiteral("file"));
    QCOMPARE(heard.json()[0].value(QStringLiteral("fileName")).toString(),
             QStringLiteral("..evil.txt"));

    run = cli(QStringLiteral("bob"), {QStringLiteral("--json"), QStringLiteral("files"),
                                      QStringLiteral("list"), QStringLiteral("alice")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().size(), 1);
    const QJsonObject listed = run.json()[0];
    QCOMPARE(listed.value(QStringLiteral("size")).toInteger(), content.size());
    QCOMPARE(listed.value(QStringLiteral("downloaded")).toBool(), false);
    const QString attachmentId =
        QString::number(listed.value(QStringLiteral("attachmentId")).toInteger());

    const QString inbound = m_dir.filePath(QStringLiteral("inbound"));
    run = cli(QStringLiteral("bob"),
              {QStringLiteral("--json"), QStringLiteral("files"), QStringLiteral("get"),
               attachmentId, QStringLiteral("--out"), inbound});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QFileInfo saved(run.json().value(0).value(QStringLiteral("path")).toString());
    QVERIFY(saved.isFile());
    QCOMPARE(saved.canonicalPath(), QFileInfo(inbound).canonicalFilePath());
    QVERIFY2(!saved.fileName().startsWith(QLatin1Char('.')), qPrintable(saved.fileName()));
    QFile file(saved.filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), content);
    // Nothing was written next to the out folder.
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("evil.txt"))));

    run = cli(QStringLiteral("bob"), {QStringLiteral("--json"), QStringLiteral("files"),
                                      QStringLiteral("list"), QStringLiteral("alice")});
    QCOMPARE(run.json().value(0).value(QStringLiteral("downloaded")).toBool(), true);
}

void TestCli::messageWrittenOfflineIsDeliveredLater() {
    QCOMPARE(m_server->terminate(), 0);
    const QString text = QStringLiteral("written while the server was down");
    Run run = cli(QStringLiteral("alice"), {QStringLiteral("--timeout"), QStringLiteral("2"),
                                            QStringLiteral("send"), QStringLiteral("bob"), text});
    QVERIFY2(run.exitCode == 3, qPrintable(run.describe()));

    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    run = cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("sync")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().value(0).value(QStringLiteral("queued")).toInt(), 0);

    run = cli(QStringLiteral("bob"),
              {QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"),
               QStringLiteral("1"), QStringLiteral("--timeout"), QStringLiteral("90")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().size(), 1);
    QCOMPARE(run.json()[0].value(QStringLiteral("text")).toString(), text);
}

// Issue 22: messages that waited on the server while bob's cinder-cli was not running are
// each read once; none comes a second time as a drop.
void TestCli::queuedMessagesAreReadOnce() {
    for (int i = 0; i < 3; ++i) {
        const Run sent =
            cli(QStringLiteral("alice"), {QStringLiteral("send"), QStringLiteral("bob"),
                                          QStringLiteral("queued %1").arg(i)});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.describe()));
    }
    const Run heard = cli(QStringLiteral("bob"),
                          {QStringLiteral("--verbose"), QStringLiteral("--json"),
                           QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("3"),
                           QStringLiteral("--timeout"), QStringLiteral("90")});
    QVERIFY2(heard.exitCode == 0, qPrintable(heard.describe()));
    const auto objects = heard.json();
    QCOMPARE(objects.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(objects[i].value(QStringLiteral("text")).toString(),
                 QStringLiteral("queued %1").arg(i));
    }
    QVERIFY2(!heard.err.contains("dropped a delivery"), qPrintable(heard.describe()));
}

void TestCli::editReactTimersAndSecondDevice() {
    Run run = cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("send"),
                                            QStringLiteral("bob"), QStringLiteral("tpyo")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QString id = run.json().value(0).value(QStringLiteral("messageId")).toString();
    run = cli(QStringLiteral("alice"), {QStringLiteral("edit"), id, QStringLiteral("typo")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    run = cli(QStringLiteral("alice"), {QStringLiteral("react"), id, QStringLiteral("👍")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    run = cli(QStringLiteral("alice"),
              {QStringLiteral("--json"), QStringLiteral("messages"), QStringLiteral("bob"),
               QStringLiteral("--limit"), QStringLiteral("2")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().size(), 2);
    QCOMPARE(run.json()[0].value(QStringLiteral("text")).toString(), QStringLiteral("typo"));
    QVERIFY(run.json()[0].value(QStringLiteral("edited")).toBool());
    QCOMPARE(run.json()[1].value(QStringLiteral("emoji")).toString(), QStringLiteral("👍"));
    // Bob's message is not Alice's to change.
    run = cli(QStringLiteral("bob"), {QStringLiteral("--json"), QStringLiteral("send"),
                                      QStringLiteral("alice"), QStringLiteral("from bob")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QString fromBob = run.json().value(0).value(QStringLiteral("messageId")).toString();
    run = cli(QStringLiteral("alice"),
              {QStringLiteral("--json"), QStringLiteral("listen"), QStringLiteral("--count"),
               QStringLiteral("1"), QStringLiteral("--timeout"), QStringLiteral("90")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().value(0).value(QStringLiteral("messageId")).toString(), fromBob);
    run = cli(QStringLiteral("alice"), {QStringLiteral("delete"), fromBob});
    QCOMPARE(run.exitCode, 6);

    run = cli(QStringLiteral("alice"),
              {QStringLiteral("--json"), QStringLiteral("settings"), QStringLiteral("timers"),
               QStringLiteral("bob"), QStringLiteral("--ttl"), QStringLiteral("3600"),
               QStringLiteral("--burn"), QStringLiteral("60")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    run = cli(QStringLiteral("alice"), {QStringLiteral("--json"), QStringLiteral("settings"),
                                        QStringLiteral("show"), QStringLiteral("bob")});
    QCOMPARE(run.json().value(0).value(QStringLiteral("ttlSeconds")).toInt(), 3600);
    QCOMPARE(run.json().value(0).value(QStringLiteral("burnSeconds")).toInt(), 60);
    QVERIFY(run.json().value(0).value(QStringLiteral("burnOnRead")).toBool());

    // Carol signs in on a second device: both are listed, the new one has no history.
    run = cli(QStringLiteral("carol2"),
              QStringList{QStringLiteral("login")} + serverArguments() +
                  QStringList{QStringLiteral("--username"), QStringLiteral("carol")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    run = cli(QStringLiteral("carol2"),
              {QStringLiteral("--json"), QStringLiteral("devices"), QStringLiteral("list")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().size(), 2);
    const Run wrong = cli(QStringLiteral("carol3"),
                          QStringList{QStringLiteral("login")} + serverArguments() +
                              QStringList{QStringLiteral("--username"), QStringLiteral("carol")},
                          "not the passphrase");
    QVERIFY2(wrong.exitCode == 2, qPrintable(wrong.describe()));
}

// Issue 14: the library refuses to send before the ephemerality policy is acknowledged on the
// device; cinder-cli says so (exit 6) and gives it only when asked to.
void TestCli::sendingNeedsThePolicyAcknowledged() {
    const QString dora = QStringLiteral("dora");
    Run run = cli(dora, QStringList{QStringLiteral("init")} + serverArguments() +
                            QStringList{QStringLiteral("--username"), dora});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    run = cli(dora, {QStringLiteral("--json"), QStringLiteral("policy"), QStringLiteral("show")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().value(0).value(QStringLiteral("acknowledged")).toBool(), false);
    QVERIFY(!run.json().value(0).value(QStringLiteral("policy")).toString().isEmpty());

    run = cli(dora, {QStringLiteral("send"), QStringLiteral("bob"), QStringLiteral("too early")});
    QCOMPARE(run.exitCode, 6);
    QVERIFY2(run.err.contains("policy"), qPrintable(run.describe()));
    run = cli(dora, {QStringLiteral("--json"), QStringLiteral("messages"), QStringLiteral("bob")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(run.json().isEmpty());

    run = cli(dora,
              {QStringLiteral("--json"), QStringLiteral("policy"), QStringLiteral("acknowledge")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.json().value(0).value(QStringLiteral("acknowledged")).toBool(), true);
    run = cli(dora, {QStringLiteral("send"), QStringLiteral("bob"), QStringLiteral("now")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
