// SPDX-License-Identifier: Apache-2.0
#pragma once

// SIGTERM and SIGINT as a Qt signal. The signals are blocked in every thread and read from a
// signalfd watched by a QSocketNotifier, so no work runs in a signal handler.

#include <QObject>

class QSocketNotifier;

namespace cinder::server {

class ShutdownSignals : public QObject {
    Q_OBJECT
public:
    // Blocks SIGTERM and SIGINT for the calling thread and the threads it starts later. Call at
    // the top of main(), before QCoreApplication exists.
    static void blockInAllThreads();

    explicit ShutdownSignals(QObject* parent = nullptr);
    ~ShutdownSignals() override;

    [[nodiscard]] bool isValid() const { return m_fd >= 0; }

signals:
    void received(int signalNumber);

private:
    void onReadable();

    int m_fd = -1;
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace cinder::server
