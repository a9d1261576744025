// SPDX-License-Identifier: Apache-2.0
// Per-conversation settings: the timers new messages get (expiry, burn-on-read).
#include "cli/Commands.h"

#include <QJsonObject>

#include <limits>
#include <utility>

namespace cinder::cli {

namespace {

constexpr std::pair<qint64, qint64> kAnyNumber{std::numeric_limits<qint64>::min(),
                                               std::numeric_limits<qint64>::max()};

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
        // Any number parses here; the ephemerality rule (crypto/EphemeralityRule.h) says which
        // are valid, and its error names the limit.
        const auto ttl =
            context.args().integer(QStringLiteral("ttl"), kAnyNumber.first, kAnyNumber.second);
        if (!ttl) {
            usage(QStringLiteral("settings timers needs --ttl SECONDS"));
        }
        const auto burn =
            context.args().integer(QStringLiteral("burn"), kAnyNumber.first, kAnyNumber.second);
        const auto timers = crypto::ephemeralityFrom(*ttl, burn.has_value(), burn.value_or(0));
        if (!timers) {
            usage(QString::fromStdString(crypto::describe(timers.error())));
        }
        check(session.setConversationTimers(id, *timers), QStringLiteral("timers"));
    }
    auto conversation = session.conversation(id);
    if (!conversation || !*conversation) {
        fail(client::SessionError::UnknownConversation);
    }
    printTimers(context, **conversation);
    return ExitCode::Ok;
}

} // namespace cinder::cli
