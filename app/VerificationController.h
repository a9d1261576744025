// SPDX-License-Identifier: Apache-2.0
#pragma once

// Key verification with one contact: the safety code both people compare, the contact's
// fingerprint digits, this account's QR code (drawn with libqrencode) and checking the contact's
// QR code, read from an image file here (zxing-cpp) or from the camera by QrFrameScanner. A code
// of anyone else is refused and changes nothing.

#include "app/SessionHost.h"

#include <QImage>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QUrl>

namespace cinder::app {

class VerificationController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(QString username READ username WRITE setUsername NOTIFY usernameChanged)
    Q_PROPERTY(QString safetyCode READ safetyCode NOTIFY detailsChanged)
    Q_PROPERTY(QString fingerprint READ fingerprint NOTIFY detailsChanged)
    Q_PROPERTY(bool verified READ verified NOTIFY detailsChanged)
    Q_PROPERTY(bool identityChanged READ identityChanged NOTIFY detailsChanged)
    Q_PROPERTY(QString ownQrCode READ ownQrCode NOTIFY detailsChanged) // data: URL of a PNG
    Q_PROPERTY(Outcome outcome READ outcome NOTIFY outcomeChanged)

public:
    enum class Outcome { None, Verified, Mismatch, Unreadable };
    Q_ENUM(Outcome)

    explicit VerificationController(QObject* parent = nullptr);
    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] QString username() const { return m_username; }
    void setUsername(const QString& username);
    [[nodiscard]] QString safetyCode() const { return m_safetyCode; }
    [[nodiscard]] QString fingerprint() const { return m_fingerprint; }
    [[nodiscard]] bool verified() const { return m_verified; }
    [[nodiscard]] bool identityChanged() const { return m_identityChanged; }
    [[nodiscard]] QString ownQrCode() const { return m_ownQrCode; }
    [[nodiscard]] Outcome outcome() const { return m_outcome; }

    // The user compared the safety code with the contact and it matches.
    Q_INVOKABLE void markVerified();
    // Reads the contact's QR code from an image file and verifies it.
    Q_INVOKABLE void scanImage(const QUrl& file);
    // Verifies the bytes of a QR code read elsewhere (QrFrameScanner::found): the same check a
    // code read from an image file gets.
    Q_INVOKABLE void verifyScannedCode(const QByteArray& payload);
    Q_INVOKABLE void acceptIdentityChange();

    // A PNG data: URL of an image, for Image.source.
    [[nodiscard]] static QString dataUrl(const QImage& image);

Q_SIGNALS:
    void hostChanged();
    void usernameChanged();
    void detailsChanged();
    void outcomeChanged();

private:
    void reload();
    void setOutcome(Outcome outcome);

    QPointer<SessionHost> m_host;
    QString m_username;
    QString m_safetyCode;
    QString m_fingerprint;
    bool m_verified = false;
    bool m_identityChanged = false;
    QString m_ownQrCode;
    Outcome m_outcome = Outcome::None;
};

} // namespace cinder::app
