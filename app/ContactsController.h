// SPDX-License-Identifier: Apache-2.0
#pragma once

// Starting conversations: a 1:1 chat with a user looked up by name (their root key is pinned
// on first contact), or a room with members.

#include "app/SessionHost.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace cinder::app {

class ContactsController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

public:
    explicit ContactsController(QObject* parent = nullptr);
    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] QString lastError() const { return m_lastError; }

    // Outcome: conversationOpened(id) or lastError.
    Q_INVOKABLE void startChat(const QString& username);
    // members: usernames separated by commas or spaces.
    Q_INVOKABLE void createRoom(const QString& title, const QString& members);
    // Splits "a, b c" into usernames (lower case, no empty ones).
    Q_INVOKABLE static QStringList parseUsernames(const QString& text);

Q_SIGNALS:
    void hostChanged();
    void busyChanged();
    void lastErrorChanged();
    void conversationOpened(const QString& conversationId);

private:
    void setBusy(bool busy);
    QPointer<SessionHost> m_host;
    bool m_busy = false;
    QString m_lastError;
};

} // namespace cinder::app
