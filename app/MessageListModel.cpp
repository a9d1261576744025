// SPDX-License-Identifier: Apache-2.0
#include "app/MessageListModel.h"

#include <QLocale>

#include <map>

namespace cinder::app {

namespace {

constexpr int kTickMs = 1000;

QString readStateName(int state) {
    switch (static_cast<storage::ReadState>(state)) {
    case storage::ReadState::Unread:
        return QStringLiteral("unread");
    case storage::ReadState::Read:
        return QStringLiteral("read");
    case storage::ReadState::Seen:
        return QStringLiteral("seen");
    case storage::ReadState::Queued:
        return QStringLiteral("sending");
    case storage::ReadState::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("read");
}

// Reads one stored message into what the list shows (on the session's thread).
class ItemReader {
public:
    explicit ItemReader(client::Session& session) : m_session(session) {}

    MessageItem read(const client::MessageView& message) {
        const storage::MessageRecord& record = message.record;
        const content::Content& body = message.content;
        MessageItem item;
        item.id = SessionHost::hex(record.id);
        item.senderId = SessionHost::hex(record.senderRootId);
        item.outgoing = record.outgoing;
        item.sender = record.outgoing ? QString() : usernameOf(record.senderRootId);
        item.sentAt = QDateTime::fromMSecsSinceEpoch(record.sentAtMs);
        item.expiresAtMs = record.expiresAtMs;
        item.burnOnRead = record.ephemerality.burnOnRead;
        item.burnDeadlineMs = record.burnDeadlineMs.value_or(0);
        item.shown = record.shownAtMs.has_value();
        item.edited = record.edited;
        item.deleted = record.deleted;
        item.readState = static_cast<int>(record.readState);
        item.rowId = record.rowId;
        if (record.contentType == crypto::ContentType::Reaction && body.has_reaction()) {
            item.contentType = QStringLiteral("reaction");
            item.text = QString::fromStdString(body.reaction().emoji());
            item.replyToId =
                QString::fromStdString(crypto::toHex(crypto::asBytes(body.reaction().target())));
            if (body.reaction().remove()) {
                item.text.prepend(QLatin1Char('-'));
            }
            return item;
        }
        if (record.contentType == crypto::ContentType::File) {
            item.contentType = QStringLiteral("file");
            if (auto attachments = m_session.store().attachments().ofMessage(record.id);
                attachments && !attachments->empty()) {
                const storage::AttachmentRecord& file = attachments->front();
                item.fileName = QString::fromStdString(file.fileName);
                item.fileSize = static_cast<qint64>(file.size);
                item.attachmentId = file.id;
                item.downloaded = file.localName.has_value();
            } else if (body.has_file()) {
                item.fileName = QString::fromStdString(body.file().file_name());
                item.fileSize = static_cast<qint64>(body.file().size());
            }
        } else {
            item.contentType = QStringLiteral("text");
            if (!record.deleted && body.has_text()) {
                item.text = QString::fromStdString(body.text().text());
            }
        }
        if (record.replyTo) {
            item.replyToId = SessionHost::hex(*record.replyTo);
            if (auto target = m_session.store().messages().find(*record.replyTo);
                target && *target) {
                content::Content quoted;
                if (!(*target)->deleted &&
                    quoted.ParseFromArray((*target)->body.data(),
                                          static_cast<int>((*target)->body.size())) &&
                    quoted.has_text()) {
                    item.replyToText = QString::fromStdString(quoted.text().text()).left(140);
                }
            }
        }
        return item;
    }

private:
    QString usernameOf(const crypto::RootId& rootId) {
        auto cached = m_names.find(rootId);
        if (cached != m_names.end()) {
            return cached->second;
        }
        QString name;
        if (auto contact = m_session.store().contacts().find(rootId); contact && *contact) {
            name = QString::fromStdString((*contact)->username);
        }
        m_names.emplace(rootId, name);
        return name;
    }

    client::Session& m_session;
    std::map<crypto::RootId, QString> m_names;
};

// One page of a conversation, oldest first, newest at the end (on the session's thread).
MessageListModel::Page readPage(client::Session& session,
                                const crypto::ConversationId& conversation,
                                std::optional<storage::MessageCursor> before) {
    MessageListModel::Page page;
    auto records =
        session.store().messages().page(conversation, before, MessageListModel::kPageSize);
    if (!records) {
        page.atBeginning = true;
        return page;
    }
    ItemReader reader(session);
    for (auto it = records->rbegin(); it != records->rend(); ++it) {
        client::MessageView view;
        (void)view.content.ParseFromArray(it->body.data(), static_cast<int>(it->body.size()));
        view.record = std::move(*it);
        page.items.append(reader.read(view));
    }
    page.atBeginning = records->size() < static_cast<std::size_t>(MessageListModel::kPageSize);
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
        connect(m_host, &SessionHost::messageReceived, this,
                [this](const QString& messageId, const QString& conversationId) {
                    if (conversationId == m_conversationId) {
                        refreshOne(messageId);
                    }
                });
        connect(m_host, &SessionHost::messageChanged, this, &MessageListModel::refreshOne);
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
    Q_EMIT conversationIdChanged();
    reset();
}

void MessageListModel::reset() {
    ++m_generation;
    beginResetModel();
    m_items.clear();
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
            beginResetModel();
            m_items = std::move(page.items);
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
    const storage::MessageCursor cursor = *m_oldest;
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
        m_oldest =
            storage::MessageCursor{page.first().sentAt.toMSecsSinceEpoch(), page.first().rowId};
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

void MessageListModel::refreshOne(const QString& messageId) {
    const auto id = SessionHost::idFromHex<crypto::kMessageIdSize>(messageId);
    if (!m_host || !id || m_conversationId.isEmpty()) {
        return;
    }
    const quint64 generation = m_generation;
    using Loaded = std::optional<std::pair<QString, MessageItem>>;
    m_host->run<Loaded>(
        [id](client::Session& session) -> Loaded {
            auto record = session.store().messages().find(*id);
            if (!record || !*record) {
                return std::nullopt;
            }
            client::MessageView view;
            (void)view.content.ParseFromArray((*record)->body.data(),
                                              static_cast<int>((*record)->body.size()));
            view.record = std::move(**record);
            ItemReader reader(session);
            return std::make_pair(SessionHost::hex(view.record.conversationId), reader.read(view));
        },
        this,
        [this, generation, messageId](Loaded loaded) {
            if (generation != m_generation) {
                return;
            }
            if (!loaded) {
                removeIds({messageId});
                return;
            }
            if (loaded->first != m_conversationId) {
                return;
            }
            MessageItem& item = loaded->second;
            if (item.contentType == QLatin1String("reaction")) {
                QList<MessageItem> one{item};
                foldReactions(one);
                return;
            }
            const int row = indexOf(item.id);
            if (row >= 0) {
                m_items[row] = std::move(item);
                Q_EMIT dataChanged(index(row), index(row));
                return;
            }
            // New: in time order (a message written offline may be older than the newest).
            qsizetype at = m_items.size();
            while (at > 0 && m_items.at(at - 1).sentAt > item.sentAt) {
                --at;
            }
            beginInsertRows({}, static_cast<int>(at), static_cast<int>(at));
            m_items.insert(at, std::move(item));
            endInsertRows();
            if (!m_ticker.isActive()) {
                m_ticker.start();
            }
            if (at == m_items.size() - 1) {
                Q_EMIT messagesAppended();
            }
        });
}

void MessageListModel::removeIds(const QStringList& ids) {
    for (const QString& id : ids) {
        const int row = indexOf(id);
        if (row >= 0) {
            beginRemoveRows({}, row, row);
            m_items.removeAt(row);
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
    for (qsizetype i = 0; i < m_items.size(); ++i) {
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
