// SPDX-License-Identifier: Apache-2.0
#include "net/NetLogging.h"

namespace cinder::net {
Q_LOGGING_CATEGORY(lcNet, "cinder.net")
} // namespace cinder::net
