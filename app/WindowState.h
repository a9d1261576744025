// SPDX-License-Identifier: Apache-2.0
#pragma once

// Remembers the main window's size, position and maximised state between runs (QSettings).

#include <QObject>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QWindow;
QT_END_NAMESPACE

namespace cinder::app {

class WindowState : public QObject {
    Q_OBJECT
public:
    explicit WindowState(QWindow* window, QObject* parent = nullptr);
    ~WindowState() override;
    void save();

private:
    QPointer<QWindow> m_window;
};

} // namespace cinder::app
