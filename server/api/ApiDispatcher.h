// SPDX-License-Identifier: Apache-2.0
#pragma once

// The verb handlers of cinder-server behind the transport's Dispatcher seam. The dispatcher
// owns its storage (opened from config.database) and answers every request it is given.

#include "server/core/ConnectionRegistry.h"
#include "server/core/Dispatcher.h"
#include "server/core/ServerConfig.h"

#include <memory>

namespace cinder::server {

std::unique_ptr<Dispatcher> makeApiDispatcher(const ServerConfig& config,
                                              ConnectionRegistry& registry);

} // namespace cinder::server
