// SPDX-License-Identifier: Apache-2.0
#pragma once

// What cinder-cli prints. Text mode: readable lines on stdout, errors and progress on stderr.
// --json mode: one compact JSON object per result line on stdout, errors as
// {"error": "...", "code": N} on stderr, nothing else on either stream.

#include "cli/ExitCodes.h"

#include <QJsonObject>
#include <QString>

namespace cinder::cli {

class Output {
public:
    explicit Output(bool json) : m_json(json) {}

    [[nodiscard]] bool json() const { return m_json; }
    void setJson(bool json) { m_json = json; }

    // One result: `object` in --json mode, `text` (one or more lines) otherwise.
    void result(const QJsonObject& object, const QString& text) const;
    // A failure; the message names no secret.
    void error(ExitCode code, const QString& message) const;
    // A transient status line on stderr (text mode only), overwritten by the next one.
    void progress(const QString& text);
    // An informational line on stderr (text mode only).
    void note(const QString& text);

private:
    void endProgress();

    bool m_json = false;
    bool m_progressShown = false;
};

} // namespace cinder::cli
