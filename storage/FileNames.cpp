// SPDX-License-Identifier: Apache-2.0
#include "storage/FileNames.h"

#include <QStringList>

namespace cinder::storage {

namespace {

bool isForbidden(char32_t c) {
    switch (c) {
    case '<':
    case '>':
    case ':':
    case '"':
    case '|':
    case '?':
    case '*':
    case '/':
    case '\\':
        return true;
    default:
        break;
    }
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
        return true;
    }
    // Format (bidi overrides, zero-width), surrogates, private use and unassigned code points.
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

bool isReservedDeviceName(const QString& name) {
    // Windows reserves these with any extension ("con.txt") and with trailing spaces.
    const QString stem = name.section(QLatin1Char('.'), 0, 0).trimmed().toUpper();
    static const QStringList reserved = {
        QStringLiteral("CON"),    QStringLiteral("PRN"),    QStringLiteral("AUX"),
        QStringLiteral("NUL"),    QStringLiteral("CONIN$"), QStringLiteral("CONOUT$"),
        QStringLiteral("CLOCK$"),
    };
    if (reserved.contains(stem)) {
        return true;
    }
    if (stem.size() == 4 &&
        (stem.startsWith(QLatin1String("COM")) || stem.startsWith(QLatin1String("LPT")))) {
        const QChar digit = stem.at(3);
        // COM0-9 and LPT0-9, and the superscript digits Windows also treats as device names.
        return digit.isDigit() || digit == QChar(0x00b9) || digit == QChar(0x00b2) ||
               digit == QChar(0x00b3);
    }
    return false;
}

QString trimDotsAndSpaces(const QString& name) {
    qsizetype begin = 0;
    qsizetype end = name.size();
    auto trimmable = [](QChar c) { return c == QLatin1Char('.') || c.isSpace(); };
    while (begin < end && trimmable(name.at(begin))) {
        ++begin;
    }
    while (end > begin && trimmable(name.at(end - 1))) {
        --end;
    }
    return name.mid(begin, end - begin);
}

// Drops whole code points from the end of text until it fits in maxBytes of UTF-8.
QString truncateUtf8(const QString& text, qsizetype maxBytes) {
    QString out = text;
    while (out.toUtf8().size() > maxBytes && !out.isEmpty()) {
        const qsizetype last = out.size() - 1;
        const bool pair =
            last > 0 && out.at(last).isLowSurrogate() && out.at(last - 1).isHighSurrogate();
        out.chop(pair ? 2 : 1);
    }
    return out;
}

} // namespace

QString sanitizeFileName(const QString& name) {
    QString base = name.normalized(QString::NormalizationForm_C);
    // The last path component only, for both separator conventions.
    const qsizetype slash =
        std::max(base.lastIndexOf(QLatin1Char('/')), base.lastIndexOf(QLatin1Char('\\')));
    if (slash >= 0) {
        base = base.mid(slash + 1);
    }

    QString cleaned;
    cleaned.reserve(base.size());
    for (char32_t c : base.toUcs4()) {
        if (!isForbidden(c)) {
            cleaned.append(QString::fromUcs4(&c, 1));
        }
    }
    cleaned = trimDotsAndSpaces(cleaned);
    if (cleaned.isEmpty()) {
        return QStringLiteral("attachment");
    }
    if (isReservedDeviceName(cleaned)) {
        cleaned.prepend(QLatin1Char('_'));
    }

    if (cleaned.toUtf8().size() > kMaxFileNameBytes) {
        const qsizetype dot = cleaned.lastIndexOf(QLatin1Char('.'));
        QString extension = dot > 0 ? cleaned.mid(dot) : QString();
        if (extension.toUtf8().size() > 32) {
            extension.clear(); // an "extension" that long is part of the name
        }
        const QString stem = extension.isEmpty() ? cleaned : cleaned.left(dot);
        cleaned = trimDotsAndSpaces(
            truncateUtf8(stem, kMaxFileNameBytes - extension.toUtf8().size()) + extension);
        if (cleaned.isEmpty()) {
            return QStringLiteral("attachment");
        }
    }
    return cleaned;
}

} // namespace cinder::storage
