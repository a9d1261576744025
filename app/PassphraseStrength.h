// SPDX-License-Identifier: Apache-2.0
#pragma once

// The strength meter of onboarding: a rough estimate of a passphrase's entropy from its length
// and the kinds of characters in it, with a penalty for repeats and common sequences. It only
// advises; the vault's scrypt cost is what slows an attacker down.

#include <QObject>
#include <QQmlEngine>
#include <QString>

namespace cinder::app {

class PassphraseStrength : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString passphrase READ passphrase WRITE setPassphrase NOTIFY passphraseChanged)
    Q_PROPERTY(int score READ score NOTIFY passphraseChanged) // 0 (none) .. 4 (strong)
    Q_PROPERTY(double entropyBits READ entropyBits NOTIFY passphraseChanged)
    Q_PROPERTY(QString label READ label NOTIFY passphraseChanged)        // "Too short", "Weak", ...
    Q_PROPERTY(bool acceptable READ acceptable NOTIFY passphraseChanged) // may be used

public:
    static constexpr int kMinimumLength = 10;

    explicit PassphraseStrength(QObject* parent = nullptr) : QObject(parent) {}

    [[nodiscard]] QString passphrase() const { return m_passphrase; }
    void setPassphrase(const QString& passphrase);
    [[nodiscard]] int score() const;
    [[nodiscard]] double entropyBits() const;
    [[nodiscard]] QString label() const;
    [[nodiscard]] bool acceptable() const;

    [[nodiscard]] static double estimateEntropyBits(const QString& passphrase);

Q_SIGNALS:
    void passphraseChanged();

private:
    QString m_passphrase;
};

} // namespace cinder::app
