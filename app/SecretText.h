// SPDX-License-Identifier: Apache-2.0
#pragma once

// A secret typed into the UI (a passphrase) leaves Qt's UTF-16 QString for wiped memory at once
// (docs/ARCHITECTURE.md, "Secrets in memory"): the UTF-8 bytes are written straight into a
// crypto::SecureBuffer, with no QByteArray or std::string in between.

#include "crypto/SecureBuffer.h"

#include <QStringView>

namespace cinder::app {

[[nodiscard]] crypto::SecureBuffer secretUtf8(QStringView text);

} // namespace cinder::app
