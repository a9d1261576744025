// SPDX-License-Identifier: Apache-2.0
#include "cli/Passphrase.h"

#include "cli/CliSession.h"

#include <openssl/crypto.h>

#include <cerrno>
#include <cstdlib>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace cinder::cli {

namespace {

constexpr std::size_t kMaxPassphraseBytes = 4096;

void wipe(std::string& text) {
    if (!text.empty()) {
        OPENSSL_cleanse(text.data(), text.size());
    }
    text.clear();
}

// One line from fd, without its line ending; nullopt on a read error.
std::optional<std::string> readLine(int fd) {
    std::string line;
    char c = 0;
    while (line.size() < kMaxPassphraseBytes) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            wipe(line);
            return std::nullopt;
        }
        if (n == 0 || c == '\n') {
            break;
        }
        line.push_back(c);
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

// Asks on the controlling terminal with echo off; nullopt when there is no terminal.
std::optional<std::string> prompt(const QString& text) {
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

Passphrase::~Passphrase() {
    wipe(m_value);
}

Passphrase::Passphrase(Passphrase&& other) noexcept : m_value(std::move(other.m_value)) {
    wipe(other.m_value);
}

Passphrase Passphrase::obtain(std::optional<int> fd, const QString& promptText, bool confirm) {
    std::optional<std::string> value;
    if (fd) {
        value = readLine(*fd);
        if (!value) {
            throw CliFailure(ExitCode::Usage,
                             QStringLiteral("could not read the passphrase from --passphrase-fd"));
        }
    } else if (const char* env = std::getenv("CINDER_PASSPHRASE"); env != nullptr) {
        value = std::string(env);
    } else {
        value = prompt(promptText);
        if (!value) {
            throw CliFailure(ExitCode::Usage,
                             QStringLiteral("no passphrase: use --passphrase-fd, "
                                            "CINDER_PASSPHRASE or run on a terminal"));
        }
        if (confirm && !value->empty()) {
            auto again = prompt(QStringLiteral("Repeat the passphrase"));
            const bool same = again && *again == *value;
            if (again) {
                wipe(*again);
            }
            if (!same) {
                wipe(*value);
                throw CliFailure(ExitCode::Usage, QStringLiteral("the passphrases differ"));
            }
        }
    }
    if (value->empty()) {
        throw CliFailure(ExitCode::Usage, QStringLiteral("the passphrase is empty"));
    }
    Passphrase passphrase(std::move(*value));
    wipe(*value);
    return passphrase;
}

} // namespace cinder::cli
