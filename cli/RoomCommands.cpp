// SPDX-License-Identifier: Apache-2.0
// Rooms: create, list, members, and the manager's changes (add, remove, promote, rename) and
// leaving, each a signed group-control message sent to the members this device holds.
#include "cli/Commands.h"

#include <QJsonArray>
#include <QJsonObject>

namespace cinder::cli {

using client::Session;

namespace {

std::vector<std::string> usernames(const QStringList& names) {
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(names.size()));
    for (const QString& name : names) {
        out.push_back(name.toStdString());
    }
    return out;
}

crypto::ConversationId roomArgument(Context& context) {
    const QString text = context.words(2, 1, QStringLiteral("the room id")).first();
    const auto id = parseId<crypto::kConversationIdSize>(text, QStringLiteral("a room id"));
    const auto known = context.session().conversation(id);
    if (!known || !*known || (*known)->kind != client::ConversationKind::Room) {
        fail(client::SessionError::UnknownConversation, text);
    }
    return id;
}

void printRoom(Context& context, const crypto::ConversationId& id, const client::RoomState& room) {
    const QString title = QString::fromStdString(room.title);
    context.out().result(
        {{QStringLiteral("roomId"), hex(id)},
         {QStringLiteral("title"), title},
         {QStringLiteral("epoch"), static_cast<qint64>(room.epoch)},
         {QStringLiteral("members"), static_cast<qint64>(room.members.size())}},
        QStringLiteral("%1  %2  (%3 members)").arg(hex(id), title).arg(room.members.size()));
}

} // namespace

ExitCode runRooms(Context& context) {
    const QString sub = context.word(1);
    static const QStringList known{QStringLiteral("create"),  QStringLiteral("list"),
                                   QStringLiteral("members"), QStringLiteral("add"),
                                   QStringLiteral("remove"),  QStringLiteral("promote"),
                                   QStringLiteral("leave"),   QStringLiteral("rename")};
    if (!known.contains(sub)) {
        usage(QStringLiteral(
            "rooms needs create, list, members, add, remove, promote, leave or rename"));
    }
    Session& session = context.session();
    if (sub == u"list") {
        for (const client::ConversationSummary& conversation : check(session.conversations())) {
            if (conversation.kind != client::ConversationKind::Room) {
                continue;
            }
            if (auto room = session.room(conversation.id)) {
                printRoom(context, conversation.id, *room);
            }
        }
        return ExitCode::Ok;
    }
    if (sub == u"create") {
        const QStringList words = context.words(2, 1, QStringLiteral("the room title"));
        context.goOnline(false);
        const auto id =
            check(session.createRoom(words.first().toStdString(), usernames(words.mid(1))));
        printRoom(context, id, check(session.room(id)));
        context.flush();
        return ExitCode::Ok;
    }
    if (sub == u"members") {
        const crypto::ConversationId id = roomArgument(context);
        const client::RoomState room = check(session.room(id));
        for (const client::RoomMember& member : room.members) {
            const QString name = QString::fromStdString(member.username);
            context.out().result(
                {{QStringLiteral("roomId"), hex(id)},
                 {QStringLiteral("username"), name},
                 {QStringLiteral("rootId"), hex(member.rootId)},
                 {QStringLiteral("manager"), member.manager}},
                QStringLiteral("%1  %2%3")
                    .arg(name, hex(member.rootId),
                         member.manager ? QStringLiteral("  manager") : QString()));
        }
        return ExitCode::Ok;
    }
    const crypto::ConversationId id = roomArgument(context);
    const QStringList rest = context.args().positional().mid(3);
    context.goOnline(false);
    if (sub == u"add" || sub == u"remove" || sub == u"promote") {
        if (rest.isEmpty()) {
            usage(QStringLiteral("rooms %1 needs at least one name").arg(sub));
        }
        const auto names = usernames(rest);
        check(sub == u"add"      ? session.addMembers(id, names)
              : sub == u"remove" ? session.removeMembers(id, names)
                                 : session.promote(id, names),
              sub);
    } else if (sub == u"rename") {
        if (rest.isEmpty()) {
            usage(QStringLiteral("rooms rename needs the new title"));
        }
        check(session.renameRoom(id, rest.join(u' ').toStdString()), sub);
    } else {
        check(session.leaveRoom(id), sub);
    }
    if (sub != u"leave") {
        printRoom(context, id, check(session.room(id)));
    } else {
        context.out().result({{QStringLiteral("roomId"), hex(id)}, {QStringLiteral("left"), true}},
                             QStringLiteral("left %1").arg(hex(id)));
    }
    context.flush();
    return ExitCode::Ok;
}

} // namespace cinder::cli
