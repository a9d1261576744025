// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reads a contact's QR code from the camera's picture. QML hands it the video sink its capture
// session draws into (VideoOutput.videoSink); a frame that arrives while no decode is running is
// turned into an image and read with zxing-cpp (client/QrImage) on a worker thread, and the
// first code read is reported once through found(), after which scanning stops. A frame that
// arrives while a decode runs is dropped, never queued: a camera delivers ~30 frames a second
// and one decode of a large frame can take longer than that, so a queue would only grow.
//
// What the code means is not decided here: VerificationController checks it exactly as it
// checks a code read from an image file.

#include <QByteArray>
#include <QMediaDevices>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QThreadPool>
#include <QVideoFrame>
#include <QVideoSink>

#include <atomic>
#include <optional>

namespace cinder::app {

class QrFrameScanner : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QVideoSink* videoSink READ videoSink WRITE setVideoSink NOTIFY videoSinkChanged)
    // Frames are read only while active; finding a code makes it inactive again.
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    // Whether this computer has any camera (QMediaDevices' video inputs), kept up to date as
    // cameras are plugged in and out.
    Q_PROPERTY(bool cameraAvailable READ cameraAvailable NOTIFY cameraAvailableChanged)

public:
    explicit QrFrameScanner(QObject* parent = nullptr);
    ~QrFrameScanner() override;
    QrFrameScanner(const QrFrameScanner&) = delete;
    QrFrameScanner& operator=(const QrFrameScanner&) = delete;

    [[nodiscard]] QVideoSink* videoSink() const { return m_sink; }
    void setVideoSink(QVideoSink* sink);
    [[nodiscard]] bool active() const { return m_active.load(); }
    void setActive(bool active);
    [[nodiscard]] bool cameraAvailable() const { return m_cameraAvailable; }

    // Frames read so far (whether or not they held a code), and frames dropped because a read
    // was still running when they arrived.
    [[nodiscard]] int framesRead() const { return m_framesRead; }
    [[nodiscard]] int framesDropped() const { return m_framesDropped.load(); }

Q_SIGNALS:
    void videoSinkChanged();
    void activeChanged();
    void cameraAvailableChanged();
    // The raw bytes of the QR code (a verification code is binary, not text).
    void found(const QByteArray& payload);
    // One frame has been read, on this object's thread, after found() when it held a code.
    void frameRead();

private:
    // Called on whichever thread the sink's backend delivers frames on.
    void takeFrame(const QVideoFrame& frame);
    // Back on this object's thread with the outcome of one decode.
    void finishDecode(const std::optional<QByteArray>& payload);
    void updateCameraAvailable();

    QPointer<QVideoSink> m_sink;
    QMediaDevices m_devices;
    bool m_cameraAvailable = false;
    std::atomic<bool> m_active{false};
    // Set by the frame that starts a decode, cleared on this thread when its result arrives.
    std::atomic<bool> m_busy{false};
    int m_framesRead = 0; // touched only on this object's thread
    std::atomic<int> m_framesDropped{0};
    // Last member, so it is joined before anything a decode touches goes away.
    QThreadPool m_decoder;
    // Starting a decode and the destructor's "no more" exclude each other (frames come on the
    // backend's thread).
    QMutex m_startLock;
    bool m_closing = false;
};

} // namespace cinder::app
