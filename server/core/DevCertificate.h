// SPDX-License-Identifier: Apache-2.0
#pragma once

// `cinder-server --generate-dev-cert DIR`: a self-signed P-256 certificate for localhost and
// 127.0.0.1 (and ::1), valid for one year, written as DIR/cert.pem and DIR/key.pem (mode 0600).
// For development and tests only: clients pin this certificate as their CA.

#include <QString>

namespace cinder::server {

inline constexpr int kDevCertificateValidityDays = 365;

// Returns an error message, empty on success.
[[nodiscard]] QString generateDevCertificate(const QString& directory);

} // namespace cinder::server
