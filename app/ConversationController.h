// SPDX-License-Identifier: Apache-2.0
#pragma once

// Everything the chat view can do in one conversation: send text and files, reply, react,
// edit, delete, reveal a burn-on-read message, mark messages read, set the conversation's
// timers. Sending is refused (canSend false, with the reason) until the ephemerality policy is
// acknowledged and while the contact's identity change is not accepted.

#include "app/SessionHost.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QUrl>

namespace cinder::app {

class ConversationController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(QString conversationId READ conversationId WRITE setConversationId NOTIFY
                   conversationIdChanged)
    Q_PROPERTY(QString title READ title NOTIFY detailsChanged)
    Q_PROPERTY(bool isRoom READ isRoom NOTIFY detailsChanged)
    Q_PROPERTY(QString peerUsername READ peerUsername NOTIFY detailsChanged)
    Q_PROPERTY(bool identityChanged READ identityChanged NOTIFY detailsChanged)
    Q_PROPERTY(bool verified READ verified NOTIFY detailsChanged)
    Q_PROPERTY(bool policyAcknowledged READ policyAcknowledged NOTIFY detailsChanged)
    Q_PROPERTY(bool canSend READ canSend NOTIFY detailsChanged)
    Q_PROPERTY(QString blockedReason READ blockedReason NOTIFY detailsChanged)
    Q_PROPERTY(int ttlSeconds READ ttlSeconds NOTIFY detailsChanged)
    Q_PROPERTY(bool burnOnRead READ burnOnRead NOTIFY detailsChanged)
    Q_PROPERTY(int burnSeconds READ burnSeconds NOTIFY detailsChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(double uploadProgress READ uploadProgress NOTIFY uploadProgressChanged) // -1 idle

public:
    static constexpr int kDefaultBurnSeconds = 30; // burn-on-read switched on without a time

    explicit ConversationController(QObject* parent = nullptr);

    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] QString conversationId() const { return m_conversationId; }
    void setConversationId(const QString& id);
    [[nodiscard]] QString title() const { return m_title; }
    [[nodiscard]] bool isRoom() const { return m_isRoom; }
    [[nodiscard]] QString peerUsername() const { return m_peerUsername; }
    [[nodiscard]] bool identityChanged() const { return m_identityChanged; }
    [[nodiscard]] bool verified() const { return m_verified; }
    [[nodiscard]] bool policyAcknowledged() const { return m_policyAcknowledged; }
    [[nodiscard]] bool canSend() const;
    [[nodiscard]] QString blockedReason() const;
    [[nodiscard]] int ttlSeconds() const { return m_ttlSeconds; }
    [[nodiscard]] bool burnOnRead() const { return m_burnOnRead; }
    [[nodiscard]] int burnSeconds() const { return m_burnSeconds; }
    [[nodiscard]] QString lastError() const { return m_lastError; }
    [[nodiscard]] double uploadProgress() const { return m_uploadProgress; }

    // Trims; refuses empty text. Returns false when nothing was queued.
    Q_INVOKABLE bool send(const QString& text, const QString& replyToId = {});
    Q_INVOKABLE bool sendFiles(const QList<QUrl>& files);
    Q_INVOKABLE void react(const QString& messageId, const QString& emoji);
    Q_INVOKABLE void edit(const QString& messageId, const QString& text);
    Q_INVOKABLE void remove(const QString& messageId);
    // Shows a burn-on-read message: its burn timer starts now.
    Q_INVOKABLE void reveal(const QString& messageId);
    Q_INVOKABLE void markRead(const QStringList& messageIds);
    // burnSeconds <= 0 with burnOnRead: kDefaultBurnSeconds (never past the ttl).
    Q_INVOKABLE void setTimers(int ttlSeconds, bool burnOnRead, int burnSeconds);
    Q_INVOKABLE void acceptIdentityChange();
    Q_INVOKABLE void download(qint64 attachmentId);
    // Decrypts a downloaded file into the folder under a safe name; savedTo() tells where.
    Q_INVOKABLE void saveAttachment(qint64 attachmentId, const QUrl& folder);

    // The timer choices the composer offers: [{label, seconds}].
    Q_INVOKABLE static QVariantList timerChoices();

Q_SIGNALS:
    void hostChanged();
    void conversationIdChanged();
    void detailsChanged();
    void lastErrorChanged();
    void uploadProgressChanged();
    void savedTo(const QString& path);
    void sent();

private:
    void reloadDetails();
    // A 1:1 conversation's details come whole with its summary; a room's membership is asked.
    void onConversationUpdated(const client::ConversationSummary& summary);
    quint64 m_roomEpoch = 0; // of the last room summary that caused a reload
    void report(std::optional<client::SessionError> error);
    template <typename Job>
    void act(Job job);

    QPointer<SessionHost> m_host;
    QString m_conversationId;
    QString m_title;
    bool m_isRoom = false;
    QString m_peerUsername;
    bool m_identityChanged = false;
    bool m_verified = false;
    bool m_policyAcknowledged = false;
    bool m_isMember = true;
    int m_ttlSeconds = 0;
    bool m_burnOnRead = false;
    int m_burnSeconds = 0;
    QString m_lastError;
    double m_uploadProgress = -1;
    qint64 m_uploadingAttachment = 0;
};

} // namespace cinder::app
