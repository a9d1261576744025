// SPDX-License-Identifier: Apache-2.0
#pragma once

// The conversations of the account, most recent first, with unread counts, a plain-text preview
// of the last message and the conversation's timers. Reloaded (off the GUI thread) whenever the
// session reports a change.

#include "app/SessionHost.h"

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
};

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
    Q_INVOKABLE void reload();

Q_SIGNALS:
    void hostChanged();
    void unreadTotalChanged();
    void loadingChanged();
    void loaded();

private:
    void apply(QList<ConversationItem> items);

    QPointer<SessionHost> m_host;
    QList<ConversationItem> m_items;
    bool m_loading = false;
    bool m_reloadAgain = false;
};

} // namespace cinder::app
