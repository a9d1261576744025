// SPDX-License-Identifier: Apache-2.0
#include "app/VerificationController.h"

#include "app/AppController.h"
#include "client/QrImage.h"

#include <QBuffer>

namespace cinder::app {

namespace {

struct Details {
    QString safetyCode;
    QString fingerprint;
    bool verified = false;
    bool identityChanged = false;
    QByteArray qrPayload;
};

} // namespace

VerificationController::VerificationController(QObject* parent) : QObject(parent) {}

void VerificationController::setHost(SessionHost* host) {
    if (m_host == host) {
        return;
    }
    if (m_host) {
        disconnect(m_host, nullptr, this, nullptr);
    }
    m_host = host;
    if (m_host) {
        connect(m_host, &SessionHost::contactChanged, this, &VerificationController::reload);
    }
    Q_EMIT hostChanged();
    reload();
}

void VerificationController::setUsername(const QString& username) {
    if (m_username == username) {
        return;
    }
    m_username = username;
    Q_EMIT usernameChanged();
    setOutcome(Outcome::None);
    reload();
}

QString VerificationController::dataUrl(const QImage& image) {
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

void VerificationController::reload() {
    if (!m_host || m_username.isEmpty()) {
        return;
    }
    const std::string username = m_username.toStdString();
    m_host->run<std::optional<Details>>(
        [username](client::Session& session) -> std::optional<Details> {
            auto info = session.verification(username);
            if (!info) {
                return std::nullopt;
            }
            Details details;
            details.safetyCode = QString::fromStdString(info->safetyCode);
            details.fingerprint = QString::fromStdString(info->fingerprintDigits);
            details.verified = info->verified;
            details.identityChanged = info->identityChanged;
            details.qrPayload = QByteArray(reinterpret_cast<const char*>(info->ownQrPayload.data()),
                                           static_cast<qsizetype>(info->ownQrPayload.size()));
            return details;
        },
        this,
        [this](std::optional<Details> details) {
            if (!details) {
                return;
            }
            m_safetyCode = details->safetyCode;
            m_fingerprint = details->fingerprint;
            m_verified = details->verified;
            m_identityChanged = details->identityChanged;
            const auto* bytes =
                reinterpret_cast<const std::uint8_t*>(details->qrPayload.constData());
            m_ownQrCode = dataUrl(client::renderQr(
                crypto::ByteView(bytes, static_cast<std::size_t>(details->qrPayload.size()))));
            Q_EMIT detailsChanged();
        });
}

void VerificationController::setOutcome(Outcome outcome) {
    if (m_outcome != outcome) {
        m_outcome = outcome;
        Q_EMIT outcomeChanged();
    }
}

void VerificationController::markVerified() {
    if (!m_host || m_username.isEmpty()) {
        return;
    }
    const std::string username = m_username.toStdString();
    m_host->run<bool>(
        [username](client::Session& session) {
            return static_cast<bool>(session.markVerified(username));
        },
        this,
        [this](bool ok) {
            setOutcome(ok ? Outcome::Verified : Outcome::Mismatch);
            reload();
        });
}

void VerificationController::scanImage(const QUrl& file) {
    if (!m_host || m_username.isEmpty()) {
        return;
    }
    // Reading the image happens here (small, user-chosen file); verifying on the session thread.
    const auto payload = client::readQr(QImage(file.toLocalFile()));
    if (!payload) {
        setOutcome(Outcome::Unreadable);
        return;
    }
    verifyScannedCode(QByteArray(reinterpret_cast<const char*>(payload->data()),
                                 static_cast<qsizetype>(payload->size())));
}

void VerificationController::verifyScannedCode(const QByteArray& payload) {
    if (!m_host || m_username.isEmpty()) {
        return;
    }
    const std::string username = m_username.toStdString();
    const auto* data = reinterpret_cast<const std::uint8_t*>(payload.constData());
    m_host->run<bool>(
        [username, bytes = crypto::Bytes(data, data + payload.size())](client::Session& session) {
            return static_cast<bool>(session.verifyQr(username, bytes));
        },
        this,
        [this](bool ok) {
            setOutcome(ok ? Outcome::Verified : Outcome::Mismatch);
            reload();
        });
}

void VerificationController::acceptIdentityChange() {
    if (!m_host || m_username.isEmpty()) {
        return;
    }
    const std::string username = m_username.toStdString();
    m_host->run<bool>(
        [username](client::Session& session) {
            return static_cast<bool>(session.acceptIdentityChange(username));
        },
        this, [this](bool) { reload(); });
}

} // namespace cinder::app
