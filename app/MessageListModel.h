// SPDX-License-Identifier: Apache-2.0
#pragma once

// The messages of one conversation, oldest at row 0 and newest last, loaded lazily in pages
// from the newest (fetchMore adds older ones at the top). Reactions are folded into the message
// they react to. Expiry and burn countdowns tick here, once a second, so QML only shows them.
// Bodies are plain text: nothing here is ever interpreted as markup. Messages come as values
// (client::Message): pages from the session's queries, then each added or changed message from
// the session's signals, applied as row inserts and dataChanged; a reset only when another
// conversation is shown.

#include "app/SessionHost.h"
#include "client/Message.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QPointer>
#include <QQmlEngine>
#include <QSet>
#include <QTimer>

#include <optional>
#include <utility>

namespace cinder::app {

struct MessageItem {
    QString id;
    QString senderId; // root id hex
    QString sender;   // username, or "" for this account
    bool outgoing = false;
    QDateTime sentAt;
    qint64 expiresAtMs = 0;
    bool burnOnRead = false;
    qint64 burnDeadlineMs = 0; // 0 until shown
    bool shown = false;
    bool edited = false;
    bool deleted = false;
    int readState = 0;   // client::ReadState
    QString contentType; // "text", "file"
    QString text;
    QString replyToId;
    QString replyToText;
    QString fileName;
    qint64 fileSize = 0;
    qint64 attachmentId = 0;
    bool downloaded = false;
    client::MessageCursor cursor;
};

// What a row shows of a message (any thread).
[[nodiscard]] MessageItem messageItemOf(const client::Message& message);

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(QString conversationId READ conversationId WRITE setConversationId NOTIFY
                   conversationIdChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool atBeginning READ atBeginning NOTIFY loadingChanged) // no older messages

public:
    static constexpr int kPageSize = 50;

    enum Roles {
        MessageIdRole = Qt::UserRole + 1, // hex id
        TextRole,                         // plain text (empty for a deleted message)
        SenderRole,                       // username of the sender ("" when it is this account)
        OutgoingRole,                     // bool
        SentAtRole,                       // QDateTime
        TimeLabelRole,                    // "14:03"
        DayLabelRole,       // "Today", a date: set on the first message of each day, else ""
        FirstInGroupRole,   // bool: a different sender (or day) than the row above
        RemainingRole,      // seconds until the message is deleted (expiry or burn), -1 none
        RemainingLabelRole, // "5m", "2h", "3d": the countdown as shown
        BurnOnReadRole,     // bool
        RevealedRole,       // bool: a burn-on-read message has been shown (its burn runs)
        EditedRole,         // bool
        DeletedRole,        // bool: deleted by its sender (a tombstone)
        ReadStateRole,      // "unread", "read", "seen" (a recipient read ours), "sending" (ours,
                            // still in the outbox) or "failed" (ours, given up)
        ContentTypeRole,    // "text" or "file"
        ReplyToTextRole,    // text of the message this one answers, "" when none
        ReactionsRole,      // "👍 2  ❤ 1" summary, "" when none
        FileNameRole,       // display-only name of an attached file
        FileSizeRole,       // bytes
        AttachmentIdRole,   // qint64
        DownloadedRole,     // bool: the file is on this device
        TransferRole,       // 0..1 while uploading or downloading, -1 otherwise
    };
    Q_ENUM(Roles)

    explicit MessageListModel(QObject* parent = nullptr);

    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] QString conversationId() const { return m_conversationId; }
    void setConversationId(const QString& id);
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] bool atBeginning() const { return m_atBeginning; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    Q_INVOKABLE int indexOf(const QString& messageId) const;
    // Messages currently loaded that are unread, for marking them read when shown.
    Q_INVOKABLE QStringList unreadIds() const;

    // Formatting, public for tests.
    [[nodiscard]] static QString remainingLabel(qint64 seconds);
    [[nodiscard]] static QString dayLabel(const QDate& day, const QDate& today);

Q_SIGNALS:
    void hostChanged();
    void conversationIdChanged();
    void loadingChanged();
    // New rows at the end (a message came in or was sent): views scroll to it.
    void messagesAppended();

public:
    // A page as read on the session's thread.
    struct Page {
        QList<MessageItem> items;
        bool atBeginning = false;
    };

private:
    void reset();
    void loadNewest();
    void loadOlder();
    void onAdded(const client::Message& message);
    void onUpdated(const client::Message& message);
    void insertInOrder(MessageItem item);
    void removeIds(const QStringList& ids);
    void tick();
    [[nodiscard]] qint64 remainingSeconds(const MessageItem& item, qint64 nowMs) const;
    void noteOldest(const QList<MessageItem>& page);
    void foldReactions(QList<MessageItem>& items);

    QPointer<SessionHost> m_host;
    QString m_conversationId;
    std::optional<crypto::ConversationId> m_conversation;
    QList<MessageItem> m_items;
    QSet<QString> m_ids;            // of m_items
    QList<MessageItem> m_reactions; // reaction rows, folded into their targets
    QHash<qint64, double> m_transfers;
    bool m_loading = false;
    bool m_atBeginning = false;
    std::optional<client::MessageCursor> m_oldest; // where the next older page starts
    quint64 m_generation = 0; // drops results of loads for another conversation
    QTimer m_ticker;
};

} // namespace cinder::app
