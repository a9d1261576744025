// SPDX-License-Identifier: Apache-2.0
#include "app/RoomMemberModel.h"

#include "app/AppController.h"

#include <algorithm>
#include <utility>

namespace cinder::app {

namespace {
struct Loaded {
    QString title;
    QList<MemberItem> members;
};
} // namespace

RoomMemberModel::RoomMemberModel(QObject* parent) : QAbstractListModel(parent) {}

void RoomMemberModel::setHost(SessionHost* host) {
    if (m_host == host) {
        return;
    }
    if (m_host) {
        disconnect(m_host, nullptr, this, nullptr);
    }
    m_host = host;
    m_loadAnew = true;
    if (m_host) {
        connect(m_host, &SessionHost::conversationUpdated, this,
                [this](const client::ConversationSummary& summary) {
                    // Members change with the room's epoch; a message to the room is no reason.
                    if (SessionHost::hex(summary.id) == m_conversationId &&
                        (summary.roomEpoch != m_roomEpoch ||
                         QString::fromStdString(summary.title) != m_title)) {
                        m_roomEpoch = summary.roomEpoch;
                        reload();
                    }
                });
    }
    Q_EMIT hostChanged();
    reload();
}

void RoomMemberModel::setConversationId(const QString& id) {
    if (m_conversationId != id) {
        m_conversationId = id;
        m_loadAnew = true;
        Q_EMIT conversationIdChanged();
        reload();
    }
}

void RoomMemberModel::reload() {
    const auto room = SessionHost::idFromHex<crypto::kConversationIdSize>(m_conversationId);
    if (!m_host || !room) {
        beginResetModel();
        m_members.clear();
        endResetModel();
        Q_EMIT membersChanged();
        return;
    }
    m_host->run<Loaded>(
        [room](client::Session& session) {
            Loaded loaded;
            auto state = session.room(*room);
            if (!state) {
                return loaded;
            }
            loaded.title = QString::fromStdString(state->title);
            for (const client::RoomMember& member : state->members) {
                loaded.members.append(MemberItem{QString::fromStdString(member.username),
                                                 SessionHost::hex(member.rootId), member.manager,
                                                 member.rootId == session.rootId()});
            }
            std::sort(loaded.members.begin(), loaded.members.end(),
                      [](const MemberItem& a, const MemberItem& b) {
                          return a.manager != b.manager ? a.manager : a.username < b.username;
                      });
            return loaded;
        },
        this,
        [this, requested = m_conversationId](Loaded loaded) {
            if (requested != m_conversationId) {
                return; // another room was asked for since; its own load follows
            }
            m_title = loaded.title;
            if (std::exchange(m_loadAnew, false)) {
                beginResetModel();
                m_members = std::move(loaded.members);
                endResetModel();
            } else {
                applyMembers(std::move(loaded.members));
            }
            Q_EMIT membersChanged();
        });
}

void RoomMemberModel::applyMembers(QList<MemberItem> next) {
    const auto find = [](const QList<MemberItem>& in, const QString& rootId, qsizetype from) {
        for (qsizetype i = from; i < in.size(); ++i) {
            if (in.at(i).rootId == rootId) {
                return i;
            }
        }
        return qsizetype{-1};
    };
    // Members who left, from the bottom so the rows above keep their numbers.
    for (qsizetype row = m_members.size() - 1; row >= 0; --row) {
        if (find(next, m_members.at(row).rootId, 0) == -1) {
            beginRemoveRows({}, static_cast<int>(row), static_cast<int>(row));
            m_members.removeAt(row);
            endRemoveRows();
        }
    }
    // Then row by row from the top: everything above `row` is already as in next.
    for (qsizetype row = 0; row < next.size(); ++row) {
        const MemberItem& wanted = next.at(row);
        const qsizetype at = find(m_members, wanted.rootId, row);
        if (at == -1) {
            beginInsertRows({}, static_cast<int>(row), static_cast<int>(row));
            m_members.insert(row, wanted);
            endInsertRows();
            continue;
        }
        if (at != row) {
            beginMoveRows({}, static_cast<int>(at), static_cast<int>(at), {},
                          static_cast<int>(row));
            m_members.move(at, row);
            endMoveRows();
        }
        if (!(m_members.at(row) == wanted)) {
            m_members[row] = wanted;
            const QModelIndex changed = index(static_cast<int>(row));
            Q_EMIT dataChanged(changed, changed);
        }
    }
}

bool RoomMemberModel::canManage() const {
    return std::any_of(m_members.begin(), m_members.end(),
                       [](const MemberItem& m) { return m.self && m.manager; });
}

bool RoomMemberModel::isMember() const {
    return std::any_of(m_members.begin(), m_members.end(),
                       [](const MemberItem& m) { return m.self; });
}

int RoomMemberModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_members.size());
}

QVariant RoomMemberModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const MemberItem& member = m_members.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case UsernameRole:
        return member.username;
    case ManagerRole:
        return member.manager;
    case SelfRole:
        return member.self;
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomMemberModel::roleNames() const {
    return {{UsernameRole, "username"}, {ManagerRole, "manager"}, {SelfRole, "self"}};
}

template <typename Job>
void RoomMemberModel::act(Job job) {
    const auto room = SessionHost::idFromHex<crypto::kConversationIdSize>(m_conversationId);
    if (!m_host || !room) {
        return;
    }
    m_host->run<std::optional<client::SessionError>>(
        [room, job](client::Session& session) -> std::optional<client::SessionError> {
            auto done = job(session, *room);
            return done ? std::nullopt : std::optional(done.error());
        },
        this,
        [this](std::optional<client::SessionError> error) {
            m_lastError = error ? errorMessage(*error) : QString();
            Q_EMIT lastErrorChanged();
            reload();
        });
}

void RoomMemberModel::addMember(const QString& username) {
    const std::string name = username.trimmed().toLower().toStdString();
    act([name](client::Session& s, const crypto::ConversationId& room) {
        return s.addMembers(room, {name});
    });
}

void RoomMemberModel::removeMember(const QString& username) {
    const std::string name = username.toStdString();
    act([name](client::Session& s, const crypto::ConversationId& room) {
        return s.removeMembers(room, {name});
    });
}

void RoomMemberModel::promote(const QString& username) {
    const std::string name = username.toStdString();
    act([name](client::Session& s, const crypto::ConversationId& room) {
        return s.promote(room, {name});
    });
}

void RoomMemberModel::rename(const QString& title) {
    const std::string text = title.trimmed().toStdString();
    act([text](client::Session& s, const crypto::ConversationId& room) {
        return s.renameRoom(room, text);
    });
}

void RoomMemberModel::leave() {
    act([](client::Session& s, const crypto::ConversationId& room) { return s.leaveRoom(room); });
}

} // namespace cinder::app
