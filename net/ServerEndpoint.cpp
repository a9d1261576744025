// SPDX-License-Identifier: Apache-2.0
#include "net/ServerEndpoint.h"

namespace cinder::net {

std::optional<QByteArray> ServerEndpoint::parseFingerprint(const QString& text) {
    QByteArray hex;
    for (const QChar c : text) {
        if (c == u':' || c == u' ')
            continue;
        if (!c.isDigit() && !(c.toLower() >= u'a' && c.toLower() <= u'f'))
            return std::nullopt;
        hex.append(static_cast<char>(c.toLatin1()));
    }
    if (hex.size() != 2 * kFingerprintSize)
        return std::nullopt;
    return QByteArray::fromHex(hex);
}

QString ServerEndpoint::formatFingerprint(const QByteArray& sha256) {
    return QString::fromLatin1(sha256.toHex(':'));
}

bool ServerEndpoint::isValid() const {
    if (host.isEmpty() || port == 0)
        return false;
    const bool hasCa = !caCertificateFile.isEmpty();
    const bool hasFingerprint = !certificateSha256.isEmpty();
    if (hasCa == hasFingerprint)
        return false;
    if (!publicKeySha256.isEmpty() && publicKeySha256.size() != kFingerprintSize)
        return false;
    return !hasFingerprint || certificateSha256.size() == kFingerprintSize;
}

} // namespace cinder::net
