// SPDX-License-Identifier: Apache-2.0
#include "server/storage/SqliteCheckpointer.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>
#include <chrono>

Q_DECLARE_LOGGING_CATEGORY(lcDb)

namespace cinder::server {

namespace {

// A RESTART checkpoint, which holds the writer gate, waits this long for readers (a statement
// of the writer's connection outside a transaction), then gives up until the next round.
constexpr int kBusyTimeoutMs = 250;

QString nextCheckpointConnectionName() {
    static std::atomic<int> counter{0};
    return QStringLiteral("cinder-checkpoint-%1").arg(counter.fetch_add(1));
}

} // namespace

SqliteCheckpointer::SqliteCheckpointer(QString path) : m_path(std::move(path)) {}

SqliteCheckpointer::~SqliteCheckpointer() {
    stop();
}

bool SqliteCheckpointer::start() {
    if (m_thread)
        return true;
    auto opened = std::make_shared<std::promise<bool>>();
    std::future<bool> result = opened->get_future();
    m_stopping = false;
    m_thread.reset(QThread::create([this, opened] { runOnThread(opened); }));
    m_thread->setObjectName(QStringLiteral("cinder-checkpoint"));
    m_thread->start();
    if (!result.get()) {
        m_thread->wait();
        m_thread.reset();
        return false;
    }
    return true;
}

void SqliteCheckpointer::stop() {
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread->wait();
    m_thread.reset();
}

void SqliteCheckpointer::runOnThread(const std::shared_ptr<std::promise<bool>>& opened) {
    const QString name = nextCheckpointConnectionName();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
        bool ok = db.open();
        if (ok) {
            QSqlQuery q(db);
            ok = q.exec(QStringLiteral("PRAGMA synchronous=FULL")) &&
                 q.exec(QStringLiteral("PRAGMA wal_autocheckpoint=0"));
        }
        if (!ok)
            qCWarning(lcDb) << "checkpoint connection failed, code"
                            << db.lastError().nativeErrorCode();
        opened->set_value(ok);
        if (ok) {
            std::unique_lock lock(m_mutex);
            while (!m_wake.wait_for(lock, std::chrono::milliseconds(kIntervalMs),
                                    [this] { return m_stopping; })) {
                lock.unlock();
                int logFrames = 0;
                if (checkpoint(name, "PASSIVE", logFrames) && logFrames >= kRestartFrames) {
                    std::lock_guard writer(m_writerGate);
                    checkpoint(name, "RESTART", logFrames);
                }
                lock.lock();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

bool SqliteCheckpointer::checkpoint(const QString& connectionName, const char* mode,
                                    int& logFrames) {
    QSqlQuery q(QSqlDatabase::database(connectionName, false));
    if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(%1)").arg(QLatin1String(mode))) ||
        !q.next()) {
        qCWarning(lcDb) << "checkpoint failed, code" << q.lastError().nativeErrorCode();
        return false;
    }
    // One row: busy (1 when a lock was not had in time), log frames, frames checkpointed.
    logFrames = q.value(1).toInt();
    return true;
}

} // namespace cinder::server
