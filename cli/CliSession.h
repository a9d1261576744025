// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every command shares: the parsed command line, the output, the session of the account
// in --home, going online, waiting for the outbox, and turning names and hex ids into the
// session's identifiers. A failure is thrown as CliFailure and printed once by main().

#include "cli/CliOptions.h"
#include "cli/ExitCodes.h"
#include "cli/Output.h"

#include "client/Session.h"

#include <QString>

#include <memory>

namespace cinder::cli {

struct CliFailure {
    CliFailure(ExitCode exitCode, QString text) : code(exitCode), message(std::move(text)) {}
    ExitCode code;
    QString message;
};

// Throws the failure for a session error, with an optional context ("send: ...").
[[noreturn]] void fail(client::SessionError error, const QString& context = {});

// The value of a session result, or throws its failure.
template <typename T>
T check(client::SessionResult<T> result, const QString& context = {}) {
    if (!result) {
        fail(result.error(), context);
    }
    return std::move(result).value();
}
inline void check(const client::SessionResult<void>& result, const QString& context = {}) {
    if (!result) {
        fail(result.error(), context);
    }
}

[[noreturn]] void usage(const QString& message);

// Lower-case hex of an identifier, and back (usage failure when malformed).
QString hex(crypto::ByteView bytes);
template <std::size_t N>
std::array<std::uint8_t, N> parseId(const QString& text, const QString& what) {
    const auto bytes = crypto::fromHex(text.trimmed().toStdString());
    const auto id = bytes ? crypto::fixedFromBytes<N>(*bytes) : std::nullopt;
    if (!id) {
        usage(QStringLiteral("%1 must be %2 hex digits").arg(what).arg(N * 2));
    }
    return *id;
}

class Context {
public:
    Context(Arguments arguments, GlobalOptions global, Output& output)
        : m_args(std::move(arguments)), m_global(std::move(global)), m_out(output) {}

    [[nodiscard]] const Arguments& args() const { return m_args; }
    [[nodiscard]] const GlobalOptions& global() const { return m_global; }
    [[nodiscard]] Output& out() { return m_out; }
    [[nodiscard]] QString word(qsizetype index) const { return m_args.word(index); }
    // The positional words from index on; usage failure when fewer than `atLeast`.
    [[nodiscard]] QStringList words(qsizetype from, qsizetype atLeast, const QString& what) const;

    // Unlocks the account in --home with the passphrase (the session is kept open).
    client::Session& session();
    [[nodiscard]] bool hasSession() const { return m_session != nullptr; }
    // Adopts a session made by init or login.
    void adopt(std::unique_ptr<client::Session> session);
    // Connects and waits up to --timeout. With `required`, not getting online is a failure
    // (exit 3); otherwise the command goes on and its requests fail or queue.
    bool goOnline(bool required);
    // Waits for the outbox to be sent and received deliveries to be handled. Throws exit 3
    // when that does not happen within --timeout; queued messages go out on the next run.
    void flush();

    // The conversation named by --room HEX or by the contact name at word(index) (a 1:1
    // conversation, created when new). `consumed` says whether word(index) was used.
    crypto::ConversationId conversation(qsizetype index, bool* consumed = nullptr);
    // The username of a root id as this device knows it (own, a contact), or its short hex.
    QString nameOf(const crypto::RootId& rootId);

private:
    Arguments m_args;
    GlobalOptions m_global;
    Output& m_out;
    std::unique_ptr<client::Session> m_session;
    bool m_onlineTried = false;
    bool m_unreachable = false; // goOnline() gave up: flush() need not wait again
};

} // namespace cinder::cli
