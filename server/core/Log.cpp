// SPDX-License-Identifier: Apache-2.0
#include "server/core/Log.h"

#include <QStringList>

Q_LOGGING_CATEGORY(lcServer, "cinder.server", QtInfoMsg)

namespace cinder::server {

namespace {
const QStringList s_levels = {QStringLiteral("debug"), QStringLiteral("info"),
                              QStringLiteral("warning"), QStringLiteral("error")};
} // namespace

bool isValidLogLevel(const QString& level) {
    return s_levels.contains(level);
}

bool applyLogLevel(const QString& level) {
    const auto index = s_levels.indexOf(level);
    if (index < 0) {
        return false;
    }
    // Each level enables itself and everything more severe.
    QStringList rules;
    const QStringList types = {QStringLiteral("debug"), QStringLiteral("info"),
                               QStringLiteral("warning"), QStringLiteral("critical")};
    for (qsizetype i = 0; i < types.size(); ++i) {
        const bool enabled = i >= index || types[i] == QLatin1String("critical");
        rules << QStringLiteral("cinder.*.%1=%2")
                     .arg(types[i], enabled ? QStringLiteral("true") : QStringLiteral("false"));
    }
    QLoggingCategory::setFilterRules(rules.join(QLatin1Char('\n')));
    qSetMessagePattern(QStringLiteral(
        "%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
        "%{if-warning}warning%{endif}%{if-critical}error%{endif}%{if-fatal}fatal%{endif} "
        "%{category}: %{message}"));
    return true;
}

} // namespace cinder::server
