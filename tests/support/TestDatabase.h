// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which database the server suites run against. scripts/test starts a throwaway PostgreSQL
// cluster and exports its libpq connection string as CINDER_TEST_PG; a suite started with
// --pg runs against it (and fails loudly if it is missing, so it never passes by not running).

#include <QString>
#include <QStringList>

namespace cinder::test {

// "postgres://user@127.0.0.1:PORT/DB" from CINDER_TEST_PG ("host=... port=... dbname=...
// user=..."), or empty when the variable is unset or has no port.
[[nodiscard]] QString postgresUrlFromEnvironment();

// Removes "--pg" from arguments; true when it was there.
[[nodiscard]] bool takePostgresFlag(QStringList& arguments);

// A suffix that keeps names unique across test processes sharing one database.
[[nodiscard]] QString uniqueRunSuffix();

} // namespace cinder::test
