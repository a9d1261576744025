// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which database the server suites run against. scripts/test starts a throwaway PostgreSQL
// cluster and exports its libpq connection string as CINDER_TEST_PG; a suite started with
// --pg runs against it. Without it the suite skips, saying so (kPostgresMissing), and ctest
// reports it as skipped, not passed (SKIP_REGULAR_EXPRESSION in tests/server/*/CMakeLists.txt),
// so it never passes by not running.

#include <QString>
#include <QStringList>

namespace cinder::test {

// The QSKIP message of a PostgreSQL suite run without a database; ctest matches its start.
inline constexpr char kPostgresMissing[] =
    "needs PostgreSQL: CINDER_TEST_PG is not set. Start a cluster with "
    "`scripts/pg-test-cluster start DIR` and export the connection string it prints as "
    "CINDER_TEST_PG (scripts/test does this).";

// "postgres://user@127.0.0.1:PORT/DB" from CINDER_TEST_PG ("host=... port=... dbname=...
// user=..."), or empty when the variable is unset or has no port.
[[nodiscard]] QString postgresUrlFromEnvironment();

// Removes "--pg" from arguments; true when it was there.
[[nodiscard]] bool takePostgresFlag(QStringList& arguments);

// A suffix that keeps names unique across test processes sharing one database.
[[nodiscard]] QString uniqueRunSuffix();

} // namespace cinder::test
