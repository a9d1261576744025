// SPDX-License-Identifier: Apache-2.0
#include "app/PassphraseStrength.h"

#include <QSet>

#include <cmath>

namespace cinder::app {

void PassphraseStrength::setPassphrase(const QString& passphrase) {
    if (m_passphrase != passphrase) {
        m_passphrase = passphrase;
        Q_EMIT passphraseChanged();
    }
}

double PassphraseStrength::estimateEntropyBits(const QString& passphrase) {
    if (passphrase.isEmpty()) {
        return 0;
    }
    bool lower = false;
    bool upper = false;
    bool digit = false;
    bool symbol = false;
    bool other = false;
    for (const QChar c : passphrase) {
        if (c.isLower()) {
            lower = true;
        } else if (c.isUpper()) {
            upper = true;
        } else if (c.isDigit()) {
            digit = true;
        } else if (c.unicode() < 128) {
            symbol = true;
        } else {
            other = true;
        }
    }
    const double alphabet = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) +
                            (symbol ? 33 : 0) + (other ? 100 : 0);
    // Characters that repeat the one before, or continue a run (abc, 123), add little.
    double effective = 0;
    for (qsizetype i = 0; i < passphrase.size(); ++i) {
        if (i > 0) {
            const int step = passphrase[i].unicode() - passphrase[i - 1].unicode();
            if (step == 0 || step == 1 || step == -1) {
                effective += 0.25;
                continue;
            }
        }
        effective += 1;
    }
    // Few distinct characters (aaaa, abab) cap what the length can add.
    const QSet<QChar> distinct(passphrase.begin(), passphrase.end());
    effective = std::min(effective, static_cast<double>(distinct.size()) * 2.5);
    return effective * std::log2(std::max(alphabet, 2.0));
}

double PassphraseStrength::entropyBits() const {
    return estimateEntropyBits(m_passphrase);
}

int PassphraseStrength::score() const {
    if (m_passphrase.size() < kMinimumLength) {
        return m_passphrase.isEmpty() ? 0 : 1;
    }
    const double bits = entropyBits();
    if (bits < 40) {
        return 1;
    }
    if (bits < 60) {
        return 2;
    }
    if (bits < 80) {
        return 3;
    }
    return 4;
}

QString PassphraseStrength::label() const {
    if (m_passphrase.isEmpty()) {
        return {};
    }
    if (m_passphrase.size() < kMinimumLength) {
        return tr("Too short");
    }
    switch (score()) {
    case 1:
        return tr("Weak");
    case 2:
        return tr("Fair");
    case 3:
        return tr("Good");
    default:
        return tr("Strong");
    }
}

bool PassphraseStrength::acceptable() const {
    return score() >= 2;
}

} // namespace cinder::app
