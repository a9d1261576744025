// SPDX-License-Identifier: Apache-2.0
#include "cli/CliOptions.h"

#include "cli/CliSession.h"

#include <QDir>

namespace cinder::cli {

namespace {

// Options that take a value; everything else that starts with "--" must be a flag below.
const QSet<QString>& valueOptions() {
    static const QSet<QString> names{
        QStringLiteral("home"),          QStringLiteral("passphrase-fd"),
        QStringLiteral("timeout"),       QStringLiteral("server"),
        QStringLiteral("fingerprint"),   QStringLiteral("ca"),
        QStringLiteral("username"),      QStringLiteral("vault-cost"),
        QStringLiteral("recovery-cost"), QStringLiteral("room"),
        QStringLiteral("reply"),         QStringLiteral("count"),
        QStringLiteral("limit"),         QStringLiteral("out"),
        QStringLiteral("image"),         QStringLiteral("ttl"),
        QStringLiteral("burn"),
    };
    return names;
}

const QSet<QString>& flagOptions() {
    static const QSet<QString> names{QStringLiteral("json"), QStringLiteral("help"),
                                     QStringLiteral("mark-read"), QStringLiteral("remove"),
                                     QStringLiteral("verbose")};
    return names;
}

} // namespace

std::optional<QString> Arguments::parse(const QStringList& arguments, Arguments& out) {
    bool optionsEnded = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        if (optionsEnded || !argument.startsWith(QLatin1Char('-')) || argument == u"-") {
            out.m_positional.append(argument);
            continue;
        }
        if (argument == u"--") {
            optionsEnded = true;
            continue;
        }
        if (argument == u"-h") {
            out.m_flags.insert(QStringLiteral("help"));
            continue;
        }
        if (!argument.startsWith(u"--")) {
            return QStringLiteral("unknown option %1").arg(argument);
        }
        QString name = argument.mid(2);
        std::optional<QString> inlineValue;
        if (const qsizetype equals = name.indexOf(QLatin1Char('=')); equals >= 0) {
            inlineValue = name.mid(equals + 1);
            name.truncate(equals);
        }
        if (flagOptions().contains(name)) {
            if (inlineValue) {
                return QStringLiteral("option --%1 takes no value").arg(name);
            }
            out.m_flags.insert(name);
        } else if (valueOptions().contains(name)) {
            if (inlineValue) {
                out.m_values.insert(name, *inlineValue);
            } else if (i + 1 < arguments.size()) {
                out.m_values.insert(name, arguments[++i]);
            } else {
                return QStringLiteral("option --%1 needs a value").arg(name);
            }
        } else {
            return QStringLiteral("unknown option --%1").arg(name);
        }
    }
    return std::nullopt;
}

std::optional<qint64> Arguments::integer(const QString& name, qint64 min, qint64 max) const {
    if (!has(name)) {
        return std::nullopt;
    }
    bool ok = false;
    const qint64 number = value(name).toLongLong(&ok);
    if (!ok || number < min || number > max) {
        throw CliFailure(
            ExitCode::Usage,
            QStringLiteral("--%1 must be a number from %2 to %3").arg(name).arg(min).arg(max));
    }
    return number;
}

QString Arguments::required(const QString& name) const {
    if (!has(name) || value(name).isEmpty()) {
        throw CliFailure(ExitCode::Usage, QStringLiteral("--%1 is required").arg(name));
    }
    return value(name);
}

GlobalOptions GlobalOptions::from(const Arguments& arguments) {
    GlobalOptions options;
    options.json = arguments.flag(QStringLiteral("json"));
    options.verbose = arguments.flag(QStringLiteral("verbose"));
    options.help = arguments.flag(QStringLiteral("help"));
    if (arguments.has(QStringLiteral("home"))) {
        options.home = arguments.value(QStringLiteral("home"));
    } else if (const QString env = qEnvironmentVariable("CINDER_HOME"); !env.isEmpty()) {
        options.home = env;
    } else {
        options.home = QDir::home().filePath(QStringLiteral(".local/share/cinder-cli"));
    }
    if (options.home.isEmpty()) {
        throw CliFailure(ExitCode::Usage, QStringLiteral("--home must not be empty"));
    }
    options.home = QDir(options.home).absolutePath();
    if (const auto fd = arguments.integer(QStringLiteral("passphrase-fd"), 0, 1 << 20)) {
        options.passphraseFd = static_cast<int>(*fd);
    }
    if (const auto seconds = arguments.integer(QStringLiteral("timeout"), 1, 24 * 3600)) {
        options.timeoutMs = static_cast<int>(*seconds * 1000);
        options.timeoutGiven = true;
    }
    return options;
}

} // namespace cinder::cli
