// SPDX-License-Identifier: Apache-2.0
#include "app/SettingsController.h"

#include "app/ConversationController.h"

#include <QGuiApplication>
#include <QPalette>
#include <QSettings>
#include <QStyleHints>

namespace cinder::app {

SettingsController::SettingsController(QObject* parent) : QObject(parent) {
    QSettings settings;
    m_theme =
        static_cast<Theme>(std::clamp(settings.value(QStringLiteral("ui/theme"), 0).toInt(), 0, 2));
    m_notifications = settings.value(QStringLiteral("ui/notifications"), true).toBool();
    m_notificationPreviews =
        settings.value(QStringLiteral("ui/notificationPreviews"), false).toBool();
}

void SettingsController::setHost(SessionHost* host) {
    if (m_host == host) {
        return;
    }
    if (m_host) {
        disconnect(m_host, nullptr, this, nullptr);
    }
    m_host = host;
    if (m_host) {
        connect(m_host, &SessionHost::sessionStarted, this, &SettingsController::loadDefaults);
    }
    Q_EMIT hostChanged();
    loadDefaults();
}

void SettingsController::setTheme(Theme theme) {
    if (m_theme != theme) {
        m_theme = theme;
        QSettings().setValue(QStringLiteral("ui/theme"), static_cast<int>(theme));
        Q_EMIT themeChanged();
    }
}

bool SettingsController::darkMode() const {
    if (m_theme != Theme::System) {
        return m_theme == Theme::Dark;
    }
    // Qt 6.4 has no colour-scheme hint: a dark window background means a dark desktop.
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

void SettingsController::setNotifications(bool enabled) {
    if (m_notifications != enabled) {
        m_notifications = enabled;
        QSettings().setValue(QStringLiteral("ui/notifications"), enabled);
        Q_EMIT notificationsChanged();
    }
}

void SettingsController::setNotificationPreviews(bool enabled) {
    if (m_notificationPreviews != enabled) {
        m_notificationPreviews = enabled;
        QSettings().setValue(QStringLiteral("ui/notificationPreviews"), enabled);
        Q_EMIT notificationsChanged();
    }
}

void SettingsController::loadDefaults() {
    if (!m_host || !m_host->hasSession()) {
        return;
    }
    m_host->run<crypto::Ephemerality>(
        [](client::Session& session) { return session.defaultTimers(); }, this,
        [this](crypto::Ephemerality timers) {
            m_defaultTtl = static_cast<int>(timers.ttlSeconds);
            m_defaultBurn = timers.burnOnRead;
            m_defaultBurnSeconds = static_cast<int>(timers.burnSeconds);
            Q_EMIT defaultsChanged();
        });
}

QVariantList SettingsController::timerChoices() {
    return ConversationController::timerChoices();
}

void SettingsController::setDefaultTimers(int ttlSeconds, bool burnOnRead, int burnSeconds) {
    // The same rule and defaults as a conversation's timers (crypto/EphemeralityRule.h).
    const auto chosen = crypto::ephemeralityFromChoice(ttlSeconds, burnOnRead, burnSeconds);
    if (!m_host || !chosen) {
        return;
    }
    const crypto::Ephemerality timers = *chosen;
    m_host->run<bool>(
        [timers](client::Session& session) {
            return static_cast<bool>(session.setDefaultTimers(timers));
        },
        this, [this](bool) { loadDefaults(); });
}

} // namespace cinder::app
