// SPDX-License-Identifier: Apache-2.0
// Runs the tst_*.qml files of this folder against the QML module Cinder (ui/), which is linked
// in statically.

#include <QQmlEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(CinderPlugin)

class Setup : public QObject {
    Q_OBJECT

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine* engine) {
        // The static module's qmldir lives in the resources.
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(cinder_qml, Setup)

#include "tst_qml.moc"
