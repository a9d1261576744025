// SPDX-License-Identifier: Apache-2.0
#pragma once

// The conversations of the account, most recent first, with unread counts, a plain-text preview
// of the last message and the conversation's timers. Loaded whole (off the GUI thread) when a
// session starts; after that each change comes as a value (client::ConversationSummary) and is
// applied to its row: inserted, moved up when its activity moves it, changed, or removed.

#include "app/SessionHost.h"
#include "client/ConversationSummary.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QPointer>
#include <QQmlEngine>

namespace cinder::app {

struct ConversationItem {
    QString id; // hex
    QString title;
    bool room = false;
    int unread = 0;
    QDateTime lastActivity;
    QString preview;
    quint32 ttlSeconds = 0;
    bool burnOnRead = false;
    bool identityChanged = false;
    qint64 activityMs = 0; // the order of the list: newest message's sent time, 0 before one
    quint64 arrival = 0;   // among equal activity, the one this model learned of later is higher
};

// What a row shows of a conversation (any thread).
[[nodiscard]] ConversationItem conversationItemOf(const client::ConversationSummary& summary);

class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(int unreadTotal READ unreadTotal NOTIFY unreadTotalChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)

public:
    enum Roles {
        ConversationIdRole = Qt::UserRole + 1, // hex id
        TitleRole,                             // the contact's username or the room's title
        IsRoomRole,                            // bool
        UnreadRole,                            // int
        LastActivityRole,                      // QDateTime
        PreviewRole,                           // plain text of the newest message ("" when none)
        TtlSecondsRole,                        // default expiry of new messages
        BurnOnReadRole,                        // bool
        IdentityChangedRole, // bool: the contact's key changed, sending is blocked
    };
    Q_ENUM(Roles)

    explicit ConversationListModel(QObject* parent = nullptr);

    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] int unreadTotal() const;
    [[nodiscard]] bool loading() const { return m_loading; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Row of a conversation, -1 when absent.
    Q_INVOKABLE int indexOf(const QString& conversationId) const;
    // Loads the whole list again (a reset).
    Q_INVOKABLE void reload();

Q_SIGNALS:
    void hostChanged();
    void unreadTotalChanged();
    void loadingChanged();
    void loaded();

private:
    void apply(QList<ConversationItem> items);
    void update(const client::ConversationSummary& summary);
    void remove(const QString& conversationId);
    // The row an item belongs at, counted without the row it may already have (`without`).
    [[nodiscard]] int rowFor(const ConversationItem& item, int without) const;
    void noteUnreadTotal(int before);

    QPointer<SessionHost> m_host;
    QList<ConversationItem> m_items;
    bool m_loading = false;
    bool m_reloadAgain = false;
    quint64 m_arrivals = 0;
    // Changes that came while a full load ran, applied on top of its result.
    QList<client::ConversationSummary> m_pendingUpdates;
    QStringList m_pendingRemovals;
};

} // namespace cinder::app
