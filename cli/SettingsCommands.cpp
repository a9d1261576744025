// SPDX-License-Identifier: Apache-2.0
// Per-conversation settings: the timers new messages get (expiry, burn-on-read).
#include "cli/Commands.h"

#include <QJsonObject>

namespace cinder::cli {

namespace {

void printTimers(Context& context, const client::ConversationSummary& conversation) {
    const crypto::Ephemerality& timers = conversation.timers;
    context.out().result({{QStringLiteral("conversation"), hex(conversation.id)},
                          {QStringLiteral("title"), QString::fromStdString(conversation.title)},
                          {QStringLiteral("ttlSeconds"), static_cast<qint64>(timers.ttlSeconds)},
                          {QStringLiteral("burnOnRead"), timers.burnOnRead},
                          {QStringLiteral("burnSeconds"), static_cast<qint64>(timers.burnSeconds)}},
                         QStringLiteral("%1  %2  expiry %3 s  burn-on-read %4")
                             .arg(hex(conversation.id), QString::fromStdString(conversation.title))
                             .arg(timers.ttlSeconds)
                             .arg(timers.burnOnRead ? QStringLiteral("%1 s").arg(timers.burnSeconds)
                                                    : QStringLiteral("off")));
}

} // namespace

ExitCode runSettings(Context& context) {
    const QString sub = context.word(1);
    if (sub != u"show" && sub != u"timers") {
        usage(QStringLiteral("settings needs show or timers"));
    }
    const crypto::ConversationId id = context.conversation(2);
    client::Session& session = context.session();
    if (sub == u"timers") {
        const auto ttl = context.args().integer(QStringLiteral("ttl"), 1, crypto::kMaxTtlSeconds);
        if (!ttl) {
            usage(QStringLiteral("settings timers needs --ttl SECONDS"));
        }
        const auto burn = context.args().integer(QStringLiteral("burn"), 1, *ttl);
        crypto::Ephemerality timers;
        timers.ttlSeconds = static_cast<std::uint32_t>(*ttl);
        timers.burnOnRead = burn.has_value();
        timers.burnSeconds = burn ? static_cast<std::uint32_t>(*burn) : 0;
        check(session.setConversationTimers(id, timers), QStringLiteral("timers"));
    }
    auto conversation = session.conversation(id);
    if (!conversation || !*conversation) {
        fail(client::SessionError::UnknownConversation);
    }
    printTimers(context, **conversation);
    return ExitCode::Ok;
}

} // namespace cinder::cli
