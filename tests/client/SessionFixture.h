// SPDX-License-Identifier: Apache-2.0
#pragma once

// Real accounts against a real cinder-server on loopback: each device is a Session in its own
// temporary account directory (a real vault and SQLCipher store). All sessions share the test's
// thread, as the CLI does; waiting spins that thread's event loop, which runs every session.
//
// The server's database is read and changed only through the sqlite3 program (the server's
// SQLite and the client's SQLCipher must not meet in one process); the tests use that to play
// a compromised server.

#include "ServerProcess.h"

#include "client/Session.h"
#include "crypto/NodeIdentity.h"
#include "crypto/RootIdentity.h"
#include "storage/Store.h" // tests look into what a session stored (storeOf)

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace cinder::client {
// The session's own store, for tests that check what it holds (rows, timers, files); the app
// and the CLI reach it only through the session's API.
struct SessionStoreAccess {
    static storage::Store& of(Session& session) { return *session.m_store; }
};
} // namespace cinder::client

namespace cinder::test {

inline constexpr int kWaitMs = 30000;

inline storage::Store& storeOf(client::Session& session) {
    return client::SessionStoreAccess::of(session);
}
inline const std::string kPassphrase = "correct horse battery staple";

// A passphrase as the session takes it (in wiped memory).
inline crypto::SecureBuffer secret(std::string_view text) {
    return crypto::SecureBuffer::copyOf(crypto::asBytes(text));
}

inline client::SessionOptions fastOptions() {
    client::SessionOptions options;
    options.vaultCost = {10, 8, 1};
    options.recoveryCost = {10, 8, 1};
    options.backOff = {100, 1000, 2.0, 0.5};
    options.prekeyBatch = 20;
    options.requestTimeoutMs = 20000;
    return options;
}

// Spins the event loop until `done` or the timeout; returns `done()`.
inline bool waitFor(const std::function<bool()>& done, int timeoutMs = kWaitMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return done();
}

inline std::string hex(crypto::ByteView bytes) {
    return crypto::toHex(bytes);
}

class SessionFixture {
public:
    SessionFixture() : m_server(QStringLiteral(CINDER_SERVER_BINARY)) {}

    bool start() { return m_server.start(); }
    ServerProcess& server() { return m_server; }
    QString directoryFor(const QString& device) const { return m_homes.filePath(device); }

    // A new account, online, whose user acknowledged that messages disappear (the session
    // sends nothing before: client/Session.h).
    std::unique_ptr<client::Session> create(const std::string& username,
                                            const QString& device = {}) {
        return acknowledged(createUnacknowledged(username, device));
    }

    // A new account, online, whose user has not acknowledged the ephemerality policy yet.
    std::unique_ptr<client::Session> createUnacknowledged(const std::string& username,
                                                          const QString& device = {}) {
        auto session = client::Session::createAccount(
            directoryFor(device.isEmpty() ? QString::fromStdString(username) : device),
            {username, secret(kPassphrase), m_server.endpoint()}, fastOptions());
        if (!session) {
            qWarning() << "createAccount failed:" << client::describe(session.error()).data();
            return nullptr;
        }
        return online(std::move(session).value());
    }

    std::unique_ptr<client::Session> signIn(const std::string& username, const QString& device) {
        auto session = client::Session::signIn(directoryFor(device),
                                               {username, secret(kPassphrase), m_server.endpoint()},
                                               fastOptions());
        if (!session) {
            qWarning() << "signIn failed:" << client::describe(session.error()).data();
            return nullptr;
        }
        return acknowledged(online(std::move(session).value()));
    }

    // The policy is acknowledged on each device (a new device's store starts without it).
    static std::unique_ptr<client::Session> acknowledged(std::unique_ptr<client::Session> session) {
        if (session && !session->acknowledgeEphemeralityPolicy()) {
            qWarning() << "the ephemerality policy could not be acknowledged";
            return nullptr;
        }
        return session;
    }

    std::unique_ptr<client::Session> unlock(const QString& device,
                                            const std::string& passphrase = kPassphrase) {
        auto session =
            client::Session::unlock(directoryFor(device), secret(passphrase), fastOptions());
        return session ? std::move(session).value() : nullptr;
    }

    static std::unique_ptr<client::Session> online(std::unique_ptr<client::Session> session) {
        session->goOnline();
        if (!session->waitUntilOnline(kWaitMs)) {
            qWarning() << "session did not come online";
            return nullptr;
        }
        return session;
    }

    // Plays a user's root key changing on the server (a reinstall without recovery, or a server
    // that swaps keys: a client cannot tell them apart): a new key for the same IDr, with a
    // device list that new key signed. Returns the new public key, nullopt if nothing changed.
    std::optional<crypto::Bytes> replaceRootKey(const crypto::RootId& rootId) {
        auto newKey = crypto::KeyPair::generate();
        if (!newKey) {
            return std::nullopt;
        }
        auto newRoot = crypto::RootIdentity::restore(
            rootId, std::move(newKey).value(), crypto::SecureBuffer(32), crypto::SecureBuffer(32));
        if (!newRoot) {
            return std::nullopt;
        }
        auto newNode = crypto::NodeIdentity::enroll(*newRoot, 1);
        if (!newNode) {
            return std::nullopt;
        }
        const std::vector<crypto::Bytes> certificates{newNode->certificate()};
        auto newList = newRoot->signDeviceList(1, certificates);
        if (!newList) {
            return std::nullopt;
        }
        const crypto::Bytes publicKey = newRoot->publicKey().bytes();
        const QString changed = serverSql(
            QStringLiteral("UPDATE accounts SET root_public_key = X'%2', device_list = X'%3', "
                           "device_list_version = 1 WHERE root_id = X'%1'; SELECT changes();")
                .arg(QString::fromStdString(hex(rootId)), QString::fromStdString(hex(publicKey)),
                     QString::fromStdString(hex(*newList))));
        if (changed != QStringLiteral("1")) {
            return std::nullopt;
        }
        return publicKey;
    }

    // Runs SQL against the server's SQLite database with the sqlite3 program; returns stdout.
    QString serverSql(const QString& sql) {
        QString path = m_server.databaseUrl();
        path.remove(0, QStringLiteral("sqlite:").size());
        QProcess sqlite;
        sqlite.start(QStringLiteral("sqlite3"), {QStringLiteral("-batch"), path, sql});
        if (!sqlite.waitForFinished(30000) || sqlite.exitCode() != 0) {
            // errorString() says when the program is not installed (scripts/bootstrap installs it).
            qWarning() << "sqlite3 failed:" << sqlite.errorString()
                       << sqlite.readAllStandardError();
            return QStringLiteral("<sqlite3 failed>");
        }
        return QString::fromUtf8(sqlite.readAllStandardOutput()).trimmed();
    }

private:
    ServerProcess m_server;
    QTemporaryDir m_homesDir;
    QDir m_homes{m_homesDir.path()};
};

// Text of the newest messages of a conversation, oldest first.
inline QStringList texts(client::Session& session, const crypto::ConversationId& conversation) {
    QStringList out;
    auto page = session.messagePage(conversation, std::nullopt, 500);
    if (!page) {
        return out;
    }
    for (auto it = page->rbegin(); it != page->rend(); ++it) {
        // A text message whose sender deleted it is a tombstone without text.
        if (it->kind == client::MessageKind::Text && !it->deleted) {
            out.append(QString::fromStdString(it->text));
        }
    }
    return out;
}

// Every file under an account directory whose bytes contain `needle`.
inline QStringList filesContaining(const QString& directory, const QByteArray& needle) {
    QStringList hits;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle)) {
            hits.append(path);
        }
    }
    return hits;
}

} // namespace cinder::test
