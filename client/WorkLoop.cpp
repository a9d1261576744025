// SPDX-License-Identifier: Apache-2.0
#include "client/WorkLoop.h"

#include "client/SessionContext.h"

namespace cinder::client {

WorkLoop::WorkLoop(const SessionContext& context, QObject* parent)
    : QObject(parent), m_context(context) {}

void WorkLoop::schedule() {
    if (m_scheduled || m_context.signedOut) {
        return;
    }
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &WorkLoop::run, Qt::QueuedConnection);
}

void WorkLoop::run() {
    m_scheduled = false;
    if (m_running || m_context.signedOut || !m_round) {
        return;
    }
    m_running = true;
    const bool more = m_round();
    m_running = false;
    if (more) {
        schedule();
    }
}

} // namespace cinder::client
