// SPDX-License-Identifier: Apache-2.0
#pragma once

// The command line of cinder-cli: global options, the options of the subcommands, and the
// positional words (command, subcommand, names, text). Options may stand anywhere; "--" ends
// them, so a message text may start with a dash.

#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace cinder::cli {

inline constexpr int kDefaultTimeoutSeconds = 30;

class Arguments {
public:
    // Parses the arguments after the program name. Returns an error text for an unknown
    // option or an option without its value.
    [[nodiscard]] static std::optional<QString> parse(const QStringList& arguments, Arguments& out);

    [[nodiscard]] const QStringList& positional() const { return m_positional; }
    // The positional word at index, or an empty string.
    [[nodiscard]] QString word(qsizetype index) const { return m_positional.value(index); }
    [[nodiscard]] bool flag(const QString& name) const { return m_flags.contains(name); }
    [[nodiscard]] bool has(const QString& name) const { return m_values.contains(name); }
    [[nodiscard]] QString value(const QString& name) const { return m_values.value(name); }
    // The option as an integer in [min, max]; nullopt when absent. Throws a usage failure
    // (CliFailure) when it is not such a number.
    [[nodiscard]] std::optional<qint64> integer(const QString& name, qint64 min, qint64 max) const;
    // The option's value; throws a usage failure when it is missing.
    [[nodiscard]] QString required(const QString& name) const;

private:
    QStringList m_positional;
    QMap<QString, QString> m_values;
    QSet<QString> m_flags;
};

struct GlobalOptions {
    QString home;         // the account directory
    bool json = false;    // one JSON object per result line
    bool verbose = false; // library logging on stderr
    bool help = false;
    std::optional<int> passphraseFd; // read the passphrase from this descriptor
    int timeoutMs = kDefaultTimeoutSeconds * 1000;
    bool timeoutGiven = false;

    // Reads the global options (and $CINDER_HOME); throws a usage failure on bad values.
    [[nodiscard]] static GlobalOptions from(const Arguments& arguments);
};

} // namespace cinder::cli
