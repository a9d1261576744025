// SPDX-License-Identifier: Apache-2.0
#include "cli/CliSession.h"

#include "cli/Passphrase.h"

namespace cinder::cli {

using client::SessionError;

void fail(SessionError error, const QString& context) {
    QString message = QString::fromLatin1(client::describe(error).data(),
                                          static_cast<qsizetype>(client::describe(error).size()));
    if (!context.isEmpty()) {
        message = context + QStringLiteral(": ") + message;
    }
    throw CliFailure(exitCodeFor(error), message);
}

void usage(const QString& message) {
    throw CliFailure(ExitCode::Usage, message + QStringLiteral(" (see cinder-cli --help)"));
}

QString hex(crypto::ByteView bytes) {
    return QString::fromStdString(crypto::toHex(bytes));
}

QStringList Context::words(qsizetype from, qsizetype atLeast, const QString& what) const {
    const QStringList rest = m_args.positional().mid(from);
    if (rest.size() < atLeast) {
        usage(QStringLiteral("missing %1").arg(what));
    }
    return rest;
}

client::Session& Context::session() {
    if (m_session) {
        return *m_session;
    }
    if (!client::AccountDirectory(m_global.home).holdsAccount()) {
        throw CliFailure(
            ExitCode::Usage,
            QStringLiteral("no account in %1: run init or login first").arg(m_global.home));
    }
    const Passphrase passphrase =
        Passphrase::obtain(m_global.passphraseFd, QStringLiteral("Passphrase"), false);
    client::SessionOptions options;
    options.requestTimeoutMs = std::min(m_global.timeoutMs, client::ApiChannel::kDefaultTimeoutMs);
    options.prefetchPrekeys = false; // a short-lived process would drop them unused
    m_session = check(client::Session::unlock(m_global.home, passphrase.view(), options));
    return *m_session;
}

void Context::adopt(std::unique_ptr<client::Session> session) {
    m_session = std::move(session);
}

bool Context::goOnline(bool required) {
    client::Session& s = session();
    if (m_onlineTried && !required) {
        return s.isOnline() || s.waitUntilOnline(m_unreachable ? 0 : m_global.timeoutMs);
    }
    m_onlineTried = true;
    s.goOnline();
    const bool online = s.waitUntilOnline(m_global.timeoutMs);
    m_unreachable = !online;
    if (!online && required) {
        fail(SessionError::NotConnected);
    }
    return online;
}

void Context::flush() {
    client::Session& s = session();
    if (!m_onlineTried) {
        goOnline(false);
    }
    if (!m_unreachable && s.waitUntilIdle(m_global.timeoutMs)) {
        return;
    }
    const auto queued = s.outboxSize();
    const std::size_t count = queued ? *queued : 0;
    throw CliFailure(ExitCode::Unreachable,
                     count > 0 ? QStringLiteral("%1 message(s) not sent yet: they stay queued and "
                                                "go out the next time cinder-cli runs online")
                                     .arg(count)
                               : QStringLiteral("the server did not answer in time"));
}

crypto::ConversationId Context::conversation(qsizetype index, bool* consumed) {
    client::Session& s = session();
    if (consumed != nullptr) {
        *consumed = false;
    }
    if (m_args.has(QStringLiteral("room"))) {
        const auto id = parseId<crypto::kConversationIdSize>(m_args.value(QStringLiteral("room")),
                                                             QStringLiteral("a room id"));
        const auto known = s.conversation(id);
        if (!known || !*known || (*known)->kind != client::ConversationKind::Room) {
            fail(SessionError::UnknownConversation);
        }
        return id;
    }
    const QString name = word(index);
    if (name.isEmpty()) {
        usage(QStringLiteral("name a contact or give --room ID"));
    }
    if (consumed != nullptr) {
        *consumed = true;
    }
    const std::string username = name.toStdString();
    // A known contact's conversation opens offline; a new contact needs the server.
    if (auto known = s.knownContact(username); !known || !*known) {
        goOnline(false);
    }
    return check(s.openDirect(username), name);
}

QString Context::nameOf(const crypto::RootId& rootId) {
    client::Session& s = session();
    if (rootId == s.rootId()) {
        return QString::fromStdString(s.username());
    }
    if (auto contact = s.knownContact(rootId); contact && *contact) {
        return QString::fromStdString((*contact)->username);
    }
    return hex(rootId).left(16);
}

} // namespace cinder::cli
