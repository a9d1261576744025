// SPDX-License-Identifier: Apache-2.0
// Messages: send (with replies), react, edit, delete, listen for new ones, read the history.
#include "cli/Commands.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <deque>

namespace cinder::cli {

using client::Session;

namespace {

QString typeName(crypto::ContentType type) {
    switch (type) {
    case crypto::ContentType::Text:
        return QStringLiteral("text");
    case crypto::ContentType::Reaction:
        return QStringLiteral("reaction");
    case crypto::ContentType::Edit:
        return QStringLiteral("edit");
    case crypto::ContentType::Delete:
        return QStringLiteral("delete");
    case crypto::ContentType::ReadReceipt:
        return QStringLiteral("read-receipt");
    case crypto::ContentType::File:
        return QStringLiteral("file");
    case crypto::ContentType::GroupControl:
        return QStringLiteral("room-change");
    default:
        return QStringLiteral("other");
    }
}

crypto::MessageId messageIdArgument(const QString& text) {
    return parseId<crypto::kMessageIdSize>(text, QStringLiteral("a message id"));
}

// The stored message an id names; its conversation is where react/edit/delete go.
client::Message storedMessage(Session& session, const crypto::MessageId& id) {
    auto found = session.message(id);
    if (!found || !*found) {
        fail(client::SessionError::UnknownMessage);
    }
    return std::move(**found);
}

void printSent(Context& context, const crypto::MessageId& id,
               const crypto::ConversationId& conversation) {
    context.out().result({{QStringLiteral("messageId"), hex(id)},
                          {QStringLiteral("conversation"), hex(conversation)}},
                         hex(id));
}

} // namespace

void printMessage(Context& context, const client::Message& message) {
    QJsonObject object{{QStringLiteral("conversation"), hex(message.conversation)},
                       {QStringLiteral("messageId"), hex(message.id)},
                       {QStringLiteral("sender"), context.nameOf(message.senderRootId)},
                       {QStringLiteral("senderRootId"), hex(message.senderRootId)},
                       {QStringLiteral("type"), typeName(message.contentType)},
                       {QStringLiteral("sentAtMs"), static_cast<qint64>(message.sentAtMs)},
                       {QStringLiteral("expiresAtMs"), static_cast<qint64>(message.expiresAtMs)},
                       {QStringLiteral("outgoing"), message.outgoing},
                       {QStringLiteral("edited"), message.edited},
                       {QStringLiteral("deleted"), message.deleted}};
    if (message.replyTo) {
        object.insert(QStringLiteral("replyTo"), hex(*message.replyTo));
    } else if (message.reactionTarget) {
        object.insert(QStringLiteral("replyTo"), hex(*message.reactionTarget));
    }
    QString text;
    if (message.deleted) {
        text = QStringLiteral("(deleted)");
    } else if (message.kind == client::MessageKind::Text) {
        text = QString::fromStdString(message.text);
        object.insert(QStringLiteral("text"), text);
    } else if (message.kind == client::MessageKind::Reaction) {
        const QString emoji = QString::fromStdString(message.text);
        object.insert(QStringLiteral("emoji"), emoji);
        object.insert(QStringLiteral("remove"), message.reactionRemoved);
        text = (message.reactionRemoved ? QStringLiteral("-") : QStringLiteral("+")) + emoji;
    } else if (message.kind == client::MessageKind::File && !message.attachments.empty()) {
        const client::Attachment& file = message.attachments.front();
        text = QString::fromStdString(file.fileName);
        object.insert(QStringLiteral("fileName"), text);
        object.insert(QStringLiteral("size"), static_cast<qint64>(file.size));
        if (file.id != 0) {
            object.insert(QStringLiteral("attachmentId"), static_cast<qint64>(file.id));
            text += QStringLiteral(" (attachment %1)").arg(file.id);
        }
    }
    // Text mode: conversation, message id, sender, type, then the text (which may hold spaces).
    context.out().result(object,
                         QStringLiteral("%1 %2 %3 %4%5 %6")
                             .arg(hex(message.conversation), hex(message.id),
                                  object.value(QStringLiteral("sender")).toString(),
                                  typeName(message.contentType),
                                  message.edited ? QStringLiteral("(edited)") : QString(), text));
}

ExitCode runSend(Context& context) {
    bool named = false;
    const crypto::ConversationId conversation = context.conversation(1, &named);
    const QString text = context.words(named ? 2 : 1, 1, QStringLiteral("the text")).join(u' ');
    std::optional<crypto::MessageId> replyTo;
    if (context.args().has(QStringLiteral("reply"))) {
        replyTo = messageIdArgument(context.args().value(QStringLiteral("reply")));
    }
    Session& session = context.session();
    context.goOnline(false); // written offline, it is queued and sent on the next run
    const auto id = check(session.sendText(conversation, text.toStdString(), replyTo));
    printSent(context, id, conversation);
    context.flush();
    return ExitCode::Ok;
}

ExitCode runReact(Context& context) {
    const QStringList words = context.words(1, 2, QStringLiteral("MSGID EMOJI"));
    Session& session = context.session();
    const client::Message target = storedMessage(session, messageIdArgument(words[0]));
    context.goOnline(false);
    const auto id = check(session.react(target.conversation, target.id, words[1].toStdString(),
                                        context.args().flag(QStringLiteral("remove"))));
    printSent(context, id, target.conversation);
    context.flush();
    return ExitCode::Ok;
}

ExitCode runEdit(Context& context) {
    const QStringList words = context.words(1, 2, QStringLiteral("MSGID TEXT"));
    Session& session = context.session();
    const client::Message target = storedMessage(session, messageIdArgument(words[0]));
    context.goOnline(false);
    const QString text = words.mid(1).join(u' ');
    const auto id = check(session.edit(target.conversation, target.id, text.toStdString()));
    printSent(context, id, target.conversation);
    context.flush();
    return ExitCode::Ok;
}

ExitCode runDelete(Context& context) {
    const QStringList words = context.words(1, 1, QStringLiteral("MSGID"));
    Session& session = context.session();
    const client::Message target = storedMessage(session, messageIdArgument(words[0]));
    context.goOnline(false);
    const auto id = check(session.deleteForEveryone(target.conversation, target.id));
    printSent(context, id, target.conversation);
    context.flush();
    return ExitCode::Ok;
}

ExitCode runListen(Context& context) {
    const auto count = context.args().integer(QStringLiteral("count"), 1, 1'000'000'000);
    const bool markRead = context.args().flag(QStringLiteral("mark-read"));
    Session& session = context.session();

    qint64 printed = 0;
    QEventLoop loop;
    std::deque<std::pair<crypto::MessageId, crypto::ConversationId>> toMark;
    const auto connection =
        QObject::connect(&session, &Session::messageAdded, [&](const client::Message& message) {
            if (count && printed >= *count) {
                return;
            }
            printMessage(context, message);
            ++printed;
            if (markRead && !message.outgoing) {
                toMark.emplace_back(message.id, message.conversation);
            }
            if (count && printed >= *count) {
                loop.quit();
            }
        });
    // Marking read sends receipts: done between the session's calls, never inside one.
    std::optional<client::SessionError> markFailure;
    QTimer markTimer;
    QObject::connect(&markTimer, &QTimer::timeout, [&] {
        while (!toMark.empty()) {
            const auto [id, conversation] = toMark.front();
            toMark.pop_front();
            // No exception through the event loop: a failure is reported at the end.
            if (auto marked = session.markRead(conversation, {id}); !marked) {
                markFailure = marked.error();
            }
        }
    });
    markTimer.start(50);
    // Deliveries may be handled while logging in, so the handler is connected before that.
    context.goOnline(true);
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    if (context.global().timeoutGiven) {
        deadline.start(context.global().timeoutMs);
    }
    if (!count || printed < *count) {
        loop.exec(); // quit() before exec() would be lost, hence the check
    }
    QObject::disconnect(connection);
    markTimer.stop();
    while (!toMark.empty()) {
        const auto [id, conversation] = toMark.front();
        toMark.pop_front();
        check(session.markRead(conversation, {id}));
    }
    if (markFailure) {
        fail(*markFailure, QStringLiteral("mark read"));
    }
    context.flush();
    if (count && printed < *count) {
        throw CliFailure(
            ExitCode::Unreachable,
            QStringLiteral("timed out after %1 of %2 message(s)").arg(printed).arg(*count));
    }
    return ExitCode::Ok;
}

ExitCode runMessages(Context& context) {
    const crypto::ConversationId conversation = context.conversation(1);
    const auto limit = context.args().integer(QStringLiteral("limit"), 1, client::kMaxMessagePage);
    auto messages = check(context.session().messagePage(conversation, std::nullopt,
                                                        limit ? static_cast<int>(*limit) : 50));
    std::reverse(messages.begin(), messages.end()); // newest last
    for (const client::Message& message : messages) {
        printMessage(context, message);
    }
    return ExitCode::Ok;
}

} // namespace cinder::cli
