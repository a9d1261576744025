// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

// cinder.db: the local store. Never logs message content, names, keys or passphrases.
Q_DECLARE_LOGGING_CATEGORY(lcDb)
