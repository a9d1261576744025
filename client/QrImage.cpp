// SPDX-License-Identifier: Apache-2.0
#include "client/QrImage.h"

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <qrencode.h>

#include <algorithm>
#include <memory>

namespace cinder::client {

QImage renderQr(crypto::ByteView payload, int modulePixels) {
    if (payload.empty() || modulePixels < 1) {
        return {};
    }
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(payload.size()), payload.data(), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code) {
        return {};
    }
    const int modules = code->width;
    const int side = (modules + 2 * kQrQuietModules) * modulePixels;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(255);
    for (int y = 0; y < modules; ++y) {
        for (int x = 0; x < modules; ++x) {
            // Bit 0 of each module byte: dark.
            if ((code->data[y * modules + x] & 1U) == 0) {
                continue;
            }
            const int left = (x + kQrQuietModules) * modulePixels;
            const int top = (y + kQrQuietModules) * modulePixels;
            for (int dy = 0; dy < modulePixels; ++dy) {
                uchar* row = image.scanLine(top + dy);
                std::fill(row + left, row + left + modulePixels, uchar{0});
            }
        }
    }
    return image;
}

std::optional<crypto::Bytes> readQr(const QImage& source) {
    if (source.isNull()) {
        return std::nullopt;
    }
    const QImage image = source.convertToFormat(QImage::Format_Grayscale8);
    const ZXing::ImageView view(image.constBits(), image.width(), image.height(),
                                ZXing::ImageFormat::Lum, static_cast<int>(image.bytesPerLine()));
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(true);
    hints.setTryRotate(true);
    const ZXing::Result result = ZXing::ReadBarcode(view, hints);
    if (!result.isValid()) {
        return std::nullopt;
    }
    const ZXing::ByteArray& bytes = result.bytes();
    return crypto::Bytes(bytes.begin(), bytes.end());
}

} // namespace cinder::client
