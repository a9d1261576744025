// SPDX-License-Identifier: Apache-2.0
#include "app/ConversationListModel.h"

namespace cinder::app {

namespace {

// A one-line, plain-text preview of a message.
QString previewOf(const client::MessageView& message) {
    if (message.record.deleted) {
        return ConversationListModel::tr("Message deleted");
    }
    // A burn-on-read message stays covered until it is revealed in the chat: the list (and
    // whatever shows the list) must not give it away.
    if (!message.record.outgoing && message.record.ephemerality.burnOnRead &&
        !message.record.shownAtMs) {
        return ConversationListModel::tr("Burns after reading");
    }
    const content::Content& body = message.content;
    QString text;
    if (body.has_text()) {
        text = QString::fromStdString(body.text().text());
    } else if (body.has_file()) {
        text = ConversationListModel::tr("File: %1")
                   .arg(QString::fromStdString(body.file().file_name()));
    } else if (body.has_reaction()) {
        text = ConversationListModel::tr("Reacted %1")
                   .arg(QString::fromStdString(body.reaction().emoji()));
    }
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.left(200);
}

QList<ConversationItem> loadConversations(client::Session& session) {
    QList<ConversationItem> items;
    auto conversations = session.conversations();
    if (!conversations) {
        return items;
    }
    for (const storage::ConversationRecord& record : *conversations) {
        ConversationItem item;
        item.id = SessionHost::hex(record.id);
        item.title = QString::fromStdString(record.title);
        item.room = record.kind == storage::ConversationKind::Room;
        item.unread = static_cast<int>(record.unreadCount);
        item.lastActivity = QDateTime::fromMSecsSinceEpoch(
            record.lastActivityMs > 0 ? record.lastActivityMs : record.createdAtMs);
        item.ttlSeconds = record.defaults.ttlSeconds;
        item.burnOnRead = record.defaults.burnOnRead;
        if (auto newest = session.messages(record.id, 1); newest && !newest->empty()) {
            item.preview = previewOf(newest->front());
        }
        if (record.peerRootId) {
            if (auto contact = session.store().contacts().find(*record.peerRootId);
                contact && *contact) {
                item.identityChanged = (*contact)->identityChanged;
            }
        }
        items.append(item);
    }
    return items;
}

} // namespace

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent) {}

void ConversationListModel::setHost(SessionHost* host) {
    if (m_host == host) {
        return;
    }
    if (m_host) {
        disconnect(m_host, nullptr, this, nullptr);
    }
    m_host = host;
    if (m_host) {
        connect(m_host, &SessionHost::conversationChanged, this, &ConversationListModel::reload);
        connect(m_host, &SessionHost::messageReceived, this, &ConversationListModel::reload);
        connect(m_host, &SessionHost::messageChanged, this, &ConversationListModel::reload);
        connect(m_host, &SessionHost::messagesRemoved, this, &ConversationListModel::reload);
        connect(m_host, &SessionHost::contactChanged, this, &ConversationListModel::reload);
        connect(m_host, &SessionHost::sessionStarted, this, &ConversationListModel::reload);
        connect(m_host, &SessionHost::sessionStopped, this, [this] { apply({}); });
    }
    Q_EMIT hostChanged();
    reload();
}

void ConversationListModel::reload() {
    if (!m_host || !m_host->hasSession()) {
        return;
    }
    // One load at a time; changes during a load cause one more load after it.
    if (m_loading) {
        m_reloadAgain = true;
        return;
    }
    m_loading = true;
    Q_EMIT loadingChanged();
    m_host->run<QList<ConversationItem>>(loadConversations, this,
                                         [this](QList<ConversationItem> items) {
                                             m_loading = false;
                                             Q_EMIT loadingChanged();
                                             apply(std::move(items));
                                             if (m_reloadAgain) {
                                                 m_reloadAgain = false;
                                                 reload();
                                             }
                                         });
}

void ConversationListModel::apply(QList<ConversationItem> items) {
    const int before = unreadTotal();
    beginResetModel();
    m_items = std::move(items);
    endResetModel();
    if (unreadTotal() != before) {
        Q_EMIT unreadTotalChanged();
    }
    Q_EMIT loaded();
}

int ConversationListModel::unreadTotal() const {
    int total = 0;
    for (const ConversationItem& item : m_items) {
        total += item.unread;
    }
    return total;
}

int ConversationListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const ConversationItem& item = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return item.title;
    case ConversationIdRole:
        return item.id;
    case IsRoomRole:
        return item.room;
    case UnreadRole:
        return item.unread;
    case LastActivityRole:
        return item.lastActivity;
    case PreviewRole:
        return item.preview;
    case TtlSecondsRole:
        return item.ttlSeconds;
    case BurnOnReadRole:
        return item.burnOnRead;
    case IdentityChangedRole:
        return item.identityChanged;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const {
    return {{ConversationIdRole, "conversationId"},
            {TitleRole, "title"},
            {IsRoomRole, "isRoom"},
            {UnreadRole, "unread"},
            {LastActivityRole, "lastActivity"},
            {PreviewRole, "preview"},
            {TtlSecondsRole, "ttlSeconds"},
            {BurnOnReadRole, "burnOnRead"},
            {IdentityChangedRole, "identityChanged"}};
}

int ConversationListModel::indexOf(const QString& conversationId) const {
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).id == conversationId) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

} // namespace cinder::app
