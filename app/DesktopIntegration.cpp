// SPDX-License-Identifier: Apache-2.0
#include "app/DesktopIntegration.h"

#include <QApplication>
#include <QGuiApplication>
#include <QIcon>
#include <QMenu>
#include <QPainter>
#include <QPalette>
#include <QSystemTrayIcon>

namespace cinder::app {

namespace {

// The tray icon with the unread count drawn on it.
QIcon trayIcon(int unread) {
    // The white mark on a dark panel, the black one on a light panel.
    const bool darkPanel = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
    QPixmap pixmap = QIcon(darkPanel ? QStringLiteral(":/icons/tray-light.svg")
                                     : QStringLiteral(":/icons/tray.svg"))
                         .pixmap(64, 64);
    if (unread <= 0 || pixmap.isNull()) {
        return QIcon(pixmap);
    }
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(QColor(0xd9, 0x2d, 0x20));
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(QRectF(28, 0, 36, 36));
    painter.setPen(Qt::white);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(unread > 9 ? 18 : 22);
    painter.setFont(font);
    painter.drawText(QRectF(28, 0, 36, 36), Qt::AlignCenter,
                     unread > 99 ? QStringLiteral("99+") : QString::number(unread));
    return QIcon(pixmap);
}

} // namespace

DesktopIntegration::DesktopIntegration(QObject* parent) : QObject(parent) {
    if (!QSystemTrayIcon::isSystemTrayAvailable() || qobject_cast<QApplication*>(qApp) == nullptr) {
        return;
    }
    m_tray = std::make_unique<QSystemTrayIcon>();
    m_menu = std::make_unique<QMenu>();
    m_menu->addAction(tr("Show Cinder"), this, [this] { Q_EMIT activated(QString()); });
    m_menu->addAction(tr("Quit"), qApp, &QCoreApplication::quit);
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray.get(), &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason) { Q_EMIT activated(QString()); });
    connect(m_tray.get(), &QSystemTrayIcon::messageClicked, this,
            [this] { Q_EMIT activated(m_lastConversation); });
    updateTray();
    m_tray->show();
}

DesktopIntegration::~DesktopIntegration() = default;

bool DesktopIntegration::trayAvailable() const {
    return m_tray != nullptr;
}

void DesktopIntegration::setHost(SessionHost* host) {
    if (m_host == host) {
        return;
    }
    if (m_host) {
        disconnect(m_host, nullptr, this, nullptr);
    }
    m_host = host;
    if (m_host) {
        connect(m_host, &SessionHost::messageAdded, this, &DesktopIntegration::onMessage);
        connect(m_host, &SessionHost::conversationUpdated, this,
                &DesktopIntegration::onConversation);
        connect(m_host, &SessionHost::conversationRemoved, this,
                [this](const QString& id) { m_waiting.remove(id); });
    }
    Q_EMIT hostChanged();
}

void DesktopIntegration::setWindow(QWindow* window) {
    if (m_window != window) {
        m_window = window;
        Q_EMIT windowChanged();
    }
}

void DesktopIntegration::setUnreadCount(int count) {
    if (m_unread != count) {
        m_unread = count;
        updateTray();
        Q_EMIT unreadCountChanged();
    }
}

void DesktopIntegration::setNotifications(bool enabled) {
    if (m_notifications != enabled) {
        m_notifications = enabled;
        Q_EMIT notificationsChanged();
    }
}

void DesktopIntegration::setPreviews(bool enabled) {
    if (m_previews != enabled) {
        m_previews = enabled;
        Q_EMIT notificationsChanged();
    }
}

QString DesktopIntegration::notificationBody(const QString& sender, const QString& text,
                                             bool previews) {
    // Without previews the desktop (and anything that logs its notifications) learns only that
    // someone wrote, never what.
    if (!previews || text.isEmpty()) {
        return sender.isEmpty() ? tr("New message") : tr("New message from %1").arg(sender);
    }
    const QString shortText = text.size() > 120 ? text.left(119) + QChar(0x2026) : text;
    return sender.isEmpty() ? shortText : QStringLiteral("%1: %2").arg(sender, shortText);
}

void DesktopIntegration::updateTray() {
    if (!m_tray) {
        return;
    }
    m_tray->setIcon(trayIcon(m_unread));
    m_tray->setToolTip(m_unread > 0 ? tr("Cinder: %n unread", nullptr, m_unread)
                                    : QStringLiteral("Cinder"));
}

void DesktopIntegration::onMessage(const client::Message& message) {
    if (!m_host || !m_notifications) {
        return;
    }
    if (m_window && m_window->isActive()) {
        return; // the user is looking at the app
    }
    if (message.outgoing || message.readState != client::ReadState::Unread) {
        return;
    }
    Incoming incoming;
    incoming.sender = QString::fromStdString(message.senderUsername);
    if (!message.timers.burnOnRead && message.kind == client::MessageKind::Text) {
        incoming.text = QString::fromStdString(message.text);
    }
    m_waiting[SessionHost::hex(message.conversation)].append(incoming);
}

// The session announces a conversation's summary after the messages that changed it.
void DesktopIntegration::onConversation(const client::ConversationSummary& summary) {
    const QString conversationId = SessionHost::hex(summary.id);
    const QList<Incoming> waiting = m_waiting.take(conversationId);
    const QString title =
        summary.title.empty() ? QStringLiteral("Cinder") : QString::fromStdString(summary.title);
    for (const Incoming& incoming : waiting) {
        m_lastConversation = conversationId;
        const QString body = notificationBody(incoming.sender, incoming.text, m_previews);
        if (m_tray) {
            m_tray->showMessage(title, body, QSystemTrayIcon::Information, 5000);
        }
        if (m_window) {
            m_window->alert(0); // the task bar entry asks for attention until activated
        }
        Q_EMIT notified(title, body);
    }
}

} // namespace cinder::app
