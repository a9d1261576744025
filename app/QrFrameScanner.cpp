// SPDX-License-Identifier: Apache-2.0
#include "app/QrFrameScanner.h"

#include "client/QrImage.h"

#include <QCameraDevice>
#include <QImage>

namespace cinder::app {

QrFrameScanner::QrFrameScanner(QObject* parent) : QObject(parent) {
    // One decoding thread that stays until the scanner goes: QVideoFrame::toImage() may set up
    // a graphics context per thread for converting the frame, so reusing one thread makes one
    // such context instead of one per short-lived pool thread.
    m_decoder.setMaxThreadCount(1);
    m_decoder.setExpiryTimeout(-1);
    connect(&m_devices, &QMediaDevices::videoInputsChanged, this,
            &QrFrameScanner::updateCameraAvailable);
    updateCameraAvailable();
}

QrFrameScanner::~QrFrameScanner() {
    // No new decode may start once destruction begins, even from a frame the backend is
    // delivering on its own thread right now; a queued result addressed to this object is
    // discarded by Qt along with it.
    {
        const QMutexLocker lock(&m_startLock);
        m_closing = true;
    }
    if (m_sink) {
        disconnect(m_sink, nullptr, this, nullptr);
    }
    m_active = false;
    m_decoder.waitForDone();
}

void QrFrameScanner::setVideoSink(QVideoSink* sink) {
    if (m_sink == sink) {
        return;
    }
    if (m_sink) {
        disconnect(m_sink, nullptr, this, nullptr);
    }
    m_sink = sink;
    if (m_sink) {
        // Direct: the backend may deliver frames on its own thread, and a frame that has to be
        // dropped should be dropped there rather than wait in this thread's event queue.
        connect(m_sink, &QVideoSink::videoFrameChanged, this, &QrFrameScanner::takeFrame,
                Qt::DirectConnection);
    }
    Q_EMIT videoSinkChanged();
}

void QrFrameScanner::setActive(bool active) {
    if (m_active.exchange(active) != active) {
        Q_EMIT activeChanged();
    }
}

void QrFrameScanner::updateCameraAvailable() {
    const bool available = !QMediaDevices::videoInputs().isEmpty();
    if (m_cameraAvailable != available) {
        m_cameraAvailable = available;
        Q_EMIT cameraAvailableChanged();
    }
}

void QrFrameScanner::takeFrame(const QVideoFrame& frame) {
    if (!m_active.load() || !frame.isValid()) {
        return;
    }
    bool idle = false;
    if (!m_busy.compare_exchange_strong(idle, true)) {
        ++m_framesDropped;
        return;
    }
    const QMutexLocker lock(&m_startLock);
    if (m_closing) {
        return;
    }
    m_decoder.start([this, frame] {
        std::optional<QByteArray> payload;
        if (const auto bytes = client::readQr(frame.toImage())) {
            payload = QByteArray(reinterpret_cast<const char*>(bytes->data()),
                                 static_cast<qsizetype>(bytes->size()));
        }
        QMetaObject::invokeMethod(
            this, [this, payload] { finishDecode(payload); }, Qt::QueuedConnection);
    });
}

void QrFrameScanner::finishDecode(const std::optional<QByteArray>& payload) {
    m_busy = false;
    ++m_framesRead;
    // A result that arrives after scanning was switched off is no longer wanted.
    if (payload && m_active.load()) {
        setActive(false);
        Q_EMIT found(*payload);
    }
    Q_EMIT frameRead();
}

} // namespace cinder::app
