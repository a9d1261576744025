// SPDX-License-Identifier: Apache-2.0
#include "server/api/ApiDispatcher.h"

#include "server/api/ApiService.h"
#include "server/storage/SqlRepository.h"
#include "server/storage/StorageWorker.h"

namespace cinder::server {

std::unique_ptr<Dispatcher> makeApiDispatcher(const ServerConfig& config,
                                              ConnectionRegistry& registry) {
    const DatabaseConfig database = config.database;
    auto storage = std::make_unique<StorageWorker>([database]() -> std::unique_ptr<Repository> {
        if (database.kind == DatabaseConfig::Kind::Postgres) {
            return openPostgresRepository(database.host, database.port, database.databaseName,
                                          database.user, database.password);
        }
        return openSqliteRepository(database.sqlitePath);
    });
    ApiSettings settings;
    settings.serverName = config.serverName;
    settings.messageTtlMs = std::int64_t{config.messageTtlDays} * 24 * 3600 * 1000;
    settings.prekeyLowThreshold = config.prekeyLowThreshold;
    auto service = std::make_unique<ApiService>(settings, std::move(storage), registry);
    if (!service->start()) {
        return nullptr;
    }
    return service;
}

} // namespace cinder::server
