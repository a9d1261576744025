// SPDX-License-Identifier: Apache-2.0
#pragma once

// The members of a room as this device holds them (signed group-control messages), with the
// actions a manager has: add, remove, promote, rename; and leave for everyone. A change of the
// room's members reaches the view as row changes (insert, remove, move, dataChanged); the model
// is reset only when it loads anew (another room, another session).

#include "app/SessionHost.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QQmlEngine>

namespace cinder::app {

struct MemberItem {
    QString username;
    QString rootId;
    bool manager = false;
    bool self = false;
    bool operator==(const MemberItem&) const = default;
};

class RoomMemberModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(QString conversationId READ conversationId WRITE setConversationId NOTIFY
                   conversationIdChanged)
    Q_PROPERTY(bool canManage READ canManage NOTIFY membersChanged)
    Q_PROPERTY(bool isMember READ isMember NOTIFY membersChanged)
    Q_PROPERTY(QString title READ title NOTIFY membersChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

public:
    enum Roles {
        UsernameRole = Qt::UserRole + 1, // string
        ManagerRole,                     // bool: may change the membership
        SelfRole,                        // bool: this account
    };
    Q_ENUM(Roles)

    explicit RoomMemberModel(QObject* parent = nullptr);
    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] QString conversationId() const { return m_conversationId; }
    void setConversationId(const QString& id);
    [[nodiscard]] bool canManage() const;
    [[nodiscard]] bool isMember() const;
    [[nodiscard]] QString title() const { return m_title; }
    [[nodiscard]] QString lastError() const { return m_lastError; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void addMember(const QString& username);
    Q_INVOKABLE void removeMember(const QString& username);
    Q_INVOKABLE void promote(const QString& username);
    Q_INVOKABLE void rename(const QString& title);
    Q_INVOKABLE void leave();
    Q_INVOKABLE void reload();

Q_SIGNALS:
    void hostChanged();
    void conversationIdChanged();
    void membersChanged();
    void lastErrorChanged();

private:
    template <typename Job>
    void act(Job job);
    // Turns the rows into next (managers first, then by name) with row-level changes.
    void applyMembers(QList<MemberItem> next);

    QPointer<SessionHost> m_host;
    QString m_conversationId;
    QList<MemberItem> m_members;
    QString m_title;
    quint64 m_roomEpoch = 0; // of the last summary that caused a reload
    bool m_loadAnew = true;  // the next load shows another room or session: a reset
    QString m_lastError;
};

} // namespace cinder::app
