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

struct Incoming {
    bool show = false;
    QString title;
    QString sender;
    QString text;
};

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
        connect(m_host, &SessionHost::messageReceived, this, &DesktopIntegration::onMessage);
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

void DesktopIntegration::onMessage(const QString& messageId, const QString& conversationId) {
    if (!m_host || !m_notifications) {
        return;
    }
    if (m_window && m_window->isActive()) {
        return; // the user is looking at the app
    }
    const auto id = SessionHost::idFromHex<crypto::kMessageIdSize>(messageId);
    if (!id) {
        return;
    }
    m_host->run<Incoming>(
        [id](client::Session& session) {
            Incoming incoming;
            auto message = session.store().messages().find(*id);
            if (!message || !*message || (*message)->outgoing ||
                (*message)->readState != storage::ReadState::Unread) {
                return incoming;
            }
            incoming.show = true;
            if (auto conversation =
                    session.store().conversations().find((*message)->conversationId);
                conversation && *conversation) {
                incoming.title = QString::fromStdString((*conversation)->title);
            }
            if (auto contact = session.store().contacts().find((*message)->senderRootId);
                contact && *contact) {
                incoming.sender = QString::fromStdString((*contact)->username);
            }
            content::Content body;
            if (!(*message)->ephemerality.burnOnRead &&
                body.ParseFromArray((*message)->body.data(),
                                    static_cast<int>((*message)->body.size())) &&
                body.has_text()) {
                incoming.text = QString::fromStdString(body.text().text());
            }
            return incoming;
        },
        this,
        [this, conversationId](Incoming incoming) {
            if (!incoming.show) {
                return;
            }
            m_lastConversation = conversationId;
            const QString body = notificationBody(incoming.sender, incoming.text, m_previews);
            const QString title =
                incoming.title.isEmpty() ? QStringLiteral("Cinder") : incoming.title;
            if (m_tray) {
                m_tray->showMessage(title, body, QSystemTrayIcon::Information, 5000);
            }
            if (m_window) {
                m_window->alert(0); // the task bar entry asks for attention until activated
            }
            Q_EMIT notified(title, body);
        });
}

} // namespace cinder::app
