// SPDX-License-Identifier: Apache-2.0
#pragma once

// Preferences of this installation (QSettings: theme, notifications, window) and of the
// account (the timers new conversations start with, kept in the encrypted store).

#include "app/SessionHost.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace cinder::app {

class SettingsController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(bool darkMode READ darkMode NOTIFY themeChanged) // the theme in effect
    Q_PROPERTY(
        bool notifications READ notifications WRITE setNotifications NOTIFY notificationsChanged)
    Q_PROPERTY(bool notificationPreviews READ notificationPreviews WRITE setNotificationPreviews
                   NOTIFY notificationsChanged)
    Q_PROPERTY(int defaultTtlSeconds READ defaultTtlSeconds NOTIFY defaultsChanged)
    Q_PROPERTY(bool defaultBurnOnRead READ defaultBurnOnRead NOTIFY defaultsChanged)
    Q_PROPERTY(int defaultBurnSeconds READ defaultBurnSeconds NOTIFY defaultsChanged)

public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    explicit SettingsController(QObject* parent = nullptr);
    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] Theme theme() const { return m_theme; }
    void setTheme(Theme theme);
    [[nodiscard]] bool darkMode() const;
    [[nodiscard]] bool notifications() const { return m_notifications; }
    void setNotifications(bool enabled);
    [[nodiscard]] bool notificationPreviews() const { return m_notificationPreviews; }
    void setNotificationPreviews(bool enabled);
    [[nodiscard]] int defaultTtlSeconds() const { return m_defaultTtl; }
    [[nodiscard]] bool defaultBurnOnRead() const { return m_defaultBurn; }
    [[nodiscard]] int defaultBurnSeconds() const { return m_defaultBurnSeconds; }

    Q_INVOKABLE void setDefaultTimers(int ttlSeconds, bool burnOnRead, int burnSeconds);
    // The timer choices offered everywhere: [{label, seconds}].
    Q_INVOKABLE static QVariantList timerChoices();

Q_SIGNALS:
    void hostChanged();
    void themeChanged();
    void notificationsChanged();
    void defaultsChanged();

private:
    void loadDefaults();
    QPointer<SessionHost> m_host;
    Theme m_theme = Theme::System;
    bool m_notifications = true;
    bool m_notificationPreviews = false;
    int m_defaultTtl = 0;
    bool m_defaultBurn = false;
    int m_defaultBurnSeconds = 0;
};

} // namespace cinder::app
