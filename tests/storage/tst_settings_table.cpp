// SPDX-License-Identifier: Apache-2.0
// SettingsTable: values by key.

#include "StorageTestSupport.h"
#include "storage/Store.h"

#include <QTemporaryDir>

using namespace cinder;
using namespace cinder::storage;
using test::idOf;
using test::openStore;

class TestSettingsTable : public QObject {
    Q_OBJECT
private slots:
    void settings() {
        QTemporaryDir dir;
        auto store = openStore(dir.path(), test::freshKey());
        QVERIFY(store);
        QVERIFY(!store->settings().get("missing").value());
        QVERIFY(store->settings().set("ttl", crypto::asBytes("60")));
        QVERIFY(store->settings().set("ttl", crypto::asBytes("120")));
        QCOMPARE(test::toQByteArray(*store->settings().get("ttl").value()), QByteArray("120"));
        QVERIFY(store->settings().set("empty", {}));
        QVERIFY(store->settings().get("empty").value()->empty());
        QVERIFY(store->settings().remove("ttl"));
        QVERIFY(!store->settings().get("ttl").value());
    }
};

QTEST_GUILESS_MAIN(TestSettingsTable)
#include "tst_settings_table.moc"
