// SPDX-License-Identifier: Apache-2.0
#pragma once

// The storage thread of cinder-server. It owns the Repository (created on that thread, since a
// Qt SQL connection belongs to the thread that opened it), runs jobs there one at a time in the
// order they were posted, and hands each result back on the caller's thread. Sends are
// group-committed: every enqueue() that arrives while a batch is being written goes into the
// next batch, one transaction (and, with SQLite, one fsync) for all of them. Acknowledgements
// waiting meanwhile share that transaction, up to kMaxBatchAckIds delivery ids: a burst of
// ACKs never holds the next senders' commit back for long.
//
// Thread model: construct, start(), stop() and destroy on one thread (the owner); run() and
// enqueue() may be called from any thread whose context object has an event loop. Results are
// delivered with Qt::QueuedConnection to context's thread, and dropped if context is destroyed
// before they arrive. The results of one batch for contexts on the owner's thread (the server's
// case) travel together, as one queued call.

#include "server/storage/Repository.h"

#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <type_traits>

class QTimer;

namespace cinder::server {

namespace detail {

// Carries one result from the storage thread to the caller. Connected to the caller's context
// on the caller's thread, so Qt cuts the connection (and drops a queued call) when the context
// is destroyed; no pointer to the context is ever used on the storage thread.
class StorageCompletion : public QObject {
    Q_OBJECT
signals:
    void ready();
};

} // namespace detail

class StorageWorker : public QObject {
    Q_OBJECT
public:
    using Factory = std::function<std::unique_ptr<Repository>()>;
    using EnqueueResult = Result<std::vector<PendingDelivery>, StoreError>;
    using EnqueueDone = std::function<void(EnqueueResult)>;

    // Bounds of one group commit.
    static constexpr std::size_t kMaxBatchMessages = 512;
    static constexpr qsizetype kMaxBatchBytes = 4 * 1024 * 1024;
    // Acknowledged delivery ids deleted in one group commit (an ACK request is never split).
    // Deletes are the slow part of a commit (each touches scattered pages), and every send
    // queued meanwhile waits for it: at 10k msg/s over 1,000 connections, send-to-push p99 was
    // 55-60 ms with 256 ids per commit, 40 ms with 128 and 31 ms with 64, at the same maximum
    // rate (acknowledgements simply take more, smaller commits).
    static constexpr std::size_t kMaxBatchAckIds = 64;

    explicit StorageWorker(Factory factory, QObject* parent = nullptr);
    ~StorageWorker() override; // stop()
    StorageWorker(const StorageWorker&) = delete;
    StorageWorker& operator=(const StorageWorker&) = delete;

    // Settings, read by start().
    void setPurgeInterval(std::chrono::milliseconds interval) { m_purgeInterval = interval; }
    void setEventRetention(std::chrono::milliseconds retention) { m_eventRetention = retention; }

    // Starts the thread, creates the repository there and migrates its schema. False (with
    // the reason logged) when the database cannot be opened or migrated.
    bool start();
    // Runs every job and send queued so far, then destroys the repository and ends the
    // thread. Safe to call twice. Jobs posted afterwards are dropped (logged).
    void stop();
    [[nodiscard]] bool isRunning() const;

    // Runs job(Repository&) on the storage thread, then done(result) on context's thread.
    // job must return a value; Job and Done must be copyable.
    template <typename Job, typename Done>
    void run(QObject* context, Job job, Done done) {
        using Value = std::invoke_result_t<Job&, Repository&>;
        auto slot = std::make_shared<std::optional<Value>>();
        post(
            context,
            [slot, job](Repository& repository) mutable { slot->emplace(job(repository)); },
            [slot, done]() mutable { done(std::move(**slot)); });
    }

    // Stores one message (one row per recipient) in the next group commit; done gets this
    // message's rows, in recipient order, once they are committed.
    void enqueue(NewMessage message, QObject* context, EnqueueDone done);

    // Group commit for acknowledgements: every ACK queued while a batch is written goes into
    // the next transaction, together with the next sends (Repository::commitRelay: one disk
    // sync for all).
    using AcknowledgeDone = std::function<void(Result<int, StoreError>)>;
    void acknowledge(QByteArray nodeId, std::vector<std::uint64_t> deliveryIds, QObject* context,
                     AcknowledgeDone done);

    // Group commits with sends written so far (one Repository::commitRelay transaction each).
    [[nodiscard]] std::uint64_t enqueueBatches() const { return m_batches.load(); }

signals:
    // Another server process sharing the database queued deliveries for nodeId (PostgreSQL
    // NOTIFY). Emitted from the storage thread; connect with the default (queued) connection.
    void deliveriesAvailable(QByteArray nodeId);

private:
    // Where one result goes: a context on the owner's thread is reached through this worker
    // (which outlives it) and checked when the result arrives; any other context through a
    // StorageCompletion connected to it on its own thread.
    struct Completion {
        QPointer<QObject> context;
        std::function<void()> deliver;
        detail::StorageCompletion* relay = nullptr;
    };
    // Results ready on the storage thread, handed over together by complete().
    using Completions = std::vector<Completion>;
    struct PendingAck {
        Acknowledgement ack;
        Completion completion;
        std::shared_ptr<std::optional<Result<int, StoreError>>> slot;
    };
    struct PendingSend {
        NewMessage message;
        Completion completion;
        std::shared_ptr<std::optional<EnqueueResult>> slot;
    };

    void post(QObject* context, std::function<void(Repository&)> task,
              std::function<void()> deliver);
    Completion completionFor(QObject* context, std::function<void()> deliver);
    void complete(Completions completions);

    // Storage thread only.
    bool openOnThread();
    void closeOnThread();
    void flushQueued();
    // One group commit: up to a batch of sends and of acknowledgements, one transaction.
    // True when more are waiting.
    bool writeBatch();
    void requestFlush(); // with m_mutex held
    void purge();

    Factory m_factory;
    std::chrono::milliseconds m_purgeInterval{std::chrono::minutes(1)};
    std::chrono::milliseconds m_eventRetention{std::chrono::hours(24 * 7)};

    std::unique_ptr<QThread> m_thread;
    QObject* m_executor = nullptr; // lives on m_thread; tasks are queued calls on it

    mutable QMutex m_mutex; // guards m_running, m_sends, m_acks, m_flushPosted
    bool m_running = false;
    std::deque<PendingSend> m_sends;
    std::deque<PendingAck> m_acks;
    bool m_flushPosted = false;
    std::atomic<std::uint64_t> m_batches{0};

    // Storage thread only.
    std::unique_ptr<Repository> m_repository;
    QTimer* m_purgeTimer = nullptr;
};

} // namespace cinder::server
