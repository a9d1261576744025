// SPDX-License-Identifier: Apache-2.0
#pragma once

// The verification QR code as an image file (the drawing and reading are client/QrImage's).

#include "crypto/Bytes.h"

#include <QString>

#include <optional>

namespace cinder::cli {

inline constexpr int kQrModulePixels = 8;

// Writes payload as a QR code PNG; an error text (no payload bytes in it) on failure.
[[nodiscard]] std::optional<QString> writeQrPng(crypto::ByteView payload, const QString& path);

// The bytes of the first QR code found in the image; nullopt (with *error set) otherwise.
[[nodiscard]] std::optional<crypto::Bytes> readQrImage(const QString& path, QString* error);

} // namespace cinder::cli
