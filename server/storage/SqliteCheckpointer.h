// SPDX-License-Identifier: Apache-2.0
#pragma once

// Checkpoints a SQLite database in WAL mode on a thread and connection of its own, so the
// storage thread's commits do not stop to copy the write-ahead log into the database file.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses wal_autocheckpoint pages:
// that commit (and every send waiting for the next group commit) waits while the log is copied
// and the database file is synced. Here a PASSIVE checkpoint runs every kIntervalMs instead,
// beside the writer; it never blocks it. A writer that never pauses keeps SQLite from starting
// the log over, so when the log is still longer than kRestartFrames after a passive pass, a
// RESTART checkpoint copies the few frames that pass left and makes the next commit start the
// log from its beginning.
//
// A RESTART needs the write lock. Asking SQLite for it would poll with growing sleeps (up to
// 100 ms) while the writer commits back to back: the log kept growing during the wait, and the
// RESTART then held the writer for hundreds of milliseconds while it copied and synced it all.
// Instead the writer takes writerGate() around each write transaction and the RESTART takes it
// too, so it starts at the next gap between two commits and holds the writer back only for the
// frames written since the passive pass, a few milliseconds.
//
// Durability is unchanged: commits are synced to the log (synchronous=FULL); a checkpoint only
// moves committed pages and syncs the database file before the log may be reused.

#include <QString>
#include <QThread>

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>

namespace cinder::server {

class SqliteCheckpointer {
public:
    static constexpr int kIntervalMs = 100;
    // Log length (4 KiB pages) from which a RESTART checkpoint starts the log over.
    static constexpr int kRestartFrames = 4096;
    // The writer's own wal_autocheckpoint while this runs: a backstop, should this fall behind.
    static constexpr int kWriterBackstopFrames = 16384;

    explicit SqliteCheckpointer(QString path);
    ~SqliteCheckpointer(); // stop()
    SqliteCheckpointer(const SqliteCheckpointer&) = delete;
    SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

    // Opens the second connection on the checkpoint thread. False (logged) when it cannot; the
    // writer then keeps SQLite's automatic checkpoints.
    bool start();
    void stop();

    // Held by the writer for each write transaction, and by a RESTART checkpoint.
    std::mutex& writerGate() { return m_writerGate; }

private:
    void runOnThread(const std::shared_ptr<std::promise<bool>>& opened);
    bool checkpoint(const QString& connectionName, const char* mode, int& logFrames);

    QString m_path;
    std::unique_ptr<QThread> m_thread;
    std::mutex m_writerGate;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

} // namespace cinder::server
