// SPDX-License-Identifier: Apache-2.0
#pragma once

// The flow the whole window follows: no account yet (create one or sign in on this new
// device) -> locked (unlock with the passphrase) -> the ephemerality policy must be
// acknowledged on this device before anything can be sent -> ready. Owns the SessionHost.

#include "app/SessionHost.h"

#include "net/ServerEndpoint.h"

#include <QObject>
#include <QQmlEngine>
#include <QString>

namespace cinder::app {

class AppController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(QString username READ username NOTIFY usernameChanged)
    Q_PROPERTY(bool online READ online NOTIFY onlineChanged)
    Q_PROPERTY(QString serverAddress READ serverAddress WRITE setServerAddress NOTIFY serverChanged)
    Q_PROPERTY(QString serverFingerprint READ serverFingerprint WRITE setServerFingerprint NOTIFY
                   serverChanged)
    Q_PROPERTY(cinder::app::SessionHost* host READ host CONSTANT)

public:
    enum class State {
        NoAccount,     // onboarding: create an account or sign in on this device
        Locked,        // an account is here: unlock it
        PolicyPending, // unlocked; the ephemerality policy is not acknowledged on this device
        Ready,         // conversations
    };
    Q_ENUM(State)

    // No default argument: QML must not be able to make a second, unconfigured instance; it
    // gets main()'s through create().
    explicit AppController(QObject* parent);
    ~AppController() override;

    // main() sets where the account lives and the server onboarding proposes.
    void configure(const QString& profileDirectory, const net::ServerEndpoint& server,
                   client::SessionOptions options);
    // The instance attached to that engine, for QML (QML_SINGLETON).
    static AppController* create(QQmlEngine* qml, QJSEngine* js);
    // Call before loading QML into engine; nullptr detaches.
    static void attach(QQmlEngine* engine, AppController* controller);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] QString username() const { return m_username; }
    [[nodiscard]] bool online() const { return m_online; }
    [[nodiscard]] QString serverAddress() const;
    void setServerAddress(const QString& address);
    [[nodiscard]] QString serverFingerprint() const;
    void setServerFingerprint(const QString& fingerprint);
    [[nodiscard]] SessionHost* host() { return &m_host; }
    [[nodiscard]] QString profileDirectory() const { return m_profileDirectory; }

    Q_INVOKABLE void createAccount(const QString& username, const QString& passphrase);
    Q_INVOKABLE void signIn(const QString& username, const QString& passphrase);
    Q_INVOKABLE void unlock(const QString& passphrase);
    // Stored on this device's store: a reinstall (a new device) asks again.
    Q_INVOKABLE void acknowledgePolicy();
    // Signs out: keys leave memory, the window goes back to the unlock screen.
    Q_INVOKABLE void lock();
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void stateChanged();
    void busyChanged();
    void errorTextChanged();
    void usernameChanged();
    void onlineChanged();
    void serverChanged();

private:
    using AccountFactory = client::SessionResult<std::unique_ptr<client::Session>> (*)(
        const QString&, const client::NewAccount&, client::SessionOptions);
    // Create or sign in: the same checks, a different first step.
    void startWithAccount(const QString& username, const QString& passphrase, AccountFactory make);
    void startSession(SessionHost::Factory factory);
    void afterStart(std::optional<client::SessionError> error);
    void setState(State state);
    void setBusy(bool busy);
    void setError(const QString& text);

    SessionHost m_host;
    QString m_profileDirectory;
    net::ServerEndpoint m_server;
    client::SessionOptions m_options;
    State m_state = State::NoAccount;
    bool m_busy = false;
    bool m_online = false;
    QString m_errorText;
    QString m_username;
};

// The text shown for an error (translated).
[[nodiscard]] QString errorMessage(client::SessionError error);

} // namespace cinder::app
