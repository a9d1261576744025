// SPDX-License-Identifier: Apache-2.0
// cinder-cli: parses the command line, runs one command over the session library and exits
// with the code --help documents. Everything else lives in the command groups.
#include "cli/Commands.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>
#include <functional>
#include <map>

using namespace cinder::cli;

namespace {

const std::map<QString, std::function<ExitCode(Context&)>>& commands() {
    static const std::map<QString, std::function<ExitCode(Context&)>> table{
        {QStringLiteral("init"), runInit},         {QStringLiteral("login"), runLogin},
        {QStringLiteral("unlock"), runUnlock},     {QStringLiteral("whoami"), runWhoami},
        {QStringLiteral("sync"), runSync},         {QStringLiteral("contacts"), runContacts},
        {QStringLiteral("verify"), runVerify},     {QStringLiteral("send"), runSend},
        {QStringLiteral("react"), runReact},       {QStringLiteral("edit"), runEdit},
        {QStringLiteral("delete"), runDelete},     {QStringLiteral("listen"), runListen},
        {QStringLiteral("messages"), runMessages}, {QStringLiteral("rooms"), runRooms},
        {QStringLiteral("files"), runFiles},       {QStringLiteral("devices"), runDevices},
        {QStringLiteral("settings"), runSettings}, {QStringLiteral("policy"), runPolicy},
    };
    return table;
}

void quietLibraryLogs(bool verbose, bool json) {
    if (verbose || qEnvironmentVariableIsSet("QT_LOGGING_RULES")) {
        return;
    }
    // Warnings stay in text mode; in --json mode stderr carries only the error object.
    QLoggingCategory::setFilterRules(json ? QStringLiteral("*.debug=false\n*.info=false\n"
                                                           "*.warning=false")
                                          : QStringLiteral("*.debug=false\n*.info=false"));
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cinder-cli"));

    QStringList rawArguments = QCoreApplication::arguments();
    rawArguments.removeFirst();
    Output output(rawArguments.contains(QStringLiteral("--json")));
    try {
        Arguments arguments;
        if (const auto problem = Arguments::parse(rawArguments, arguments)) {
            usage(*problem);
        }
        GlobalOptions global = GlobalOptions::from(arguments);
        output.setJson(global.json);
        quietLibraryLogs(global.verbose, global.json);
        if (global.help || arguments.word(0) == u"help") {
            std::fputs(helpText().toUtf8().constData(), stdout);
            return toInt(ExitCode::Ok);
        }
        const auto command = commands().find(arguments.word(0));
        if (command == commands().end()) {
            usage(arguments.word(0).isEmpty()
                      ? QStringLiteral("no command given")
                      : QStringLiteral("unknown command %1").arg(arguments.word(0)));
        }
        Context context(std::move(arguments), std::move(global), output);
        return toInt(command->second(context));
    } catch (const CliFailure& failure) {
        output.error(failure.code, failure.message);
        return toInt(failure.code);
    }
}
