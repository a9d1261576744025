// SPDX-License-Identifier: Apache-2.0
// Issue 5: reading a QR code from camera frames. Frames made from images drawn by client/QrImage
// go through a real QVideoSink into app::QrFrameScanner, which reads them on its worker thread.
// No camera is needed: the capture session's part (camera -> sink) is Qt's.
#include "VideoFrames.h"

#include "app/QrFrameScanner.h"
#include "client/QrImage.h"

#include <QCameraDevice>
#include <QGuiApplication>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QTest>
#include <QVideoSink>

using namespace cinder;

namespace {

// Binary on purpose: a verification code holds bytes that are not text, zeros included.
const QByteArray kPayload = QByteArrayLiteral("cinder\x00\x01\x7f\x80\xfe\xff-qr");

QImage codeImage(const QByteArray& payload) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(payload.constData());
    return client::renderQr(crypto::ByteView(bytes, static_cast<std::size_t>(payload.size())));
}

QImage blankImage() {
    QImage white(320, 240, QImage::Format_Grayscale8);
    white.fill(255);
    return white;
}

// The picture a camera would see: the code small and off-centre on a grey background.
QImage sceneWith(const QImage& code) {
    QImage scene(640, 480, QImage::Format_Grayscale8);
    scene.fill(150);
    for (int y = 0; y < code.height(); ++y) {
        std::memcpy(scene.scanLine(y + 100) + 200, code.constScanLine(y),
                    static_cast<std::size_t>(code.width()));
    }
    return scene;
}

} // namespace

class QrFrameScannerTest : public QObject {
    Q_OBJECT

private slots:
    void cameraAvailabilityFollowsMediaDevices() {
        app::QrFrameScanner scanner;
        QCOMPARE(scanner.cameraAvailable(), !QMediaDevices::videoInputs().isEmpty());
    }

    void readsACodeFromAFrame_data() {
        QTest::addColumn<QVideoFrameFormat::PixelFormat>("format");
        QTest::newRow("BGRA8888") << QVideoFrameFormat::Format_BGRA8888;
        QTest::newRow("YUV420P") << QVideoFrameFormat::Format_YUV420P;
    }

    void readsACodeFromAFrame() {
        QFETCH(QVideoFrameFormat::PixelFormat, format);
        QVideoSink sink;
        app::QrFrameScanner scanner;
        scanner.setVideoSink(&sink);
        scanner.setActive(true);
        QSignalSpy found(&scanner, &app::QrFrameScanner::found);
        QSignalSpy active(&scanner, &app::QrFrameScanner::activeChanged);

        const QVideoFrame frame = test::videoFrameOf(sceneWith(codeImage(kPayload)), format);
        QVERIFY(frame.isValid());
        sink.setVideoFrame(frame);
        QVERIFY(found.wait());
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.at(0).at(0).toByteArray(), kPayload);
        // Found once: scanning stops, and later frames are not read.
        QVERIFY(!scanner.active());
        QCOMPARE(active.size(), 1);
        sink.setVideoFrame(test::videoFrameOf(sceneWith(codeImage(kPayload)), format));
        QCoreApplication::processEvents();
        QCOMPARE(scanner.framesRead(), 1);
        QCOMPARE(found.size(), 1);
    }

    void aFrameWithoutACodeFindsNothing() {
        QVideoSink sink;
        app::QrFrameScanner scanner;
        scanner.setVideoSink(&sink);
        scanner.setActive(true);
        QSignalSpy found(&scanner, &app::QrFrameScanner::found);
        QSignalSpy read(&scanner, &app::QrFrameScanner::frameRead);

        sink.setVideoFrame(test::videoFrameOf(blankImage(), QVideoFrameFormat::Format_BGRA8888));
        QVERIFY(read.wait());
        QCOMPARE(scanner.framesRead(), 1);
        QCOMPARE(found.size(), 0);
        QVERIFY(scanner.active()); // still looking
        // The next frame, with a code, is read as usual.
        sink.setVideoFrame(
            test::videoFrameOf(sceneWith(codeImage(kPayload)), QVideoFrameFormat::Format_BGRA8888));
        QVERIFY(found.wait());
        QCOMPARE(scanner.framesRead(), 2);
    }

    void framesArrivingDuringAReadAreDropped() {
        QVideoSink sink;
        app::QrFrameScanner scanner;
        scanner.setVideoSink(&sink);
        scanner.setActive(true);
        QSignalSpy read(&scanner, &app::QrFrameScanner::frameRead);
        QSignalSpy found(&scanner, &app::QrFrameScanner::found);

        // The first read's result comes back through this thread's event loop, which does not
        // run between these calls: the read is still in flight for every later frame. Each
        // frame is new, as a camera's are: a sink passes on only a frame that differs from the
        // one it holds.
        const QImage code = sceneWith(codeImage(kPayload));
        sink.setVideoFrame(test::videoFrameOf(blankImage(), QVideoFrameFormat::Format_BGRA8888));
        for (int i = 0; i < 4; ++i) {
            sink.setVideoFrame(test::videoFrameOf(code, QVideoFrameFormat::Format_BGRA8888));
        }
        QVERIFY(read.wait());
        QCOMPARE(scanner.framesRead(), 1);
        QCOMPARE(scanner.framesDropped(), 4);
        // None of the dropped frames was queued: nothing more is read, and no code was found.
        QCoreApplication::processEvents();
        QCOMPARE(read.size(), 1);
        QCOMPARE(found.size(), 0);
        // Once the read is done the next frame is taken.
        sink.setVideoFrame(test::videoFrameOf(code, QVideoFrameFormat::Format_BGRA8888));
        QVERIFY(found.wait());
        QCOMPARE(scanner.framesRead(), 2);
        QCOMPARE(scanner.framesDropped(), 4);
    }

    void inactiveScannerReadsNothing() {
        QVideoSink sink;
        app::QrFrameScanner scanner;
        scanner.setVideoSink(&sink);
        QSignalSpy found(&scanner, &app::QrFrameScanner::found);
        sink.setVideoFrame(
            test::videoFrameOf(sceneWith(codeImage(kPayload)), QVideoFrameFormat::Format_BGRA8888));
        QCoreApplication::processEvents();
        QCOMPARE(scanner.framesRead(), 0);
        QCOMPARE(scanner.framesDropped(), 0);
        QCOMPARE(found.size(), 0);
        // Nor does a scanner whose sink has been taken away.
        scanner.setActive(true);
        scanner.setVideoSink(nullptr);
        sink.setVideoFrame(
            test::videoFrameOf(sceneWith(codeImage(kPayload)), QVideoFrameFormat::Format_BGRA8888));
        QCoreApplication::processEvents();
        QCOMPARE(scanner.framesRead(), 0);
    }

    void destroyedWhileReading() {
        // The worker is joined and its queued result discarded with the scanner: no use after
        // free (the asan preset checks this).
        QVideoSink sink;
        QSignalSpy frames(&sink, &QVideoSink::videoFrameChanged);
        {
            app::QrFrameScanner scanner;
            scanner.setVideoSink(&sink);
            scanner.setActive(true);
            sink.setVideoFrame(test::videoFrameOf(sceneWith(codeImage(kPayload)),
                                                  QVideoFrameFormat::Format_BGRA8888));
        }
        QCoreApplication::processEvents();
        QCOMPARE(frames.size(), 1);
    }
};

QTEST_MAIN(QrFrameScannerTest)
#include "tst_qr_frame_scanner.moc"
