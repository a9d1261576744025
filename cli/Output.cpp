// SPDX-License-Identifier: Apache-2.0
#include "cli/Output.h"

#include <QJsonDocument>

#include <cstdio>

#include <unistd.h>

namespace cinder::cli {

namespace {

void writeLine(std::FILE* stream, const QByteArray& line) {
    std::fwrite(line.constData(), 1, static_cast<std::size_t>(line.size()), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

} // namespace

void Output::result(const QJsonObject& object, const QString& text) const {
    if (m_json) {
        writeLine(stdout, QJsonDocument(object).toJson(QJsonDocument::Compact));
    } else {
        writeLine(stdout, text.toUtf8());
    }
}

void Output::error(ExitCode code, const QString& message) const {
    if (m_json) {
        const QJsonObject object{{QStringLiteral("error"), message},
                                 {QStringLiteral("code"), toInt(code)}};
        writeLine(stderr, QJsonDocument(object).toJson(QJsonDocument::Compact));
    } else {
        if (m_progressShown) {
            std::fputc('\n', stderr);
        }
        writeLine(stderr, QStringLiteral("cinder-cli: %1").arg(message).toUtf8());
    }
}

void Output::progress(const QString& text) {
    // Only a terminal shows an overwritten line; a log file would fill with them.
    if (m_json || ::isatty(STDERR_FILENO) == 0) {
        return;
    }
    const QByteArray line = "\r" + text.toUtf8() + "\x1b[K";
    std::fwrite(line.constData(), 1, static_cast<std::size_t>(line.size()), stderr);
    std::fflush(stderr);
    m_progressShown = true;
}

void Output::note(const QString& text) {
    if (m_json) {
        return;
    }
    endProgress();
    writeLine(stderr, text.toUtf8());
}

void Output::endProgress() {
    if (m_progressShown) {
        std::fputc('\n', stderr);
        m_progressShown = false;
    }
}

} // namespace cinder::cli
