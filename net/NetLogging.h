// SPDX-License-Identifier: Apache-2.0
#pragma once

// The cinder.net logging category. Never log bodies, keys, identities or client addresses.

#include <QLoggingCategory>

namespace cinder::net {
Q_DECLARE_LOGGING_CATEGORY(lcNet)
} // namespace cinder::net
