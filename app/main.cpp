// SPDX-License-Identifier: Apache-2.0
// The Cinder desktop program: reads where the profile and the server are, then loads the QML
// window over the view models (module Cinder). Everything else lives in libcinderapp.
#include "app/AppController.h"
#include "app/WindowState.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTranslator>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(CinderPlugin)

int main(int argc, char* argv[]) {
    // Answered before QApplication exists, so that it works without a display (a server, a
    // package check); the same line QCommandLineParser would print.
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--version") == 0 || qstrcmp(argv[i], "-v") == 0) {
            std::printf("Cinder %s\n", CINDER_VERSION);
            return 0;
        }
    }
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Cinder"));
    QApplication::setOrganizationName(QStringLiteral("Cinder"));
    QApplication::setOrganizationDomain(QStringLiteral("cinder.org"));
    QApplication::setApplicationVersion(QStringLiteral(CINDER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.cinder.Cinder"));
    QApplication::setWindowIcon(
        QIcon(QStringLiteral(":/icons/hicolor/scalable/apps/org.cinder.Cinder.svg")));
    QApplication::setQuitOnLastWindowClosed(true);

    // English is the source language: its file only carries the plural forms ("1 member",
    // "2 members"), so it is always loaded. The user's language, when there is one, goes on top
    // (the translator installed last is asked first).
    QTranslator english;
    if (english.load(QStringLiteral(":/i18n/cinder_en.qm"))) {
        QApplication::installTranslator(&english);
    }
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("cinder"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")) &&
        !translator.language().startsWith(QStringLiteral("en"))) {
        QApplication::installTranslator(&translator);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Cinder: end-to-end encrypted messages that burn."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(
        QStringLiteral("profile"),
        QStringLiteral("Folder of this device's account (default: the user data folder)."),
        QStringLiteral("DIR"), qEnvironmentVariable("CINDER_PROFILE"));
    const QCommandLineOption server(
        QStringLiteral("server"), QStringLiteral("Server proposed at sign-up, HOST:PORT."),
        QStringLiteral("HOST:PORT"), qEnvironmentVariable("CINDER_SERVER"));
    const QCommandLineOption fingerprint(
        QStringLiteral("fingerprint"),
        QStringLiteral("SHA-256 fingerprint of the server certificate to pin."),
        QStringLiteral("HEX"), qEnvironmentVariable("CINDER_FINGERPRINT"));
    const QCommandLineOption ca(QStringLiteral("ca"),
                                QStringLiteral("CA certificate (PEM) to pin instead."),
                                QStringLiteral("FILE"), qEnvironmentVariable("CINDER_CA"));
    parser.addOptions({profile, server, fingerprint, ca});
    parser.process(application);

    QString profileDirectory = parser.value(profile);
    if (profileDirectory.isEmpty()) {
        profileDirectory = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                               .filePath(QStringLiteral("profile"));
    }
    cinder::net::ServerEndpoint endpoint;
    const QString address = parser.value(server);
    if (const qsizetype colon = address.lastIndexOf(QLatin1Char(':')); colon > 0) {
        endpoint.host = address.left(colon);
        endpoint.port = address.mid(colon + 1).toUShort();
    }
    if (const auto pin = cinder::net::ServerEndpoint::parseFingerprint(parser.value(fingerprint))) {
        endpoint.certificateSha256 = *pin;
    } else {
        endpoint.caCertificateFile = parser.value(ca);
    }

    auto* controller = new cinder::app::AppController(&application);
    controller->configure(profileDirectory, endpoint, {});

    QQmlApplicationEngine engine;
    cinder::app::AppController::attach(&engine, controller);
    // The module is compiled in (resources under /qt/qml); never look for it beside the binary.
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &application,
        [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Cinder/Main.qml")));
    if (engine.rootObjects().isEmpty()) {
        return 1;
    }
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    cinder::app::WindowState windowState(window);
    return QApplication::exec();
}
