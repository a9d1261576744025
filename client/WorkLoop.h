// SPDX-License-Identifier: Apache-2.0
#pragma once

// The session's background work (received deliveries, prekey refill, the outbox, prefetching)
// runs in rounds queued on the session's thread, between calls and never inside one: anything
// that adds work (a push, a message queued) asks for a round, and asking twice queues one.

#include <QObject>

#include <functional>

namespace cinder::client {

struct SessionContext;

class WorkLoop : public QObject {
    Q_OBJECT
public:
    // One round of work; true when work is left for another round.
    using Round = std::function<bool()>;

    explicit WorkLoop(const SessionContext& context, QObject* parent = nullptr);
    void setRound(Round round) { m_round = std::move(round); }

    void schedule();
    // No round queued or running.
    [[nodiscard]] bool idle() const { return !m_scheduled && !m_running; }

private:
    void run();

    const SessionContext& m_context;
    Round m_round;
    bool m_scheduled = false;
    bool m_running = false;
};

} // namespace cinder::client
