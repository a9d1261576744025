// SPDX-License-Identifier: Apache-2.0
#include "tests/support/TestDatabase.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMap>
#include <QRandomGenerator>

namespace cinder::test {

QString postgresUrlFromEnvironment() {
    const QString conninfo = qEnvironmentVariable("CINDER_TEST_PG");
    QMap<QString, QString> fields;
    for (const QString& part : conninfo.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq > 0) {
            fields.insert(part.left(eq), part.mid(eq + 1));
        }
    }
    if (!fields.contains(QStringLiteral("port"))) {
        return {};
    }
    // The cluster also listens on 127.0.0.1 (the socket directory cannot go into a URL).
    return QStringLiteral("postgres://%1@127.0.0.1:%2/%3")
        .arg(fields.value(QStringLiteral("user"), QStringLiteral("postgres")),
             fields.value(QStringLiteral("port")),
             fields.value(QStringLiteral("dbname"), QStringLiteral("cinder")));
}

bool takePostgresFlag(QStringList& arguments) {
    return arguments.removeAll(QStringLiteral("--pg")) > 0;
}

QString uniqueRunSuffix() {
    return QString::number(QCoreApplication::applicationPid()) + QLatin1Char('x') +
           QString::number(QRandomGenerator::global()->bounded(1000000));
}

} // namespace cinder::test
