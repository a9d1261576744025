// SPDX-License-Identifier: Apache-2.0
#include "server/storage/StorageWorker.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QTimer>

#include <algorithm>
#include <iterator>

Q_DECLARE_LOGGING_CATEGORY(lcDb)

namespace cinder::server {

StorageWorker::StorageWorker(Factory factory, QObject* parent)
    : QObject(parent), m_factory(std::move(factory)) {}

StorageWorker::~StorageWorker() {
    stop();
}

bool StorageWorker::isRunning() const {
    QMutexLocker lock(&m_mutex);
    return m_running;
}

bool StorageWorker::start() {
    if (isRunning())
        return true;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("cinder-storage"));
    m_executor = new QObject;
    m_executor->moveToThread(m_thread.get());
    m_thread->start();
    bool opened = false;
    QMetaObject::invokeMethod(
        m_executor, [this, &opened] { opened = openOnThread(); }, Qt::BlockingQueuedConnection);
    if (!opened) {
        m_thread->quit();
        m_thread->wait();
        delete m_executor;
        m_executor = nullptr;
        m_thread.reset();
        return false;
    }
    QMutexLocker lock(&m_mutex);
    m_running = true;
    return true;
}

void StorageWorker::stop() {
    {
        QMutexLocker lock(&m_mutex);
        if (!m_thread)
            return;
        m_running = false; // nothing new is queued from here on
    }
    // The executor's queue is FIFO: every job posted before this one runs first.
    QMetaObject::invokeMethod(
        m_executor, [this] { closeOnThread(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_executor;
    m_executor = nullptr;
    m_thread.reset();
}

bool StorageWorker::openOnThread() {
    m_repository = m_factory ? m_factory() : nullptr;
    if (!m_repository) {
        qCWarning(lcDb) << "storage: the database could not be opened";
        return false;
    }
    auto migrated = m_repository->migrate();
    if (!migrated) {
        qCWarning(lcDb) << "storage: schema migration failed:"
                        << QString::fromLatin1(describe(migrated.error()));
        m_repository.reset();
        return false;
    }
    m_repository->setRemoteDeliveryListener(
        [this](const QByteArray& nodeId) { emit deliveriesAvailable(nodeId); });
    m_purgeTimer = new QTimer(m_executor);
    m_purgeTimer->setInterval(m_purgeInterval);
    QObject::connect(m_purgeTimer, &QTimer::timeout, m_executor, [this] { purge(); });
    m_purgeTimer->start();
    return true;
}

void StorageWorker::closeOnThread() {
    while (writeBatch()) {
    }
    delete m_purgeTimer;
    m_purgeTimer = nullptr;
    m_repository.reset();
}

StorageWorker::Completion StorageWorker::completionFor(QObject* context,
                                                       std::function<void()> deliver) {
    Completion completion;
    if (context == nullptr)
        return completion; // nobody to tell
    if (context->thread() == thread()) {
        // Called on the context's thread (the contract), so the QPointer is taken safely; it is
        // read only back on this thread.
        completion.context = context;
        completion.deliver = std::move(deliver);
        return completion;
    }
    completion.relay = new detail::StorageCompletion;
    QObject::connect(completion.relay, &detail::StorageCompletion::ready, context,
                     std::move(deliver), Qt::QueuedConnection);
    completion.relay->moveToThread(m_thread.get());
    return completion;
}

// Storage thread. One queued call to the owner's thread carries every result for it; each
// relayed result is one queued signal to its context's thread.
void StorageWorker::complete(Completions completions) {
    auto local = std::make_shared<Completions>();
    local->reserve(completions.size());
    for (Completion& completion : completions) {
        if (completion.relay != nullptr) {
            emit completion.relay->ready();
            delete completion.relay;
        } else if (completion.deliver) {
            local->push_back(std::move(completion));
        }
    }
    if (local->empty())
        return;
    QMetaObject::invokeMethod(
        this,
        [local] {
            for (Completion& completion : *local) {
                if (completion.context)
                    completion.deliver();
            }
        },
        Qt::QueuedConnection);
}

void StorageWorker::post(QObject* context, std::function<void(Repository&)> task,
                         std::function<void()> deliver) {
    QMutexLocker lock(&m_mutex);
    if (!m_running) {
        qCWarning(lcDb) << "storage: job dropped, the storage thread is not running";
        return;
    }
    QMetaObject::invokeMethod(
        m_executor,
        [this, task = std::move(task), completion = completionFor(context, std::move(deliver))] {
            task(*m_repository);
            complete(Completions{completion});
        },
        Qt::QueuedConnection);
}

void StorageWorker::enqueue(NewMessage message, QObject* context, EnqueueDone done) {
    QMutexLocker lock(&m_mutex);
    if (!m_running) {
        qCWarning(lcDb) << "storage: send refused, the storage thread is not running";
        if (context) {
            QMetaObject::invokeMethod(
                context, [done] { done(fail(StoreError::Unavailable)); }, Qt::QueuedConnection);
        }
        return;
    }
    auto slot = std::make_shared<std::optional<EnqueueResult>>();
    Completion completion =
        completionFor(context, [slot, done = std::move(done)]() { done(std::move(**slot)); });
    m_sends.push_back(PendingSend{std::move(message), std::move(completion), std::move(slot)});
    requestFlush();
}

void StorageWorker::acknowledge(QByteArray nodeId, std::vector<std::uint64_t> deliveryIds,
                                QObject* context, AcknowledgeDone done) {
    QMutexLocker lock(&m_mutex);
    if (!m_running) {
        if (context) {
            QMetaObject::invokeMethod(
                context, [done] { done(fail(StoreError::Unavailable)); }, Qt::QueuedConnection);
        }
        return;
    }
    auto slot = std::make_shared<std::optional<Result<int, StoreError>>>();
    Completion completion =
        completionFor(context, [slot, done = std::move(done)]() { done(std::move(**slot)); });
    m_acks.push_back(PendingAck{Acknowledgement{std::move(nodeId), std::move(deliveryIds)},
                                std::move(completion), std::move(slot)});
    requestFlush();
}

void StorageWorker::requestFlush() {
    if (!m_flushPosted) {
        m_flushPosted = true;
        QMetaObject::invokeMethod(
            m_executor, [this] { flushQueued(); }, Qt::QueuedConnection);
    }
}

void StorageWorker::flushQueued() {
    if (writeBatch()) {
        // More arrived than one batch holds: continue after whatever else is queued.
        QMetaObject::invokeMethod(
            m_executor, [this] { flushQueued(); }, Qt::QueuedConnection);
    }
}

bool StorageWorker::writeBatch() {
    std::vector<PendingSend> sends;
    std::vector<PendingAck> acks;
    {
        QMutexLocker lock(&m_mutex);
        qsizetype bytes = 0;
        while (!m_sends.empty() && sends.size() < kMaxBatchMessages) {
            const NewMessage& next = m_sends.front().message;
            const qsizetype cost =
                next.packet.size() *
                std::max<qsizetype>(1, static_cast<qsizetype>(next.recipientNodeIds.size()));
            if (!sends.empty() && bytes + cost > kMaxBatchBytes)
                break;
            bytes += cost;
            sends.push_back(std::move(m_sends.front()));
            m_sends.pop_front();
        }
        std::size_t ids = 0;
        while (!m_acks.empty() && acks.size() < kMaxBatchMessages) {
            const std::size_t cost =
                std::max<std::size_t>(1, m_acks.front().ack.deliveryIds.size());
            if (!acks.empty() && ids + cost > kMaxBatchAckIds)
                break;
            ids += cost;
            acks.push_back(std::move(m_acks.front()));
            m_acks.pop_front();
        }
        if (sends.empty() && acks.empty()) {
            m_flushPosted = false;
            return false;
        }
    }

    std::vector<NewMessage> messages;
    messages.reserve(sends.size());
    for (PendingSend& send : sends)
        messages.push_back(std::move(send.message));
    std::vector<Acknowledgement> acknowledgements;
    acknowledgements.reserve(acks.size());
    for (PendingAck& pending : acks)
        acknowledgements.push_back(std::move(pending.ack));
    auto written = m_repository->commitRelay(messages, acknowledgements);
    if (!sends.empty())
        m_batches.fetch_add(1);

    Completions done;
    done.reserve(sends.size() + acks.size());
    std::size_t cursor = 0;
    for (std::size_t i = 0; i < sends.size(); ++i) {
        if (written) {
            const std::size_t count = messages[i].recipientNodeIds.size();
            auto first = written->rows.begin() + static_cast<std::ptrdiff_t>(cursor);
            sends[i].slot->emplace(std::vector<PendingDelivery>(
                std::make_move_iterator(first),
                std::make_move_iterator(first + static_cast<std::ptrdiff_t>(count))));
            cursor += count;
        } else {
            sends[i].slot->emplace(fail(written.error()));
        }
        done.push_back(std::move(sends[i].completion));
    }
    for (std::size_t i = 0; i < acks.size(); ++i) {
        if (written)
            acks[i].slot->emplace(written->deleted[i]);
        else
            acks[i].slot->emplace(fail(written.error()));
        done.push_back(std::move(acks[i].completion));
    }
    complete(std::move(done));

    QMutexLocker lock(&m_mutex);
    if (m_sends.empty() && m_acks.empty()) {
        m_flushPosted = false;
        return false;
    }
    return true;
}

void StorageWorker::purge() {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto purged = m_repository->purgeExpired(now, now - m_eventRetention.count());
    if (!purged) {
        qCWarning(lcDb) << "storage: purge failed:"
                        << QString::fromLatin1(describe(purged.error()));
        return;
    }
    if (purged->deliveries || purged->blobs || purged->events) {
        qCInfo(lcDb) << "storage: purged" << purged->deliveries << "expired deliveries,"
                     << purged->blobs << "blobs," << purged->events << "events";
    }
}

} // namespace cinder::server
