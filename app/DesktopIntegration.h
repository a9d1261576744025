// SPDX-License-Identifier: Apache-2.0
#pragma once

// The app in the desktop: a tray icon with the unread count, and a notification for each
// incoming message while the window is not active (sender and conversation only, unless the
// user allows previews of the text). Both come from the values the session announces: an
// incoming message, then its conversation's summary (for the title); nothing is read back.

#include "app/SessionHost.h"

#include <QHash>
#include <QList>

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QWindow>

#include <memory>

QT_BEGIN_NAMESPACE
class QSystemTrayIcon;
class QMenu;
QT_END_NAMESPACE

namespace cinder::app {

class DesktopIntegration : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(QWindow* window READ window WRITE setWindow NOTIFY windowChanged)
    Q_PROPERTY(int unreadCount READ unreadCount WRITE setUnreadCount NOTIFY unreadCountChanged)
    Q_PROPERTY(
        bool notifications READ notifications WRITE setNotifications NOTIFY notificationsChanged)
    Q_PROPERTY(bool previews READ previews WRITE setPreviews NOTIFY notificationsChanged)
    Q_PROPERTY(bool trayAvailable READ trayAvailable CONSTANT)

public:
    explicit DesktopIntegration(QObject* parent = nullptr);
    ~DesktopIntegration() override;

    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] QWindow* window() const { return m_window; }
    void setWindow(QWindow* window);
    [[nodiscard]] int unreadCount() const { return m_unread; }
    void setUnreadCount(int count);
    [[nodiscard]] bool notifications() const { return m_notifications; }
    void setNotifications(bool enabled);
    [[nodiscard]] bool previews() const { return m_previews; }
    void setPreviews(bool enabled);
    [[nodiscard]] bool trayAvailable() const;

    // The notification text for a message (tests check that no text leaks without previews).
    [[nodiscard]] static QString notificationBody(const QString& sender, const QString& text,
                                                  bool previews);

Q_SIGNALS:
    void hostChanged();
    void windowChanged();
    void unreadCountChanged();
    void notificationsChanged();
    // The user clicked a notification or the tray: show this conversation ("" for none).
    void activated(const QString& conversationId);
    // Shown, so tests can see what the desktop was told.
    void notified(const QString& title, const QString& body);

private:
    struct Incoming {
        QString sender;
        QString text;
    };
    void onMessage(const client::Message& message);
    void onConversation(const client::ConversationSummary& summary);
    void updateTray();

    QPointer<SessionHost> m_host;
    QPointer<QWindow> m_window;
    std::unique_ptr<QSystemTrayIcon> m_tray;
    std::unique_ptr<QMenu> m_menu;
    int m_unread = 0;
    bool m_notifications = true;
    bool m_previews = false;
    QString m_lastConversation;
    // Incoming messages waiting for their conversation's summary, by conversation id.
    QHash<QString, QList<Incoming>> m_waiting;
};

} // namespace cinder::app
