// SPDX-License-Identifier: Apache-2.0
// Files: send (encrypted into the attachment store, uploaded by the outbox with progress),
// list a conversation's attachments, get one (download, check, decrypt under a safe name).
#include "cli/Commands.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

namespace cinder::cli {

using client::Session;

namespace {

QString percent(std::uint64_t done, std::uint64_t total) {
    return total == 0 ? QStringLiteral("100%") : QStringLiteral("%1%").arg(done * 100 / total);
}

ExitCode sendFile(Context& context) {
    bool named = false;
    const crypto::ConversationId conversation = context.conversation(2, &named);
    const QString path = context.words(named ? 3 : 2, 1, QStringLiteral("the file path")).first();
    Session& session = context.session();
    context.goOnline(false);
    const QString name = QFileInfo(path).fileName();
    const auto connection = QObject::connect(
        &session, &Session::transferProgress,
        [&](std::int64_t, std::uint64_t done, std::uint64_t total) {
            context.out().progress(QStringLiteral("sending %1: %2 (%3 of %4 bytes)")
                                       .arg(name, percent(done, total))
                                       .arg(done)
                                       .arg(total));
        });
    const auto id = check(session.sendFile(conversation, path), path);
    context.out().result({{QStringLiteral("messageId"), hex(id)},
                          {QStringLiteral("conversation"), hex(conversation)},
                          {QStringLiteral("fileName"), name}},
                         hex(id));
    context.flush();
    QObject::disconnect(connection);
    context.out().note(QStringLiteral("sent %1").arg(name));
    return ExitCode::Ok;
}

ExitCode listFiles(Context& context) {
    const crypto::ConversationId conversation = context.conversation(2);
    client::Session& session = context.session();
    std::optional<client::MessageCursor> before;
    for (;;) {
        auto page = session.messagePage(conversation, before, client::kMaxMessagePage);
        if (!page) {
            fail(client::SessionError::StorageFailure);
        }
        for (const client::Message& message : *page) {
            if (message.kind != client::MessageKind::File || message.deleted) {
                continue;
            }
            for (const client::Attachment& attachment : message.attachments) {
                if (attachment.id == 0) {
                    continue; // described by the message, never recorded here
                }
                const QString name = QString::fromStdString(attachment.fileName);
                const bool here = attachment.downloaded;
                context.out().result(
                    {{QStringLiteral("attachmentId"), static_cast<qint64>(attachment.id)},
                     {QStringLiteral("messageId"), hex(message.id)},
                     {QStringLiteral("fileName"), name},
                     {QStringLiteral("size"), static_cast<qint64>(attachment.size)},
                     {QStringLiteral("mimeType"), QString::fromStdString(attachment.mimeType)},
                     {QStringLiteral("from"), context.nameOf(message.senderRootId)},
                     {QStringLiteral("downloaded"), here}},
                    QStringLiteral("%1  %2  %3 bytes  %4")
                        .arg(attachment.id)
                        .arg(name)
                        .arg(attachment.size)
                        .arg(here ? QStringLiteral("downloaded")
                                  : QStringLiteral("not downloaded")));
            }
        }
        if (page->size() < static_cast<std::size_t>(client::kMaxMessagePage)) {
            break;
        }
        before = page->back().cursor;
    }
    return ExitCode::Ok;
}

ExitCode getFile(Context& context) {
    const QString idText = context.words(2, 1, QStringLiteral("the attachment id")).first();
    bool ok = false;
    const qint64 attachmentId = idText.toLongLong(&ok);
    if (!ok || attachmentId <= 0) {
        usage(QStringLiteral("the attachment id is the number files list prints"));
    }
    const QString out = context.args().required(QStringLiteral("out"));
    if (!QDir().mkpath(out)) {
        throw CliFailure(ExitCode::FileOrIntegrity,
                         QStringLiteral("cannot create the folder %1").arg(out));
    }
    Session& session = context.session();
    auto attachment = session.attachment(attachmentId);
    if (!attachment) {
        fail(client::SessionError::UnknownMessage, QStringLiteral("attachment %1").arg(idText));
    }
    if (!attachment->downloaded) {
        context.goOnline(true); // the download needs the server
    }
    const auto connection = QObject::connect(
        &session, &Session::transferProgress,
        [&](std::int64_t, std::uint64_t done, std::uint64_t total) {
            context.out().progress(QStringLiteral("downloading: %1").arg(percent(done, total)));
        });
    const QString path = check(session.saveAttachment(attachmentId, QDir(out).absolutePath()),
                               QStringLiteral("get"));
    QObject::disconnect(connection);
    context.out().result({{QStringLiteral("attachmentId"), attachmentId},
                          {QStringLiteral("path"), path},
                          {QStringLiteral("size"), static_cast<qint64>(QFileInfo(path).size())}},
                         path);
    return ExitCode::Ok;
}

} // namespace

ExitCode runFiles(Context& context) {
    const QString sub = context.word(1);
    if (sub == u"send") {
        return sendFile(context);
    }
    if (sub == u"list") {
        return listFiles(context);
    }
    if (sub == u"get") {
        return getFile(context);
    }
    usage(QStringLiteral("files needs send, list or get"));
}

} // namespace cinder::cli
