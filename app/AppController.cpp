// SPDX-License-Identifier: Apache-2.0
#include "app/AppController.h"

#include "app/SecretText.h"

#include "client/AccountDirectory.h"

#include <QCoreApplication>
#include <QHash>
#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcUi, "cinder.ui")

namespace cinder::app {

namespace {
// The controller of each QML engine (GUI thread only). The program has one engine; a test runs
// two windows, two accounts, side by side in one process.
QHash<const QQmlEngine*, QPointer<AppController>>& attachedControllers() {
    static QHash<const QQmlEngine*, QPointer<AppController>> controllers;
    return controllers;
}
} // namespace

QString errorMessage(client::SessionError error) {
    using client::SessionError;
    switch (error) {
    case SessionError::InvalidArgument:
        return AppController::tr("That is not valid.");
    case SessionError::AccountExists:
        return AppController::tr("This device already has an account.");
    case SessionError::NoAccount:
        return AppController::tr("There is no account on this device.");
    case SessionError::WrongPassphrase:
        return AppController::tr("Wrong passphrase.");
    case SessionError::UsernameTaken:
        return AppController::tr("This username is taken.");
    case SessionError::UnknownUser:
        return AppController::tr("No user with that name.");
    case SessionError::NotConnected:
        return AppController::tr("The server cannot be reached.");
    case SessionError::ServerRejected:
        return AppController::tr("The server refused the request.");
    case SessionError::RateLimited:
        return AppController::tr("Too many attempts. Try again later.");
    case SessionError::ServerMisbehaved:
        return AppController::tr("The server sent data that does not verify.");
    case SessionError::IdentityChanged:
        return AppController::tr(
            "This contact's identity key changed. Review and accept it first.");
    case SessionError::UnknownConversation:
        return AppController::tr("This conversation no longer exists.");
    case SessionError::UnknownMessage:
        return AppController::tr("This message no longer exists.");
    case SessionError::NotAMember:
        return AppController::tr("You are not a member of this room.");
    case SessionError::NotAManager:
        return AppController::tr("Only room managers can do this.");
    case SessionError::NotTheSender:
        return AppController::tr("Only the sender can change this message.");
    case SessionError::WrongConversationKind:
        return AppController::tr("This conversation is not what it claims to be.");
    case SessionError::NoDevices:
        return AppController::tr("The recipient has no device to receive this.");
    case SessionError::FileError:
        return AppController::tr("The file could not be read or written.");
    case SessionError::TransferFailed:
        return AppController::tr("The transfer was interrupted; it will resume.");
    case SessionError::IntegrityFailure:
        return AppController::tr("The file does not match what was sent.");
    case SessionError::StorageFailure:
        return AppController::tr("The local store failed.");
    case SessionError::CryptoFailure:
        return AppController::tr("A cryptographic operation failed.");
    case SessionError::SignedOut:
        return AppController::tr("Signed out.");
    case SessionError::PolicyNotAcknowledged:
        return AppController::tr("Acknowledge that messages disappear before sending.");
    case SessionError::WrongServer:
        return AppController::tr(
            "This is not the server your account was created on. Nothing was sent to it.");
    }
    return AppController::tr("Something went wrong.");
}

AppController::AppController(QObject* parent) : QObject(parent) {
    connect(&m_host, &SessionHost::onlineChanged, this, [this](bool online) {
        m_online = online;
        Q_EMIT onlineChanged();
    });
}

AppController::~AppController() {
    attachedControllers().removeIf([this](const auto& entry) { return entry.value() == this; });
}

AppController* AppController::create(QQmlEngine* qml, QJSEngine*) {
    QPointer<AppController>& controller = attachedControllers()[qml];
    if (controller.isNull()) {
        // Nothing attached: an unconfigured controller owned by the engine (QML tooling).
        controller = new AppController(qml);
    }
    QJSEngine::setObjectOwnership(controller, QJSEngine::CppOwnership);
    return controller;
}

void AppController::attach(QQmlEngine* engine, AppController* controller) {
    if (controller == nullptr) {
        attachedControllers().remove(engine);
    } else {
        attachedControllers().insert(engine, controller);
    }
}

void AppController::configure(const QString& profileDirectory, const net::ServerEndpoint& server,
                              client::SessionOptions options) {
    m_profileDirectory = profileDirectory;
    m_options = std::move(options);
    const client::AccountDirectory directory(profileDirectory);
    if (directory.holdsAccount()) {
        m_server = directory.loadServer().value_or(server);
        setState(State::Locked);
    } else {
        m_server = server;
        setState(State::NoAccount);
    }
    Q_EMIT serverChanged();
}

QString AppController::serverAddress() const {
    if (m_server.host.isEmpty()) {
        return {};
    }
    return QStringLiteral("%1:%2").arg(m_server.host).arg(m_server.port);
}

void AppController::setServerAddress(const QString& address) {
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0) {
        return;
    }
    m_server.host = address.left(colon).trimmed();
    m_server.port = address.mid(colon + 1).toUShort();
    Q_EMIT serverChanged();
}

QString AppController::serverFingerprint() const {
    return m_server.usesFingerprint()
               ? net::ServerEndpoint::formatFingerprint(m_server.certificateSha256)
               : QString();
}

void AppController::setServerFingerprint(const QString& fingerprint) {
    if (const auto parsed = net::ServerEndpoint::parseFingerprint(fingerprint)) {
        m_server.certificateSha256 = *parsed;
        m_server.caCertificateFile.clear();
        Q_EMIT serverChanged();
    }
}

void AppController::setState(State state) {
    if (m_state != state) {
        m_state = state;
        Q_EMIT stateChanged();
    }
}

void AppController::setBusy(bool busy) {
    if (m_busy != busy) {
        m_busy = busy;
        Q_EMIT busyChanged();
    }
}

void AppController::setError(const QString& text) {
    if (m_errorText != text) {
        m_errorText = text;
        Q_EMIT errorTextChanged();
    }
}

void AppController::clearError() {
    setError({});
}

void AppController::startSession(SessionHost::Factory factory) {
    if (m_busy) {
        return;
    }
    setBusy(true);
    setError({});
    m_host.start(std::move(factory),
                 [this](std::optional<client::SessionError> error) { afterStart(error); });
}

void AppController::afterStart(std::optional<client::SessionError> error) {
    if (error) {
        setBusy(false);
        setError(errorMessage(*error));
        return;
    }
    // Who we are, and whether this device has acknowledged the ephemerality policy.
    m_host.run<std::pair<QString, bool>>(
        [](client::Session& session) {
            return std::make_pair(QString::fromStdString(session.username()),
                                  session.ephemeralityPolicyAcknowledged());
        },
        this,
        [this](std::pair<QString, bool> result) {
            m_username = result.first;
            Q_EMIT usernameChanged();
            setBusy(false);
            setState(result.second ? State::Ready : State::PolicyPending);
        });
}

void AppController::createAccount(const QString& username, const QString& passphrase) {
    startWithAccount(username, passphrase, &client::Session::createAccount);
}

void AppController::signIn(const QString& username, const QString& passphrase) {
    startWithAccount(username, passphrase, &client::Session::signIn);
}

void AppController::startWithAccount(const QString& username, const QString& passphrase,
                                     AccountFactory make) {
    if (!m_server.isValid()) {
        setError(tr("Enter the server address and its certificate fingerprint."));
        return;
    }
    const QString directory = m_profileDirectory;
    // The passphrase goes to wiped memory now; the job holds the only copy, which is wiped when
    // the job is destroyed after it ran (docs/ARCHITECTURE.md, "Secrets in memory").
    auto account = std::make_shared<client::NewAccount>();
    account->username = username.trimmed().toLower().toStdString();
    account->passphrase = secretUtf8(passphrase);
    account->server = m_server;
    const client::SessionOptions options = m_options;
    startSession(
        [directory, account, options, make] { return make(directory, *account, options); });
}

void AppController::unlock(const QString& passphrase) {
    const QString directory = m_profileDirectory;
    auto secret = std::make_shared<crypto::SecureBuffer>(secretUtf8(passphrase));
    const client::SessionOptions options = m_options;
    startSession([directory, secret, options] {
        return client::Session::unlock(directory, *secret, options);
    });
}

void AppController::acknowledgePolicy() {
    if (m_state != State::PolicyPending) {
        return;
    }
    m_host.run<bool>(
        [](client::Session& session) {
            return static_cast<bool>(session.acknowledgeEphemeralityPolicy());
        },
        this,
        [this](bool saved) {
            if (saved) {
                setState(State::Ready);
            } else {
                setError(errorMessage(client::SessionError::StorageFailure));
            }
        });
}

void AppController::lock() {
    if (m_state == State::NoAccount || m_state == State::Locked) {
        return;
    }
    m_host.stop();
    m_username.clear();
    Q_EMIT usernameChanged();
    m_online = false;
    Q_EMIT onlineChanged();
    setState(State::Locked);
}

} // namespace cinder::app
