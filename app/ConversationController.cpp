// SPDX-License-Identifier: Apache-2.0
#include "app/ConversationController.h"

#include "app/AppController.h"

#include <QFileInfo>

namespace cinder::app {

namespace {

struct Details {
    QString title;
    bool room = false;
    QString peer;
    bool identityChanged = false;
    bool verified = false;
    bool policy = false;
    bool member = true;
    crypto::Ephemerality timers;
};

std::optional<client::SessionError> errorOf(const client::SessionResult<crypto::MessageId>& r) {
    return r ? std::nullopt : std::optional(r.error());
}
std::optional<client::SessionError> errorOf(const client::SessionResult<void>& r) {
    return r ? std::nullopt : std::optional(r.error());
}

} // namespace

ConversationController::ConversationController(QObject* parent) : QObject(parent) {}

void ConversationController::setHost(SessionHost* host) {
    if (m_host == host) {
        return;
    }
    if (m_host) {
        disconnect(m_host, nullptr, this, nullptr);
    }
    m_host = host;
    if (m_host) {
        connect(m_host, &SessionHost::conversationUpdated, this,
                &ConversationController::onConversationUpdated);
        connect(m_host, &SessionHost::contactChanged, this, &ConversationController::reloadDetails);
        connect(m_host, &SessionHost::sessionStarted, this, &ConversationController::reloadDetails);
        connect(m_host, &SessionHost::transferProgress, this,
                [this](qint64 attachmentId, quint64 done, quint64 total) {
                    if (attachmentId != m_uploadingAttachment) {
                        return;
                    }
                    m_uploadProgress = done >= total
                                           ? -1.0
                                           : static_cast<double>(done) /
                                                 static_cast<double>(std::max<quint64>(total, 1));
                    Q_EMIT uploadProgressChanged();
                });
    }
    Q_EMIT hostChanged();
    reloadDetails();
}

void ConversationController::setConversationId(const QString& id) {
    if (m_conversationId == id) {
        return;
    }
    m_conversationId = id;
    Q_EMIT conversationIdChanged();
    reloadDetails();
}

void ConversationController::reloadDetails() {
    const auto conversation = SessionHost::idFromHex<crypto::kConversationIdSize>(m_conversationId);
    if (!m_host || !conversation) {
        return;
    }
    m_host->run<std::optional<Details>>(
        [conversation](client::Session& session) -> std::optional<Details> {
            auto summary = session.conversation(*conversation);
            if (!summary || !*summary) {
                return std::nullopt;
            }
            Details details;
            details.title = QString::fromStdString((*summary)->title);
            details.room = (*summary)->kind == client::ConversationKind::Room;
            details.timers = (*summary)->timers;
            details.policy = session.ephemeralityPolicyAcknowledged();
            details.peer = QString::fromStdString((*summary)->peerUsername);
            details.identityChanged = (*summary)->identityChanged;
            details.verified = (*summary)->peerVerified;
            if (details.room) {
                auto room = session.room(*conversation);
                details.member = room && room->isMember(session.rootId());
            }
            return details;
        },
        this,
        [this](std::optional<Details> details) {
            if (!details) {
                return;
            }
            m_title = details->title;
            m_isRoom = details->room;
            m_peerUsername = details->peer;
            m_identityChanged = details->identityChanged;
            m_verified = details->verified;
            m_policyAcknowledged = details->policy;
            m_isMember = details->member;
            m_ttlSeconds = static_cast<int>(details->timers.ttlSeconds);
            m_burnOnRead = details->timers.burnOnRead;
            m_burnSeconds = static_cast<int>(details->timers.burnSeconds);
            Q_EMIT detailsChanged();
        });
}

void ConversationController::onConversationUpdated(const client::ConversationSummary& summary) {
    if (SessionHost::hex(summary.id) != m_conversationId) {
        return;
    }
    if (summary.kind == client::ConversationKind::Room) {
        // Membership changes with the epoch; a message to the room changes nothing shown here.
        if (summary.roomEpoch != m_roomEpoch || !m_isRoom ||
            QString::fromStdString(summary.title) != m_title ||
            static_cast<int>(summary.timers.ttlSeconds) != m_ttlSeconds ||
            summary.timers.burnOnRead != m_burnOnRead ||
            static_cast<int>(summary.timers.burnSeconds) != m_burnSeconds) {
            m_roomEpoch = summary.roomEpoch;
            reloadDetails();
        }
        return;
    }
    const QString title = QString::fromStdString(summary.title);
    const QString peer = QString::fromStdString(summary.peerUsername);
    const auto ttl = static_cast<int>(summary.timers.ttlSeconds);
    const auto burn = static_cast<int>(summary.timers.burnSeconds);
    if (title == m_title && !m_isRoom && peer == m_peerUsername &&
        summary.identityChanged == m_identityChanged && summary.peerVerified == m_verified &&
        ttl == m_ttlSeconds && summary.timers.burnOnRead == m_burnOnRead && burn == m_burnSeconds) {
        return; // a new message or a read: nothing shown here changed
    }
    m_title = title;
    m_isRoom = false;
    m_peerUsername = peer;
    m_identityChanged = summary.identityChanged;
    m_verified = summary.peerVerified;
    m_isMember = true;
    m_ttlSeconds = ttl;
    m_burnOnRead = summary.timers.burnOnRead;
    m_burnSeconds = burn;
    Q_EMIT detailsChanged();
}

bool ConversationController::canSend() const {
    return blockedReason().isEmpty();
}

QString ConversationController::blockedReason() const {
    if (!m_host || m_conversationId.isEmpty()) {
        return tr("No conversation selected.");
    }
    if (!m_policyAcknowledged) {
        return tr("Acknowledge the ephemerality policy before sending.");
    }
    if (m_identityChanged) {
        return tr("%1's identity key changed. Accept the new key to send again.")
            .arg(m_peerUsername);
    }
    if (!m_isMember) {
        return tr("You are no longer a member of this room.");
    }
    return {};
}

void ConversationController::report(std::optional<client::SessionError> error) {
    const QString text = error ? errorMessage(*error) : QString();
    if (text != m_lastError) {
        m_lastError = text;
        Q_EMIT lastErrorChanged();
    }
}

template <typename Job>
void ConversationController::act(Job job) {
    const auto conversation = SessionHost::idFromHex<crypto::kConversationIdSize>(m_conversationId);
    if (!m_host || !conversation) {
        return;
    }
    m_host->run<std::optional<client::SessionError>>(
        [conversation, job](client::Session& session) { return job(session, *conversation); }, this,
        [this](std::optional<client::SessionError> error) { report(error); });
}

bool ConversationController::send(const QString& text, const QString& replyToId) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || !canSend()) {
        return false;
    }
    const std::string body = trimmed.toStdString();
    const auto replyTo = SessionHost::idFromHex<crypto::kMessageIdSize>(replyToId);
    act([body, replyTo](client::Session& session, const crypto::ConversationId& conversation) {
        return errorOf(session.sendText(conversation, body, replyTo));
    });
    Q_EMIT sent();
    return true;
}

bool ConversationController::sendFiles(const QList<QUrl>& files) {
    if (!canSend() || files.isEmpty()) {
        return false;
    }
    QStringList paths;
    for (const QUrl& url : files) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile()) {
            paths.append(url.toLocalFile());
        }
    }
    if (paths.isEmpty()) {
        return false;
    }
    const auto conversation = SessionHost::idFromHex<crypto::kConversationIdSize>(m_conversationId);
    m_host->run<std::pair<std::optional<client::SessionError>, qint64>>(
        [conversation, paths](client::Session& session) {
            std::pair<std::optional<client::SessionError>, qint64> outcome{std::nullopt, 0};
            for (const QString& path : paths) {
                auto sent = session.sendFile(*conversation, path);
                if (!sent) {
                    outcome.first = sent.error();
                    break;
                }
                if (auto message = session.message(*sent);
                    message && *message && !(*message)->attachments.empty()) {
                    outcome.second = (*message)->attachments.front().id;
                }
            }
            return outcome;
        },
        this,
        [this](std::pair<std::optional<client::SessionError>, qint64> outcome) {
            report(outcome.first);
            if (outcome.second != 0) {
                m_uploadingAttachment = outcome.second;
                m_uploadProgress = 0;
                Q_EMIT uploadProgressChanged();
            }
        });
    Q_EMIT sent();
    return true;
}

void ConversationController::react(const QString& messageId, const QString& emoji) {
    const auto target = SessionHost::idFromHex<crypto::kMessageIdSize>(messageId);
    if (!target || emoji.isEmpty() || !canSend()) {
        return;
    }
    const std::string text = emoji.toStdString();
    act([target, text](client::Session& session, const crypto::ConversationId& conversation) {
        return errorOf(session.react(conversation, *target, text));
    });
}

void ConversationController::edit(const QString& messageId, const QString& text) {
    const auto target = SessionHost::idFromHex<crypto::kMessageIdSize>(messageId);
    const QString trimmed = text.trimmed();
    if (!target || trimmed.isEmpty() || !canSend()) {
        return;
    }
    const std::string body = trimmed.toStdString();
    act([target, body](client::Session& session, const crypto::ConversationId& conversation) {
        return errorOf(session.edit(conversation, *target, body));
    });
}

void ConversationController::remove(const QString& messageId) {
    const auto target = SessionHost::idFromHex<crypto::kMessageIdSize>(messageId);
    if (!target) {
        return;
    }
    act([target](client::Session& session, const crypto::ConversationId& conversation) {
        return errorOf(session.deleteForEveryone(conversation, *target));
    });
}

void ConversationController::reveal(const QString& messageId) {
    markRead({messageId});
}

void ConversationController::markRead(const QStringList& messageIds) {
    std::vector<crypto::MessageId> ids;
    for (const QString& id : messageIds) {
        if (const auto parsed = SessionHost::idFromHex<crypto::kMessageIdSize>(id)) {
            ids.push_back(*parsed);
        }
    }
    if (ids.empty()) {
        return;
    }
    act([ids](client::Session& session, const crypto::ConversationId& conversation) {
        return errorOf(session.markRead(conversation, ids));
    });
}

void ConversationController::setTimers(int ttlSeconds, bool burnOnRead, int burnSeconds) {
    if (burnOnRead && burnSeconds <= 0) {
        burnSeconds = std::min(ttlSeconds, kDefaultBurnSeconds); // switched on without a time
    }
    if (ttlSeconds <= 0 || (burnOnRead && burnSeconds > ttlSeconds)) {
        report(client::SessionError::InvalidArgument);
        return;
    }
    const crypto::Ephemerality timers{static_cast<std::uint32_t>(ttlSeconds), burnOnRead,
                                      burnOnRead ? static_cast<std::uint32_t>(burnSeconds) : 0U};
    act([timers](client::Session& session, const crypto::ConversationId& conversation) {
        return errorOf(session.setConversationTimers(conversation, timers));
    });
}

void ConversationController::acceptIdentityChange() {
    if (m_peerUsername.isEmpty()) {
        return;
    }
    const std::string peer = m_peerUsername.toStdString();
    act([peer](client::Session& session, const crypto::ConversationId&) {
        return errorOf(session.acceptIdentityChange(peer));
    });
}

void ConversationController::download(qint64 attachmentId) {
    if (!m_host) {
        return;
    }
    m_host->run<std::optional<client::SessionError>>(
        [attachmentId](client::Session& session) {
            return errorOf(session.downloadAttachment(attachmentId));
        },
        this, [this](std::optional<client::SessionError> error) { report(error); });
}

void ConversationController::saveAttachment(qint64 attachmentId, const QUrl& folder) {
    if (!m_host || !folder.isLocalFile()) {
        return;
    }
    const QString directory = folder.toLocalFile();
    m_host->run<client::SessionResult<QString>>(
        [attachmentId, directory](client::Session& session) {
            return session.saveAttachment(attachmentId, directory);
        },
        this,
        [this](client::SessionResult<QString> saved) {
            if (!saved) {
                report(saved.error());
                return;
            }
            report(std::nullopt);
            Q_EMIT savedTo(*saved);
        });
}

QVariantList ConversationController::timerChoices() {
    const auto choice = [](const QString& label, int seconds) {
        return QVariantMap{{QStringLiteral("label"), label}, {QStringLiteral("seconds"), seconds}};
    };
    return {choice(tr("5 minutes"), 300),      choice(tr("1 hour"), 3600),
            choice(tr("1 day"), 86400),        choice(tr("1 week"), 7 * 86400),
            choice(tr("30 days"), 30 * 86400), choice(tr("1 year"), 365 * 86400)};
}

} // namespace cinder::app
