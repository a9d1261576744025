// SPDX-License-Identifier: Apache-2.0
#include "server/storage/StorageWorker.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QTimer>

#include <algorithm>

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

detail::StorageCompletion* StorageWorker::completionFor(QObject* context,
                                                        std::function<void()> deliver) {
    auto* completion = new detail::StorageCompletion;
    if (context) {
        QObject::connect(completion, &detail::StorageCompletion::ready, context, std::move(deliver),
                         Qt::QueuedConnection);
    }
    completion->moveToThread(m_thread.get());
    return completion;
}

void StorageWorker::complete(detail::StorageCompletion* completion) {
    emit completion->ready();
    delete completion;
}

void StorageWorker::post(QObject* context, std::function<void(Repository&)> task,
                         std::function<void()> deliver) {
    QMutexLocker lock(&m_mutex);
    if (!m_running) {
        qCWarning(lcDb) << "storage: job dropped, the storage thread is not running";
        return;
    }
    detail::StorageCompletion* completion = completionFor(context, std::move(deliver));
    QMetaObject::invokeMethod(
        m_executor,
        [this, task = std::move(task), completion] {
            task(*m_repository);
            complete(completion);
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
    detail::StorageCompletion* completion =
        completionFor(context, [slot, done]() { done(std::move(**slot)); });
    m_sends.push_back(PendingSend{std::move(message), completion, std::move(slot)});
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
    detail::StorageCompletion* completion =
        completionFor(context, [slot, done]() { done(std::move(**slot)); });
    m_acks.push_back(PendingAck{Acknowledgement{std::move(nodeId), std::move(deliveryIds)},
                                completion, std::move(slot)});
    requestFlush();
}

void StorageWorker::requestFlush() {
    if (!m_flushPosted) {
        m_flushPosted = true;
        QMetaObject::invokeMethod(
            m_executor, [this] { flushQueued(); }, Qt::QueuedConnection);
    }
}

void StorageWorker::writeAcknowledgements() {
    std::vector<PendingAck> batch;
    {
        QMutexLocker lock(&m_mutex);
        while (!m_acks.empty() && batch.size() < kMaxBatchMessages) {
            batch.push_back(std::move(m_acks.front()));
            m_acks.pop_front();
        }
    }
    if (batch.empty())
        return;
    std::vector<Acknowledgement> acks;
    acks.reserve(batch.size());
    for (const PendingAck& pending : batch)
        acks.push_back(pending.ack);
    auto deleted = m_repository->acknowledgeMany(acks);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (deleted)
            batch[i].slot->emplace((*deleted)[i]);
        else
            batch[i].slot->emplace(fail(deleted.error()));
        complete(batch[i].completion);
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
    writeAcknowledgements();
    std::vector<PendingSend> batch;
    {
        QMutexLocker lock(&m_mutex);
        qsizetype bytes = 0;
        while (!m_sends.empty() && batch.size() < kMaxBatchMessages) {
            const NewMessage& next = m_sends.front().message;
            const qsizetype cost =
                next.packet.size() *
                std::max<qsizetype>(1, static_cast<qsizetype>(next.recipientNodeIds.size()));
            if (!batch.empty() && bytes + cost > kMaxBatchBytes)
                break;
            bytes += cost;
            batch.push_back(std::move(m_sends.front()));
            m_sends.pop_front();
        }
        if (m_sends.empty() && m_acks.empty())
            m_flushPosted = false;
    }
    if (batch.empty()) {
        QMutexLocker lock(&m_mutex);
        return !m_acks.empty();
    }

    std::vector<NewMessage> messages;
    messages.reserve(batch.size());
    for (PendingSend& send : batch)
        messages.push_back(std::move(send.message));
    EnqueueResult written = m_repository->enqueue(messages);
    m_batches.fetch_add(1);

    std::size_t cursor = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (written) {
            const std::size_t count = messages[i].recipientNodeIds.size();
            auto first = written->begin() + static_cast<std::ptrdiff_t>(cursor);
            batch[i].slot->emplace(
                std::vector<PendingDelivery>(first, first + static_cast<std::ptrdiff_t>(count)));
            cursor += count;
        } else {
            batch[i].slot->emplace(fail(written.error()));
        }
        complete(batch[i].completion);
    }

    QMutexLocker lock(&m_mutex);
    return !m_sends.empty() || !m_acks.empty();
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
