// SPDX-License-Identifier: Apache-2.0
#pragma once

// The logging category of cinder-server. What the server logs (docs/SERVER.md, "What is logged"):
// connection ids, verbs, statuses, counts and reasons. Never a client IP address, never a
// recipient identity, never a key or a packet.

#include <QLoggingCategory>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcServer)

namespace cinder::server {

// Applies --log-level (debug, info, warning, error) to every cinder.* category and sets a
// message pattern with a UTC timestamp. Returns false for an unknown level.
bool applyLogLevel(const QString& level);

[[nodiscard]] bool isValidLogLevel(const QString& level);

} // namespace cinder::server
