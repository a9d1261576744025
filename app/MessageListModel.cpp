// SPDX-License-Identifier: Apache-2.0
#include "app/MessageListModel.h"

#include <QLocale>

#include <map>

namespace cinder::app {

MessageItem messageItemOf(const client::Message& message) {
    MessageItem item;
    item.id = SessionHost::hex(message.id);
    item.senderId = SessionHost::hex(message.senderRootId);
    item.outgoing = message.outgoing;
    item.sender = message.outgoing ? QString() : QString::fromStdString(message.senderUsername);
    item.sentAt = QDateTime::fromMSecsSinceEpoch(message.sentAtMs);
    item.expiresAtMs = message.expiresAtMs;
    item.burnOnRead = message.timers.burnOnRead;
    item.burnDeadlineMs = message.burnDeadlineMs.value_or(0);
    item.shown = message.shownAtMs.has_value();
    item.edited = message.edited;
    item.deleted = message.deleted;
    item.readState = static_cast<int>(message.readState);
    item.cursor = message.cursor;
    switch (message.kind) {
    case client::MessageKind::Reaction:
        item.contentType = QStringLiteral("reaction");
        item.text = QString::fromStdString(message.text);
        if (message.reactionTarget) {
            item.replyToId = SessionHost::hex(*message.reactionTarget);
        }
        if (message.reactionRemoved) {
            item.text.prepend(QLatin1Char('-'));
        }
        return item;
    case client::MessageKind::File:
        item.contentType = QStringLiteral("file");
        if (!message.attachments.empty()) {
            const client::Attachment& file = message.attachments.front();
            item.fileName = QString::fromStdString(file.fileName);
            item.fileSize = static_cast<qint64>(file.size);
            item.attachmentId = file.id;
            item.downloaded = file.downloaded;
        }
        break;
    default:
        item.contentType = QStringLiteral("text");
        if (!message.deleted) {
            item.text = QString::fromStdString(message.text);
        }
        break;
    }
    if (message.replyTo) {
        item.replyToId = SessionHost::hex(*message.replyTo);
        item.replyToText = QString::fromStdString(message.replyToText);
    }
    return item;
}

namespace {

constexpr int kTickMs = 1000;

QString readStateName(int state) {
    switch (static_cast<client::ReadState>(state)) {
    case client::ReadState::Unread:
        return QStringLiteral("unread");
    case client::ReadState::Read:
        return QStringLiteral("read");
    case client::ReadState::Seen:
        return QStringLiteral("seen");
    case client::ReadState::Sending:
        return QStringLiteral("sending");
    case client::ReadState::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("read");
}

// One page of a conversation, oldest first, newest at the end (on the session's thread).
MessageListModel::Page readPage(client::Session& session,
                                const crypto::ConversationId& conversation,
                                std::optional<client::MessageCursor> before) {
    MessageListModel::Page page;
    auto messages = session.messagePage(conversation, before, MessageListModel::kPageSize);
    if (!messages) {
        page.atBeginning = true;
        return page;
    }
    for (auto it = messages->rbegin(); it != messages->rend(); ++it) {
        page.items.append(messageItemOf(*it));
    }
    page.atBeginning = messages->size() < static_cast<std::size_t>(MessageListModel::kPageSize);
    return page;
}

} // namespace

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {
    m_ticker.setInterval(kTickMs);
    connect(&m_ticker, &QTimer::timeout, this, &MessageListModel::tick);
}

void MessageListModel::setHost(SessionHost* host) {
    if (m_host == host) {
        return;
    }
    if (m_host) {
        disconnect(m_host, nullptr, this, nullptr);
    }
    m_host = host;
    if (m_host) {
        connect(m_host, &SessionHost::messageAdded, this, &MessageListModel::onAdded);
        connect(m_host, &SessionHost::messageUpdated, this, &MessageListModel::onUpdated);
        connect(m_host, &SessionHost::messagesRemoved, this, &MessageListModel::removeIds);
        connect(m_host, &SessionHost::sessionStopped, this, &MessageListModel::reset);
        connect(m_host, &SessionHost::transferProgress, this,
                [this](qint64 attachmentId, quint64 done, quint64 total) {
                    for (qsizetype i = 0; i < m_items.size(); ++i) {
                        if (m_items.at(i).attachmentId == attachmentId) {
                            m_transfers[attachmentId] =
                                total == 0 ? 1.0
                                           : static_cast<double>(done) / static_cast<double>(total);
                            if (done >= total) {
                                m_transfers.remove(attachmentId);
                            }
                            const QModelIndex at = index(static_cast<int>(i));
                            Q_EMIT dataChanged(at, at, {TransferRole});
                        }
                    }
                });
    }
    Q_EMIT hostChanged();
    reset();
}

void MessageListModel::setConversationId(const QString& id) {
    if (m_conversationId == id) {
        return;
    }
    m_conversationId = id;
    m_conversation = SessionHost::idFromHex<crypto::kConversationIdSize>(id);
    Q_EMIT conversationIdChanged();
    reset();
}

void MessageListModel::reset() {
    ++m_generation;
    beginResetModel();
    m_items.clear();
    m_ids.clear();
    m_reactions.clear();
    m_transfers.clear();
    endResetModel();
    m_atBeginning = false;
    m_loading = false;
    Q_EMIT loadingChanged();
    m_ticker.stop();
    loadNewest();
}

void MessageListModel::loadNewest() {
    const auto conversation = SessionHost::idFromHex<crypto::kConversationIdSize>(m_conversationId);
    if (!m_host || !conversation) {
        return;
    }
    m_loading = true;
    m_oldest.reset();
    Q_EMIT loadingChanged();
    const quint64 generation = m_generation;
    m_host->run<Page>(
        [conversation](client::Session& session) {
            return readPage(session, *conversation, std::nullopt);
        },
        this,
        [this, generation](Page page) {
            if (generation != m_generation) {
                return;
            }
            noteOldest(page.items);
            foldReactions(page.items);
            // A full reload: the conversation shown is another one.
            beginResetModel();
            m_items = std::move(page.items);
            m_ids.clear();
            for (const MessageItem& item : std::as_const(m_items)) {
                m_ids.insert(item.id);
            }
            endResetModel();
            m_atBeginning = page.atBeginning;
            m_loading = false;
            Q_EMIT loadingChanged();
            m_ticker.start();
            Q_EMIT messagesAppended();
        });
}

bool MessageListModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !m_atBeginning && !m_loading && m_oldest.has_value();
}

void MessageListModel::fetchMore(const QModelIndex& parent) {
    if (canFetchMore(parent)) {
        loadOlder();
    }
}

void MessageListModel::loadOlder() {
    const auto conversation = SessionHost::idFromHex<crypto::kConversationIdSize>(m_conversationId);
    if (!m_host || !conversation || !m_oldest) {
        return;
    }
    const client::MessageCursor cursor = *m_oldest;
    m_loading = true;
    Q_EMIT loadingChanged();
    const quint64 generation = m_generation;
    m_host->run<Page>(
        [conversation, cursor](client::Session& session) {
            return readPage(session, *conversation, cursor);
        },
        this,
        [this, generation](Page page) {
            if (generation != m_generation) {
                return;
            }
            noteOldest(page.items);
            foldReactions(page.items);
            if (!page.items.isEmpty()) {
                beginInsertRows({}, 0, static_cast<int>(page.items.size()) - 1);
                // QList keeps room at its front: each page costs its own size, not the list's.
                for (auto it = page.items.rbegin(); it != page.items.rend(); ++it) {
                    m_ids.insert(it->id);
                    m_items.prepend(std::move(*it));
                }
                endInsertRows();
            }
            m_atBeginning = page.atBeginning;
            m_loading = false;
            Q_EMIT loadingChanged();
        });
}

// The next older page starts below the oldest record read, reactions included: they leave the
// rows, and a page of nothing but reactions must still move the cursor on.
void MessageListModel::noteOldest(const QList<MessageItem>& page) {
    if (!page.isEmpty()) {
        m_oldest = page.first().cursor;
    }
}

void MessageListModel::foldReactions(QList<MessageItem>& items) {
    for (auto it = items.begin(); it != items.end();) {
        if (it->contentType == QLatin1String("reaction")) {
            m_reactions.append(*it);
            const int target = indexOf(it->replyToId);
            if (target >= 0) {
                Q_EMIT dataChanged(index(target), index(target), {ReactionsRole});
            }
            it = items.erase(it);
        } else {
            ++it;
        }
    }
}

void MessageListModel::onAdded(const client::Message& message) {
    if (!m_conversation || message.conversation != *m_conversation) {
        return;
    }
    MessageItem item = messageItemOf(message);
    if (item.contentType == QLatin1String("reaction")) {
        QList<MessageItem> one{std::move(item)};
        foldReactions(one);
        return;
    }
    if (m_ids.contains(item.id)) {
        return; // already in the page that loaded it
    }
    insertInOrder(std::move(item));
}

void MessageListModel::onUpdated(const client::Message& message) {
    if (!m_conversation || message.conversation != *m_conversation) {
        return;
    }
    MessageItem item = messageItemOf(message);
    if (item.contentType == QLatin1String("reaction")) {
        m_reactions.removeIf([&](const MessageItem& r) { return r.id == item.id; });
        QList<MessageItem> one{std::move(item)};
        foldReactions(one);
        return;
    }
    const int row = indexOf(item.id);
    if (row >= 0) {
        m_items[row] = std::move(item);
        Q_EMIT dataChanged(index(row), index(row));
        return;
    }
    // Not shown: only a message inside the loaded range is taken in.
    if (!m_items.isEmpty() && item.sentAt >= m_items.first().sentAt) {
        insertInOrder(std::move(item));
    }
}

// New: in time order (a message written offline may be older than the newest).
void MessageListModel::insertInOrder(MessageItem item) {
    qsizetype at = m_items.size();
    while (at > 0 && m_items.at(at - 1).sentAt > item.sentAt) {
        --at;
    }
    beginInsertRows({}, static_cast<int>(at), static_cast<int>(at));
    m_ids.insert(item.id);
    m_items.insert(at, std::move(item));
    endInsertRows();
    if (!m_ticker.isActive()) {
        m_ticker.start();
    }
    if (at == m_items.size() - 1) {
        Q_EMIT messagesAppended();
    }
}

void MessageListModel::removeIds(const QStringList& ids) {
    for (const QString& id : ids) {
        const int row = indexOf(id);
        if (row >= 0) {
            beginRemoveRows({}, row, row);
            m_items.removeAt(row);
            m_ids.remove(id);
            endRemoveRows();
        }
        m_reactions.removeIf([&](const MessageItem& r) { return r.id == id; });
    }
}

void MessageListModel::tick() {
    if (!m_items.isEmpty()) {
        Q_EMIT dataChanged(index(0), index(static_cast<int>(m_items.size()) - 1),
                           {RemainingRole, RemainingLabelRole});
    }
}

qint64 MessageListModel::remainingSeconds(const MessageItem& item, qint64 nowMs) const {
    qint64 deadline = item.expiresAtMs;
    if (item.burnDeadlineMs > 0) {
        deadline = std::min(deadline, item.burnDeadlineMs);
    }
    if (deadline <= 0) {
        return -1;
    }
    return std::max<qint64>(0, (deadline - nowMs + 999) / 1000);
}

QString MessageListModel::remainingLabel(qint64 seconds) {
    // Rounded up, so a message just sent with a one-week timer says 7d, like its timer.
    if (seconds < 0) {
        return {};
    }
    if (seconds < 60) {
        return tr("%1s").arg(seconds);
    }
    if (const qint64 minutes = (seconds + 59) / 60; minutes < 60) {
        return tr("%1m").arg(minutes);
    }
    if (const qint64 hours = (seconds + 3599) / 3600; hours < 24) {
        return tr("%1h").arg(hours);
    }
    return tr("%1d").arg((seconds + 86399) / 86400);
}

QString MessageListModel::dayLabel(const QDate& day, const QDate& today) {
    if (day == today) {
        return tr("Today");
    }
    if (day == today.addDays(-1)) {
        return tr("Yesterday");
    }
    return QLocale().toString(day, QLocale::LongFormat);
}

int MessageListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int row = index.row();
    const MessageItem& item = m_items.at(row);
    const MessageItem* previous = row > 0 ? &m_items.at(row - 1) : nullptr;
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return item.deleted ? QString() : item.text;
    case MessageIdRole:
        return item.id;
    case SenderRole:
        return item.sender;
    case OutgoingRole:
        return item.outgoing;
    case SentAtRole:
        return item.sentAt;
    case TimeLabelRole:
        return item.sentAt.time().toString(QStringLiteral("HH:mm"));
    case DayLabelRole:
        if (previous == nullptr || previous->sentAt.date() != item.sentAt.date()) {
            return dayLabel(item.sentAt.date(), QDate::currentDate());
        }
        return QString();
    case FirstInGroupRole:
        return previous == nullptr || previous->senderId != item.senderId ||
               previous->sentAt.date() != item.sentAt.date();
    case RemainingRole:
        return remainingSeconds(item, QDateTime::currentMSecsSinceEpoch());
    case RemainingLabelRole:
        return remainingLabel(remainingSeconds(item, QDateTime::currentMSecsSinceEpoch()));
    case BurnOnReadRole:
        return item.burnOnRead;
    case RevealedRole:
        return item.shown;
    case EditedRole:
        return item.edited;
    case DeletedRole:
        return item.deleted;
    case ReadStateRole:
        return readStateName(item.readState);
    case ContentTypeRole:
        return item.contentType;
    case ReplyToTextRole:
        return item.replyToText;
    case ReactionsRole: {
        // Latest reaction of each sender per emoji; a removal takes it back.
        std::map<QString, std::map<QString, bool>> bySender; // emoji -> sender -> on
        for (const MessageItem& reaction : m_reactions) {
            if (reaction.replyToId != item.id) {
                continue;
            }
            const bool removal = reaction.text.startsWith(QLatin1Char('-'));
            const QString emoji = removal ? reaction.text.mid(1) : reaction.text;
            bySender[emoji][reaction.senderId] = !removal;
        }
        QStringList parts;
        for (const auto& [emoji, senders] : bySender) {
            const auto count = std::count_if(senders.begin(), senders.end(),
                                             [](const auto& s) { return s.second; });
            if (count > 0) {
                parts.append(QStringLiteral("%1 %2").arg(emoji).arg(count));
            }
        }
        return parts.join(QStringLiteral("  "));
    }
    case FileNameRole:
        return item.fileName;
    case FileSizeRole:
        return item.fileSize;
    case AttachmentIdRole:
        return item.attachmentId;
    case DownloadedRole:
        return item.downloaded;
    case TransferRole:
        return m_transfers.value(item.attachmentId, -1.0);
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
    return {{MessageIdRole, "messageId"},
            {TextRole, "text"},
            {SenderRole, "sender"},
            {OutgoingRole, "outgoing"},
            {SentAtRole, "sentAt"},
            {TimeLabelRole, "timeLabel"},
            {DayLabelRole, "dayLabel"},
            {FirstInGroupRole, "firstInGroup"},
            {RemainingRole, "remaining"},
            {RemainingLabelRole, "remainingLabel"},
            {BurnOnReadRole, "burnOnRead"},
            {RevealedRole, "revealed"},
            {EditedRole, "edited"},
            {DeletedRole, "deleted"},
            {ReadStateRole, "readState"},
            {ContentTypeRole, "contentType"},
            {ReplyToTextRole, "replyToText"},
            {ReactionsRole, "reactions"},
            {FileNameRole, "fileName"},
            {FileSizeRole, "fileSize"},
            {AttachmentIdRole, "attachmentId"},
            {DownloadedRole, "downloaded"},
            {TransferRole, "transfer"}};
}

int MessageListModel::indexOf(const QString& messageId) const {
    if (!m_ids.contains(messageId)) {
        return -1;
    }
    // From the newest end: changes mostly concern recent messages.
    for (qsizetype i = m_items.size() - 1; i >= 0; --i) {
        if (m_items.at(i).id == messageId) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

QStringList MessageListModel::unreadIds() const {
    QStringList ids;
    for (const MessageItem& item : m_items) {
        // A burn-on-read message is only marked read by revealing it.
        if (!item.outgoing && item.readState == 0 && !item.burnOnRead) {
            ids.append(item.id);
        }
    }
    return ids;
}

} // namespace cinder::app
