// SPDX-License-Identifier: Apache-2.0
#pragma once

// Runs CPU-heavy work (signature checks: ~0.5 ms each) off the network thread, then hands the
// result back to the thread of a context object; nothing is delivered once that object is gone.
// The pool belongs to the service, not to Qt's global instance: its threads are joined when the
// service is destroyed, while OpenSSL can still free their per-thread state.

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <memory>
#include <utility>

namespace cinder::server {

template <typename Job, typename Done>
void runInBackground(QThreadPool& pool, QObject* context, Job job, Done done) {
    QPointer<QObject> guard(context);
    pool.start([guard, job = std::move(job), done = std::move(done)]() mutable {
        auto result = std::make_shared<decltype(job())>(job());
        if (guard.isNull()) {
            return;
        }
        QMetaObject::invokeMethod(
            guard.data(),
            [guard, result, done = std::move(done)]() mutable {
                if (!guard.isNull()) {
                    done(std::move(*result));
                }
            },
            Qt::QueuedConnection);
    });
}

} // namespace cinder::server
