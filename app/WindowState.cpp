// SPDX-License-Identifier: Apache-2.0
#include "app/WindowState.h"

#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QWindow>

namespace cinder::app {

WindowState::WindowState(QWindow* window, QObject* parent) : QObject(parent), m_window(window) {
    if (!m_window) {
        return;
    }
    QSettings settings;
    const QRect geometry = settings.value(QStringLiteral("window/geometry")).toRect();
    // Only a place that is still on a screen (monitors change between runs).
    if (geometry.isValid()) {
        for (const QScreen* screen : QGuiApplication::screens()) {
            if (screen->availableGeometry().intersects(geometry)) {
                m_window->setGeometry(geometry);
                break;
            }
        }
    }
    if (settings.value(QStringLiteral("window/maximized")).toBool()) {
        m_window->showMaximized();
    }
    connect(qApp, &QGuiApplication::aboutToQuit, this, &WindowState::save);
}

WindowState::~WindowState() = default;

void WindowState::save() {
    if (!m_window) {
        return;
    }
    QSettings settings;
    const bool maximized = m_window->visibility() == QWindow::Maximized;
    settings.setValue(QStringLiteral("window/maximized"), maximized);
    if (!maximized) {
        settings.setValue(QStringLiteral("window/geometry"), m_window->geometry());
    }
}

} // namespace cinder::app
