// SPDX-License-Identifier: Apache-2.0
#pragma once

// The numbered schema migrations of SqlRepository, in the two SQL dialects it speaks. Migration
// n (1-based) is migrations(dialect)[n - 1]; the applied number is kept in schema_version.

#include <QStringList>

#include <vector>

namespace cinder::server {

enum class SqlDialect {
    Sqlite,   // embedded default: one file, one writer at a time
    Postgres, // scale-out: several server processes share one database
};

[[nodiscard]] std::vector<QStringList> schemaMigrations(SqlDialect dialect);

// Every table the migrations create, in an order that drop statements can follow.
[[nodiscard]] QStringList schemaTables();

} // namespace cinder::server
