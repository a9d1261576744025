// SPDX-License-Identifier: Apache-2.0
#include "app/SessionHost.h"

#include <QLoggingCategory>

namespace cinder::app {

SessionHost::SessionHost(QObject* parent) : QObject(parent) {
    m_thread.setObjectName(QStringLiteral("cinder-session"));
    m_worker = new QObject();
    m_worker->moveToThread(&m_thread);
    m_session = new std::unique_ptr<client::Session>();
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

SessionHost::~SessionHost() {
    auto* session = m_session;
    QMetaObject::invokeMethod(
        m_worker, [session] { session->reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_session;
}

QString SessionHost::hex(crypto::ByteView bytes) {
    return QString::fromStdString(crypto::toHex(bytes));
}

void SessionHost::post(std::function<void(client::Session&)> job) {
    auto* session = m_session;
    QMetaObject::invokeMethod(
        m_worker,
        [session, job = std::move(job)] {
            if (*session && !(*session)->signedOut()) {
                job(**session);
            }
        },
        Qt::QueuedConnection);
}

void SessionHost::start(Factory factory,
                        std::function<void(std::optional<client::SessionError>)> done) {
    auto* session = m_session;
    QPointer<SessionHost> self(this);
    QMetaObject::invokeMethod(
        m_worker,
        [self, session, factory = std::move(factory), done = std::move(done)] {
            auto made = factory();
            std::optional<client::SessionError> error;
            if (!made) {
                error = made.error();
            } else if (self) {
                *session = std::move(made).value();
                client::Session* s = session->get();
                SessionHost* host = self.data();
                // The session's signals are turned into the host's (plain Qt types) on the
                // worker thread; the host's receivers live on the GUI thread, so they get them
                // queued. The host outlives the session (its destructor waits for the reset).
                connect(
                    s, &client::Session::onlineChanged, s,
                    [host](bool online) { Q_EMIT host->onlineChanged(online); },
                    Qt::DirectConnection);
                connect(
                    s, &client::Session::messageAdded, s,
                    [host](const client::Message& m) { Q_EMIT host->messageAdded(m); },
                    Qt::DirectConnection);
                connect(
                    s, &client::Session::messageUpdated, s,
                    [host](const client::Message& m) { Q_EMIT host->messageUpdated(m); },
                    Qt::DirectConnection);
                connect(
                    s, &client::Session::messagesRemoved, s,
                    [host](const std::vector<crypto::MessageId>& ids) {
                        QStringList out;
                        for (const auto& id : ids) {
                            out.append(hex(id));
                        }
                        Q_EMIT host->messagesRemoved(out);
                    },
                    Qt::DirectConnection);
                connect(
                    s, &client::Session::conversationUpdated, s,
                    [host](const client::ConversationSummary& summary) {
                        Q_EMIT host->conversationUpdated(summary);
                    },
                    Qt::DirectConnection);
                connect(
                    s, &client::Session::conversationRemoved, s,
                    [host](const crypto::ConversationId& id) {
                        Q_EMIT host->conversationRemoved(hex(id));
                    },
                    Qt::DirectConnection);
                connect(
                    s, &client::Session::contactChanged, s,
                    [host](const crypto::RootId& id) { Q_EMIT host->contactChanged(hex(id)); },
                    Qt::DirectConnection);
                connect(
                    s, &client::Session::transferProgress, s,
                    [host](std::int64_t id, std::uint64_t doneBytes, std::uint64_t total) {
                        Q_EMIT host->transferProgress(id, doneBytes, total);
                    },
                    Qt::DirectConnection);
                s->goOnline();
            }
            if (!self) {
                return;
            }
            QMetaObject::invokeMethod(
                self.data(),
                [self, error, done] {
                    if (!self) {
                        return;
                    }
                    self->m_hasSession = !error.has_value();
                    if (done) {
                        done(error);
                    }
                    if (!error) {
                        Q_EMIT self->sessionStarted();
                    }
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void SessionHost::stop() {
    auto* session = m_session;
    m_hasSession = false;
    QPointer<SessionHost> self(this);
    QMetaObject::invokeMethod(
        m_worker,
        [self, session] {
            if (*session) {
                (*session)->signOut();
                session->reset();
            }
            if (self) {
                QMetaObject::invokeMethod(
                    self.data(),
                    [self] {
                        if (self) {
                            Q_EMIT self->sessionStopped();
                        }
                    },
                    Qt::QueuedConnection);
            }
        },
        Qt::QueuedConnection);
}

} // namespace cinder::app
