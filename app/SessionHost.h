// SPDX-License-Identifier: Apache-2.0
#pragma once

// Runs the account's client::Session on a worker thread, so crypto, the store and the network
// never block the GUI thread (docs/ARCHITECTURE.md, "Threads"). View models post jobs with run():
// the job gets the Session on the worker thread, its result comes back to the GUI thread. The
// session's signals arrive here, on the GUI thread, with the values they carry (client/Message.h,
// client/ConversationSummary.h) and other ids as lower-case hex strings: one hop per event,
// and no listener reads the store again.

#include "client/Session.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

namespace cinder::app {

class SessionHost : public QObject {
    Q_OBJECT
public:
    using Factory = std::function<client::SessionResult<std::unique_ptr<client::Session>>()>;

    explicit SessionHost(QObject* parent = nullptr);
    ~SessionHost() override;
    SessionHost(const SessionHost&) = delete;
    SessionHost& operator=(const SessionHost&) = delete;

    // Makes the session on the worker thread (create, sign in or unlock), brings it online,
    // then calls done with the outcome on this thread.
    void start(Factory factory, std::function<void(std::optional<client::SessionError>)> done);
    // Signs out and destroys the session on the worker thread.
    void stop();
    [[nodiscard]] bool hasSession() const { return m_hasSession; }
    [[nodiscard]] QThread* workerThread() { return &m_thread; }

    // Runs job(session) on the worker thread, then done(result) here unless context is gone.
    // Without a session the job is not run.
    template <typename Result>
    void run(std::function<Result(client::Session&)> job, QObject* context,
             std::function<void(Result)> done) {
        QPointer<QObject> guard(context);
        post([job = std::move(job), guard, done = std::move(done)](client::Session& session) {
            auto result = std::make_shared<Result>(job(session));
            if (!guard) {
                return;
            }
            QMetaObject::invokeMethod(
                guard.data(),
                [guard, done, result] {
                    if (guard && done) {
                        done(std::move(*result));
                    }
                },
                Qt::QueuedConnection);
        });
    }
    // A job whose outcome nobody waits for.
    void post(std::function<void(client::Session&)> job);

    static QString hex(crypto::ByteView bytes);
    template <std::size_t N>
    static std::optional<std::array<std::uint8_t, N>> idFromHex(const QString& text) {
        const QByteArray raw = QByteArray::fromHex(text.toLatin1());
        return crypto::fixedFromBytes<N>(
            crypto::ByteView(reinterpret_cast<const std::uint8_t*>(raw.constData()),
                             static_cast<std::size_t>(raw.size())));
    }

Q_SIGNALS:
    void sessionStarted();
    void sessionStopped();
    void onlineChanged(bool online);
    void messageAdded(const cinder::client::Message& message);
    void messageUpdated(const cinder::client::Message& message);
    void messagesRemoved(const QStringList& messageIds);
    void conversationUpdated(const cinder::client::ConversationSummary& summary);
    void conversationRemoved(const QString& conversationId);
    void contactChanged(const QString& rootId);
    void transferProgress(qint64 attachmentId, quint64 done, quint64 total);

private:
    QThread m_thread;
    QObject* m_worker = nullptr;                           // lives on m_thread; owns the session
    std::unique_ptr<client::Session>* m_session = nullptr; // touched only on m_thread
    bool m_hasSession = false;
};

} // namespace cinder::app
