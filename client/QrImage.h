// SPDX-License-Identifier: Apache-2.0
#pragma once

// The key-verification QR code as an image, shared by the desktop app and cinder-cli: drawn
// with libqrencode in 8-bit data mode (the payload's exact bytes) and read with zxing-cpp (the
// raw bytes of the symbol, without any character-set conversion). The payload itself is
// crypto/Fingerprint's VerificationQr.

#include "crypto/Bytes.h"

#include <QImage>

#include <optional>

namespace cinder::client {

inline constexpr int kQrModulePixels = 8; // pixels per module when drawn
inline constexpr int kQrQuietModules = 4; // white border, in modules (the standard's minimum)

// A black-on-white grayscale image of the code; a null image when the payload does not fit.
[[nodiscard]] QImage renderQr(crypto::ByteView payload, int modulePixels = kQrModulePixels);

// The bytes of the first QR code in the image; nothing when there is none.
[[nodiscard]] std::optional<crypto::Bytes> readQr(const QImage& image);

} // namespace cinder::client
