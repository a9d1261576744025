// SPDX-License-Identifier: Apache-2.0
#include "app/ContactsController.h"

#include "app/AppController.h"

#include <QRegularExpression>

namespace cinder::app {

ContactsController::ContactsController(QObject* parent) : QObject(parent) {}

void ContactsController::setHost(SessionHost* host) {
    if (m_host != host) {
        m_host = host;
        Q_EMIT hostChanged();
    }
}

void ContactsController::setBusy(bool busy) {
    if (m_busy != busy) {
        m_busy = busy;
        Q_EMIT busyChanged();
    }
}

QStringList ContactsController::parseUsernames(const QString& text) {
    QStringList names;
    for (const QString& part :
         text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts)) {
        QString name = part.trimmed().toLower();
        if (name.startsWith(QLatin1Char('@'))) {
            name.remove(0, 1);
        }
        if (!name.isEmpty() && !names.contains(name)) {
            names.append(name);
        }
    }
    return names;
}

void ContactsController::startChat(const QString& username) {
    const QStringList names = parseUsernames(username);
    if (!m_host || names.size() != 1 || m_busy) {
        m_lastError = errorMessage(client::SessionError::InvalidArgument);
        Q_EMIT lastErrorChanged();
        return;
    }
    setBusy(true);
    const std::string name = names.first().toStdString();
    m_host->run<client::SessionResult<crypto::ConversationId>>(
        [name](client::Session& session) { return session.openDirect(name); }, this,
        [this](client::SessionResult<crypto::ConversationId> opened) {
            setBusy(false);
            m_lastError = opened ? QString() : errorMessage(opened.error());
            Q_EMIT lastErrorChanged();
            if (opened) {
                Q_EMIT conversationOpened(SessionHost::hex(*opened));
            }
        });
}

void ContactsController::createRoom(const QString& title, const QString& members) {
    const QString trimmed = title.trimmed();
    if (!m_host || trimmed.isEmpty() || m_busy) {
        m_lastError = errorMessage(client::SessionError::InvalidArgument);
        Q_EMIT lastErrorChanged();
        return;
    }
    setBusy(true);
    std::vector<std::string> names;
    for (const QString& name : parseUsernames(members)) {
        names.push_back(name.toStdString());
    }
    const std::string roomTitle = trimmed.toStdString();
    m_host->run<client::SessionResult<crypto::ConversationId>>(
        [roomTitle, names](client::Session& session) {
            return session.createRoom(roomTitle, names);
        },
        this,
        [this](client::SessionResult<crypto::ConversationId> created) {
            setBusy(false);
            m_lastError = created ? QString() : errorMessage(created.error());
            Q_EMIT lastErrorChanged();
            if (created) {
                Q_EMIT conversationOpened(SessionHost::hex(*created));
            }
        });
}

} // namespace cinder::app
