// SPDX-License-Identifier: Apache-2.0
#include "storage/StorageLogging.h"

Q_LOGGING_CATEGORY(lcDb, "cinder.db", QtInfoMsg)
