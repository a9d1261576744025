// SPDX-License-Identifier: Apache-2.0
#include "app/ConversationListModel.h"

#include <utility>

namespace cinder::app {

namespace {

// A one-line, plain-text preview of a message.
QString previewOf(const client::Message& message) {
    if (message.deleted) {
        return ConversationListModel::tr("Message deleted");
    }
    // A burn-on-read message stays covered until it is revealed in the chat: the list (and
    // whatever shows the list) must not give it away.
    if (!message.outgoing && message.timers.burnOnRead && !message.shownAtMs) {
        return ConversationListModel::tr("Burns after reading");
    }
    QString text;
    switch (message.kind) {
    case client::MessageKind::Text:
        text = QString::fromStdString(message.text);
        break;
    case client::MessageKind::File:
        if (!message.attachments.empty()) {
            text = ConversationListModel::tr("File: %1")
                       .arg(QString::fromStdString(message.attachments.front().fileName));
        }
        break;
    case client::MessageKind::Reaction:
        text = ConversationListModel::tr("Reacted %1").arg(QString::fromStdString(message.text));
        break;
    case client::MessageKind::Other:
        break;
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
    for (const client::ConversationSummary& summary : *conversations) {
        items.append(conversationItemOf(summary));
    }
    return items;
}

// Most recent activity first; among equals, the one learned of later first (the store lists
// newer conversations first too).
bool before(const ConversationItem& a, const ConversationItem& b) {
    if (a.activityMs != b.activityMs) {
        return a.activityMs > b.activityMs;
    }
    return a.arrival > b.arrival;
}

} // namespace

ConversationItem conversationItemOf(const client::ConversationSummary& summary) {
    ConversationItem item;
    item.id = SessionHost::hex(summary.id);
    item.title = QString::fromStdString(summary.title);
    item.room = summary.kind == client::ConversationKind::Room;
    item.unread = static_cast<int>(summary.unreadCount);
    item.lastActivity = QDateTime::fromMSecsSinceEpoch(
        summary.lastActivityMs > 0 ? summary.lastActivityMs : summary.createdAtMs);
    item.activityMs = summary.lastActivityMs;
    item.ttlSeconds = summary.timers.ttlSeconds;
    item.burnOnRead = summary.timers.burnOnRead;
    if (summary.lastMessage) {
        item.preview = previewOf(*summary.lastMessage);
    }
    item.identityChanged = summary.identityChanged;
    return item;
}

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
        connect(m_host, &SessionHost::conversationUpdated, this, &ConversationListModel::update);
        connect(m_host, &SessionHost::conversationRemoved, this, &ConversationListModel::remove);
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
    // One load at a time; a reload asked for during a load runs once after it.
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
    // The load lists newest first: the first row is the latest learned of among equals.
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
        it->arrival = ++m_arrivals;
    }
    beginResetModel();
    m_items = std::move(items);
    endResetModel();
    // Changes announced while the load ran may be newer than what it read.
    const auto updates = std::exchange(m_pendingUpdates, {});
    const auto removals = std::exchange(m_pendingRemovals, {});
    for (const client::ConversationSummary& summary : updates) {
        update(summary);
    }
    for (const QString& id : removals) {
        remove(id);
    }
    noteUnreadTotal(before);
    Q_EMIT loaded();
}

void ConversationListModel::update(const client::ConversationSummary& summary) {
    if (m_loading) {
        m_pendingUpdates.append(summary);
        return;
    }
    const int unreadBefore = unreadTotal();
    ConversationItem item = conversationItemOf(summary);
    const int row = indexOf(item.id);
    if (row < 0) {
        item.arrival = ++m_arrivals;
        const int at = rowFor(item, -1);
        beginInsertRows({}, at, at);
        m_items.insert(at, std::move(item));
        endInsertRows();
        noteUnreadTotal(unreadBefore);
        return;
    }
    item.arrival = m_items.at(row).arrival;
    const int at = rowFor(item, row);
    if (at != row) {
        // beginMoveRows names the destination as a row of the list before the move.
        beginMoveRows({}, row, row, {}, at > row ? at + 1 : at);
        m_items.move(row, at);
        endMoveRows();
    }
    m_items[at] = std::move(item);
    Q_EMIT dataChanged(index(at), index(at));
    noteUnreadTotal(unreadBefore);
}

void ConversationListModel::remove(const QString& conversationId) {
    if (m_loading) {
        m_pendingRemovals.append(conversationId);
        return;
    }
    const int row = indexOf(conversationId);
    if (row < 0) {
        return;
    }
    const int unreadBefore = unreadTotal();
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
    noteUnreadTotal(unreadBefore);
}

int ConversationListModel::rowFor(const ConversationItem& item, int without) const {
    int at = 0;
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        if (i != without && before(m_items.at(i), item)) {
            ++at;
        }
    }
    return at;
}

void ConversationListModel::noteUnreadTotal(int before) {
    if (unreadTotal() != before) {
        Q_EMIT unreadTotalChanged();
    }
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
