// SPDX-License-Identifier: Apache-2.0
// Names from the network never become paths: sanitizeFileName() for "save as", and
// AttachmentStore refuses any name it did not generate.

#include "storage/AttachmentStore.h"
#include "storage/FileNames.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace cinder::storage;

class TestFileNames : public QObject {
    Q_OBJECT
private slots:
    void sanitize_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "photo.jpg"
                               << "photo.jpg";
        QTest::newRow("unicode kept")
            << QString::fromUtf8("résumé ✓.pdf") << QString::fromUtf8("résumé ✓.pdf");
        QTest::newRow("parent traversal") << "../../etc/passwd"
                                          << "passwd";
        QTest::newRow("absolute") << "/etc/shadow"
                                  << "shadow";
        QTest::newRow("windows traversal") << "..\\..\\Windows\\System32\\evil.dll"
                                           << "evil.dll";
        QTest::newRow("mixed separators") << "a/b\\c.txt"
                                          << "c.txt";
        QTest::newRow("dot dot") << ".."
                                 << "attachment";
        QTest::newRow("dot") << "."
                             << "attachment";
        QTest::newRow("trailing separator") << "dir/"
                                            << "attachment";
        QTest::newRow("empty") << ""
                               << "attachment";
        QTest::newRow("hidden") << ".bashrc"
                                << "bashrc";
        QTest::newRow("trailing dots and spaces") << "name.txt. . "
                                                  << "name.txt";
        QTest::newRow("control characters") << QString("a\nb\tc\r\x01.txt") << "abc.txt";
        QTest::newRow("nul") << QString::fromUtf8("a\0b.txt", 7) << "ab.txt";
        QTest::newRow("rtl override")
            << QString::fromUtf8("invoice\u202Egpj.exe") << "invoicegpj.exe";
        QTest::newRow("zero width") << QString::fromUtf8("pay\u200Bpal.txt") << "paypal.txt";
        QTest::newRow("windows forbidden") << "a<b>c:d\"e|f?g*h.txt"
                                           << "abcdefgh.txt";
        QTest::newRow("alternate data stream") << "file.txt:evil.exe"
                                               << "file.txtevil.exe";
        QTest::newRow("CON") << "CON"
                             << "_CON";
        QTest::newRow("con.txt") << "con.txt"
                                 << "_con.txt";
        QTest::newRow("nul.tar.gz") << "nul.tar.gz"
                                    << "_nul.tar.gz";
        QTest::newRow("COM1") << "COM1.log"
                              << "_COM1.log";
        QTest::newRow("lpt9") << "lpt9"
                              << "_lpt9";
        QTest::newRow("COM10 is fine") << "COM10"
                                       << "COM10";
        QTest::newRow("console is fine") << "console.txt"
                                         << "console.txt";
        QTest::newRow("traversal to reserved") << "../AUX.c"
                                               << "_AUX.c";
    }
    void sanitize() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(sanitizeFileName(input), expected);
    }

    void sanitizedNamesStayInTheFolder_data() { sanitize_data(); }
    void sanitizedNamesStayInTheFolder() {
        QFETCH(QString, input);
        QTemporaryDir dir;
        const QString name = sanitizeFileName(input);
        QVERIFY(!name.contains('/') && !name.contains('\\'));
        QVERIFY(name != "." && name != "..");
        const QString path = QDir(dir.path()).filePath(name);
        QCOMPARE(QFileInfo(path).absolutePath(), QFileInfo(dir.path()).absoluteFilePath());
    }

    void longNamesKeepTheirExtension() {
        const QString name = sanitizeFileName(QString(400, QChar(0x00e9)) + ".pdf");
        QVERIFY(name.toUtf8().size() <= kMaxFileNameBytes);
        QVERIFY(name.endsWith(".pdf"));
        const QString plain = sanitizeFileName(QString(300, 'x'));
        QCOMPARE(plain.toUtf8().size(), kMaxFileNameBytes);
        // A surrogate pair is never cut in half.
        const QString emoji = sanitizeFileName(QString::fromUtf8("😀").repeated(100));
        QVERIFY(emoji.toUtf8().size() <= kMaxFileNameBytes);
        QVERIFY(!emoji.isEmpty());
        QVERIFY(!emoji.back().isHighSurrogate());
    }

    void attachmentStoreRefusesForeignNames_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("traversal") << "../vault";
        QTest::newRow("absolute") << "/etc/passwd";
        QTest::newRow("photo") << "photo.jpg";
        QTest::newRow("uppercase hex") << "0123456789ABCDEF0123456789ABCDEF";
        QTest::newRow("too short") << "0123456789abcdef";
        QTest::newRow("hex with slash") << "0123456789abcdef/123456789abcdef";
        QTest::newRow("part file") << "0123456789abcdef0123456789abcdef.part";
        QTest::newRow("empty") << "";
    }
    void attachmentStoreRefusesForeignNames() {
        QFETCH(QString, name);
        QTemporaryDir dir;
        AttachmentStore files(dir.path());
        const std::string raw = name.toStdString();
        QVERIFY(!AttachmentStore::isLocalName(raw));
        QVERIFY(!files.pathOf(raw));
        QCOMPARE(files.remove(raw).error(), AttachmentError::InvalidName);
        std::ostringstream out;
        const std::uint8_t key[32] = {};
        QCOMPARE(files.decrypt(raw, key, out).error(), AttachmentError::InvalidName);
        QVERIFY(AttachmentStore::isLocalName("0123456789abcdef0123456789abcdef"));
    }
};

QTEST_GUILESS_MAIN(TestFileNames)
#include "tst_file_names.moc"
