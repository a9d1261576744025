// SPDX-License-Identifier: Apache-2.0
#pragma once

// Video frames as a camera's capture session hands them to a QVideoSink, made from an image: a
// packed RGB frame (BGRA8888) or a planar YUV 4:2:0 frame, the usual format of a webcam.

#include <QImage>
#include <QVideoFrame>
#include <QVideoFrameFormat>

#include <algorithm>
#include <cstring>

namespace cinder::test {

inline QVideoFrame videoFrameOf(const QImage& image, QVideoFrameFormat::PixelFormat format) {
    // Even sides, as 4:2:0 chroma planes need.
    const QSize size(image.width() & ~1, image.height() & ~1);
    QVideoFrame frame(QVideoFrameFormat(size, format));
    if (!frame.map(QVideoFrame::WriteOnly)) {
        return {};
    }
    if (format == QVideoFrameFormat::Format_BGRA8888) {
        // QImage's ARGB32 is B, G, R, A in memory on a little-endian machine.
        const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
        for (int y = 0; y < size.height(); ++y) {
            std::memcpy(frame.bits(0) + y * frame.bytesPerLine(0), argb.constScanLine(y),
                        static_cast<std::size_t>(size.width()) * 4);
        }
    } else if (format == QVideoFrameFormat::Format_YUV420P) {
        // Luma from the grey levels; both chroma planes neutral.
        const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
        for (int y = 0; y < size.height(); ++y) {
            std::memcpy(frame.bits(0) + y * frame.bytesPerLine(0), grey.constScanLine(y),
                        static_cast<std::size_t>(size.width()));
        }
        for (int plane = 1; plane < 3; ++plane) {
            std::fill_n(frame.bits(plane), frame.mappedBytes(plane), uchar{128});
        }
    } else {
        frame.unmap();
        return {};
    }
    frame.unmap();
    return frame;
}

} // namespace cinder::test
