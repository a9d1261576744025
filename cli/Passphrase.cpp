// SPDX-License-Identifier: Apache-2.0
#include "cli/Passphrase.h"

#include "cli/CliSession.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace cinder::cli {

namespace {

constexpr std::size_t kMaxPassphraseBytes = 4096;

// One line from fd, without its line ending; nullopt on a read error. The bytes go straight into
// wiped memory reserved up front, so no growing buffer leaves a copy behind.
std::optional<crypto::SecureBuffer> readLine(int fd) {
    crypto::SecureBytes line;
    line.reserve(kMaxPassphraseBytes);
    char c = 0;
    while (line.size() < kMaxPassphraseBytes) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return std::nullopt; // the allocator wipes what was read
        }
        if (n == 0 || c == '\n') {
            break;
        }
        line.push_back(static_cast<std::uint8_t>(c));
    }
    crypto::secureWipe(&c, sizeof c);
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return crypto::SecureBuffer(std::move(line));
}

// Asks on the controlling terminal with echo off; nullopt when there is no terminal.
std::optional<crypto::SecureBuffer> prompt(const QString& text) {
    const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0) {
        return std::nullopt;
    }
    const QByteArray promptBytes = text.toUtf8() + ": ";
    (void)!::write(tty, promptBytes.constData(), static_cast<std::size_t>(promptBytes.size()));
    termios saved{};
    const bool isTerminal = ::tcgetattr(tty, &saved) == 0;
    if (isTerminal) {
        termios silent = saved;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        silent.c_lflag |= ECHONL;
        (void)::tcsetattr(tty, TCSAFLUSH, &silent);
    }
    auto line = readLine(tty);
    if (isTerminal) {
        (void)::tcsetattr(tty, TCSAFLUSH, &saved);
    }
    ::close(tty);
    return line;
}

} // namespace

Passphrase Passphrase::obtain(std::optional<int> fd, const QString& promptText, bool confirm) {
    std::optional<crypto::SecureBuffer> value;
    if (fd) {
        value = readLine(*fd);
        if (!value) {
            throw CliFailure(ExitCode::Usage,
                             QStringLiteral("could not read the passphrase from --passphrase-fd"));
        }
    } else if (const char* env = std::getenv("CINDER_PASSPHRASE"); env != nullptr) {
        // The environment itself is the process's, not ours to wipe (docs/ARCHITECTURE.md).
        value = crypto::SecureBuffer::copyOf(
            crypto::ByteView(reinterpret_cast<const std::uint8_t*>(env), std::strlen(env)));
    } else {
        value = prompt(promptText);
        if (!value) {
            throw CliFailure(ExitCode::Usage,
                             QStringLiteral("no passphrase: use --passphrase-fd, "
                                            "CINDER_PASSPHRASE or run on a terminal"));
        }
        if (confirm && !value->empty()) {
            const auto again = prompt(QStringLiteral("Repeat the passphrase"));
            if (!again || !(*again == *value)) {
                throw CliFailure(ExitCode::Usage, QStringLiteral("the passphrases differ"));
            }
        }
    }
    if (value->empty()) {
        throw CliFailure(ExitCode::Usage, QStringLiteral("the passphrase is empty"));
    }
    return Passphrase(std::move(*value));
}

} // namespace cinder::cli
