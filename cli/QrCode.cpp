// SPDX-License-Identifier: Apache-2.0
#include "cli/QrCode.h"

#include "client/QrImage.h"

#include <QImage>

namespace cinder::cli {

std::optional<QString> writeQrPng(crypto::ByteView payload, const QString& path) {
    const QImage image = client::renderQr(payload, kQrModulePixels);
    if (image.isNull()) {
        return QStringLiteral("the QR code could not be made");
    }
    if (!image.save(path, "PNG")) {
        return QStringLiteral("could not write %1").arg(path);
    }
    return std::nullopt;
}

std::optional<crypto::Bytes> readQrImage(const QString& path, QString* error) {
    QImage image;
    if (!image.load(path)) {
        *error = QStringLiteral("could not read an image from %1").arg(path);
        return std::nullopt;
    }
    auto payload = client::readQr(image);
    if (!payload) {
        *error = QStringLiteral("no QR code found in %1").arg(path);
    }
    return payload;
}

} // namespace cinder::cli
