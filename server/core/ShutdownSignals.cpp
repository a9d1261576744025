// SPDX-License-Identifier: Apache-2.0
#include "server/core/ShutdownSignals.h"

#include "server/core/Log.h"

#include <QSocketNotifier>

#include <csignal>
#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace cinder::server {

namespace {

sigset_t terminationSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

} // namespace

void ShutdownSignals::blockInAllThreads() {
    const sigset_t set = terminationSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ShutdownSignals::ShutdownSignals(QObject* parent) : QObject(parent) {
    const sigset_t set = terminationSignals();
    m_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_fd < 0) {
        qCWarning(lcServer) << "signalfd failed; SIGTERM will not shut down gracefully";
        return;
    }
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ShutdownSignals::onReadable);
}

ShutdownSignals::~ShutdownSignals() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

void ShutdownSignals::onReadable() {
    signalfd_siginfo info{};
    while (::read(m_fd, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
        emit received(static_cast<int>(info.ssi_signo));
    }
}

} // namespace cinder::server
