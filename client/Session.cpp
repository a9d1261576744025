// SPDX-License-Identifier: Apache-2.0
// The facade: builds the roles, wires their signals to the session's, forwards each call to
// the role that owns it (docs/ARCHITECTURE.md, owners table), and runs the background work.
#include "client/Session.h"

#include "client/Connection.h"
#include "client/Conversations.h"
#include "client/DeviceDirectory.h"
#include "client/Enrollment.h"
#include "client/Expiry.h"
#include "client/FileTransfer.h"
#include "client/MessageViews.h"
#include "client/Outbox.h"
#include "client/PrekeyCache.h"
#include "client/ReceivePipeline.h"
#include "client/RoomService.h"
#include "client/ServerPin.h"
#include "client/SessionContext.h"
#include "client/SessionInternal.h"
#include "client/WorkLoop.h"

#include "storage/Store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QThread>

namespace cinder::client {

using crypto::fail;

std::int64_t SessionContext::now() const {
    return options.clock ? options.clock() : QDateTime::currentMSecsSinceEpoch();
}

SessionResult<std::unique_ptr<Session>> Session::createAccount(const QString& accountDirectory,
                                                               const NewAccount& account,
                                                               SessionOptions options) {
    ApiChannel channel;
    CINDER_TRY_ASSIGN(auto opened,
                      Enrollment::createAccount(channel, accountDirectory, account, options));
    return std::unique_ptr<Session>(new Session(std::move(opened), options));
}

SessionResult<std::unique_ptr<Session>> Session::signIn(const QString& accountDirectory,
                                                        const NewAccount& account,
                                                        SessionOptions options) {
    ApiChannel channel;
    CINDER_TRY_ASSIGN(auto opened, Enrollment::signIn(channel, accountDirectory, account, options));
    return std::unique_ptr<Session>(new Session(std::move(opened), options));
}

SessionResult<std::unique_ptr<Session>> Session::unlock(const QString& accountDirectory,
                                                        const crypto::SecureBuffer& passphrase,
                                                        SessionOptions options) {
    CINDER_TRY_ASSIGN(auto opened, Enrollment::unlock(accountDirectory, passphrase, options));
    return std::unique_ptr<Session>(new Session(std::move(opened), options));
}

Session::Session(OpenedAccount account, const SessionOptions& options)
    : m_context(std::make_unique<SessionContext>()), m_directory(std::move(account.directory)),
      m_store(std::move(account.store)) {
    SessionContext& context = *m_context;
    context.options = options;
    context.username = account.username;
    context.root = std::make_unique<crypto::RootIdentity>(std::move(account.root));
    context.node = std::make_unique<crypto::NodeIdentity>(std::move(account.node));
    context.rootId = context.node->rootId();
    context.nodeId = context.node->id();

    storage::Store& store = *m_store;
    m_connection = std::make_unique<Connection>(m_channel, context, account.server);
    m_connection->setRequestTimeout(options.requestTimeoutMs);
    ServerChannel& channel = *m_connection;
    m_work = std::make_unique<WorkLoop>(context);
    m_expiry =
        std::make_unique<Expiry>(store.expiry(), store.settings(), store.conversations(), context);
    m_devices =
        std::make_unique<DeviceDirectory>(channel, store.contacts(), store.settings(), context);
    m_prekeys = std::make_unique<PrekeyCache>(channel, store.keys(), store.usedPrekeys(), context,
                                              *m_devices, std::move(account.pool));
    m_files = std::make_unique<FileTransfer>(channel, store.attachments(), context,
                                             m_directory.downloadsPath());
    m_outbox = std::make_unique<Outbox>(
        channel,
        OutboxTables{store.messages(), store.outbox(), store.conversations(), store.contacts(),
                     store.rooms(), store.attachments(), store.settings()},
        context, *m_devices, *m_prekeys, *m_files, *m_expiry, *m_work);
    m_rooms = std::make_unique<RoomService>(store.rooms(), store.conversations(), context,
                                            *m_devices, *m_outbox, *m_expiry);
    m_conversations =
        std::make_unique<Conversations>(store.messages(), store.conversations(), context,
                                        *m_devices, *m_outbox, *m_files, *m_expiry);
    m_receive = std::make_unique<ReceivePipeline>(
        channel,
        ReceiveTables{store.messages(), store.conversations(), store.contacts(),
                      store.attachments(), store.rooms(), store.replay(), store.deliveryCommit()},
        context, *m_devices, *m_prekeys, *m_rooms, *m_expiry, std::move(account.replayGuard));
    m_connection->setAfterLogin([this](const api::AuthResult& login) -> SessionResult<void> {
        m_receive->expectDeliveries(login.pending_deliveries());
        return m_prekeys->refillAtLogin(login);
    });
    m_work->setRound([this] { return doWork(); });
    wireSignals();
    m_expiry->start();
}

void Session::wireSignals() {
    connect(m_connection.get(), &Connection::onlineChanged, this, &Session::onlineChanged);
    connect(m_connection.get(), &Connection::refused, this, &Session::serverRefused);
    connect(m_connection.get(), &Connection::serverPinned, this,
            [this](const net::ServerEndpoint& server) {
                if (auto saved = saveServerPin(m_store->settings(), server); !saved) {
                    qCWarning(lcSession)
                        << "server pin not saved:" << describe(saved.error()).data();
                }
            });
    connect(m_connection.get(), &ServerChannel::connected, m_work.get(), &WorkLoop::schedule);
    connect(m_connection.get(), &ServerChannel::disconnected, this,
            [this] { m_receive->connectionLost(); });
    connect(m_connection.get(), &ServerChannel::push, this, &Session::onPush);

    // The roles say what changed by id (or with the record just written); the facade turns
    // that into the values its signals carry (SessionViews.cpp).
    const auto added = [this](const storage::MessageRecord& record, const content::Content& body) {
        announceAdded(record, body);
    };
    const auto updated = [this](const crypto::MessageId& id) { announceUpdated(id); };
    const auto conversation = [this](const crypto::ConversationId& id) {
        noteConversationChanged(id);
    };
    connect(m_outbox.get(), &Outbox::messageStored, this, added);
    connect(m_receive.get(), &ReceivePipeline::messageStored, this, added);
    connect(m_outbox.get(), &Outbox::messageChanged, this, updated);
    connect(m_receive.get(), &ReceivePipeline::messageChanged, this, updated);
    connect(m_conversations.get(), &Conversations::messageChanged, this, updated);
    connect(m_files.get(), &FileTransfer::messageChanged, this, updated);
    connect(m_receive.get(), &ReceivePipeline::conversationChanged, this, conversation);
    connect(m_rooms.get(), &RoomService::conversationChanged, this, conversation);
    connect(m_conversations.get(), &Conversations::conversationChanged, this, conversation);
    connect(m_expiry.get(), &Expiry::conversationChanged, this, conversation);
    // Expiry names each conversation that lost a message (conversationChanged, above).
    connect(m_expiry.get(), &Expiry::messagesRemoved, this, &Session::messagesRemoved);
    connect(m_devices.get(), &DeviceDirectory::contactChanged, this, &Session::contactChanged);
    // What a conversation shows may change with its contact: those conversations, no other.
    connect(this, &Session::contactChanged, this, &Session::noteContactChanged);
    connect(m_files.get(), &FileTransfer::transferProgress, this, &Session::transferProgress);
    connect(m_receive.get(), &ReceivePipeline::deliveryDropped, this, &Session::deliveryDropped);
    connect(m_rooms.get(), &RoomService::deliveryDropped, this, &Session::deliveryDropped);
    connect(m_prekeys.get(), &PrekeyCache::serverMisbehaved, this, &Session::serverMisbehaved);
    qRegisterMetaType<Message>();
    qRegisterMetaType<ConversationSummary>();
}

Session::~Session() {
    m_channel.close();
}

bool Session::signedOut() const {
    return m_context->signedOut;
}
const std::string& Session::username() const {
    return m_context->username;
}
const crypto::RootId& Session::rootId() const {
    return m_context->rootId;
}
const crypto::NodeId& Session::nodeId() const {
    return m_context->nodeId;
}

void Session::signOut() {
    if (m_context->signedOut) {
        return;
    }
    goOffline();
    m_context->signedOut = true;
    // The private keys are freed (and wiped by OpenSSL and SecureBuffer) with these objects;
    // the store closes and SQLCipher drops its copy of Klds. The roles keep no reference they
    // use once signedOut is set.
    m_receive->clear();
    m_prekeys->clear();
    m_devices->clear();
    m_context->node.reset();
    m_context->root.reset();
    m_store.reset();
    Q_EMIT signedOutNow();
}

// --- Connection and background work ---

void Session::goOnline() {
    m_connection->goOnline();
}

void Session::goOffline() {
    m_connection->goOffline();
}

bool Session::isOnline() const {
    return m_connection->isLoggedIn();
}

std::optional<SessionError> Session::serverRefusal() const {
    return m_connection->refusal();
}

bool Session::waitUntilOnline(int timeoutMs) {
    return m_connection->waitUntilOnline(timeoutMs);
}

bool Session::waitUntilIdle(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    const auto idle = [this] {
        if (m_context->signedOut) {
            return true;
        }
        return m_connection->isLoggedIn() && m_work->idle() && m_receive->idle() &&
               m_outbox->onlyHeldBackLeft();
    };
    while (!idle() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return idle();
}

void Session::onPush(const api::Push& push) {
    if (m_context->signedOut) {
        return;
    }
    switch (push.kind_case()) {
    case api::Push::kDelivery:
        m_receive->queue(push.delivery());
        break;
    case api::Push::kPrekeysLow:
        m_prekeys->wantRefill();
        break;
    case api::Push::kDeviceListChanged:
        if (const auto changed =
                detail::idFrom<crypto::RootId>(push.device_list_changed().root_id())) {
            m_devices->forget(*changed);
        }
        break;
    default:
        return;
    }
    m_work->schedule();
}

bool Session::doWork() {
    if (m_receive->hasQueued()) {
        m_receive->handlePending();
    }
    const bool online = m_connection->isLoggedIn();
    if (online && m_prekeys->refillWanted()) {
        if (auto refilled = m_prekeys->refill(); !refilled) {
            qCWarning(lcSession) << "prekey refill failed:" << describe(refilled.error()).data();
        }
    }
    if (m_connection->isLoggedIn()) {
        m_outbox->pump();
        if (m_context->options.prefetchPrekeys) {
            m_prekeys->prefetch();
        }
    }
    return m_receive->hasQueued();
}

// --- Accounts and contacts: DeviceDirectory ---

SessionResult<std::vector<DeviceInfo>> Session::devices() {
    return m_devices->devices();
}
SessionResult<void> Session::removeDevice(const crypto::NodeId& nodeId) {
    return m_devices->removeDevice(nodeId);
}
SessionResult<Contact> Session::addContact(std::string_view username) {
    CINDER_TRY_ASSIGN(auto record, m_devices->addContact(username));
    return detail::contactOf(record);
}
SessionResult<std::vector<Contact>> Session::contacts() {
    CINDER_TRY_ASSIGN(auto records, m_devices->contacts());
    std::vector<Contact> out;
    out.reserve(records.size());
    for (const storage::ContactRecord& record : records) {
        out.push_back(detail::contactOf(record));
    }
    return out;
}
SessionResult<VerificationInfo> Session::verification(std::string_view username) {
    return m_devices->verification(username);
}
SessionResult<VerificationInfo> Session::ownVerification() {
    return m_devices->ownVerification();
}
SessionResult<void> Session::markVerified(std::string_view username) {
    return m_devices->markVerified(username);
}
SessionResult<void> Session::verifyQr(std::string_view username, crypto::ByteView payload) {
    return m_devices->verifyQr(username, payload);
}
SessionResult<void> Session::acceptIdentityChange(std::string_view username) {
    CINDER_TRY(m_devices->acceptIdentityChange(username));
    m_work->schedule(); // messages held back for the change go out now
    return {};
}
SessionResult<Contact> Session::refreshContact(std::string_view username) {
    CINDER_TRY_ASSIGN(auto record, m_devices->refreshContact(username));
    return detail::contactOf(record);
}

// --- Conversations and messages: Conversations, Expiry, Outbox ---

SessionResult<crypto::ConversationId> Session::openDirect(std::string_view username) {
    return m_conversations->openDirect(username);
}
SessionResult<void> Session::setConversationTimers(const crypto::ConversationId& id,
                                                   const crypto::Ephemerality& timers) {
    return m_expiry->setConversationTimers(id, timers);
}
crypto::Ephemerality Session::defaultTimers() {
    return m_expiry->defaultTimers();
}
bool Session::ephemeralityPolicyAcknowledged() {
    return m_expiry->policyAcknowledged();
}
SessionResult<void> Session::acknowledgeEphemeralityPolicy() {
    return m_expiry->acknowledgePolicy();
}
SessionResult<void> Session::setDefaultTimers(const crypto::Ephemerality& timers) {
    return m_expiry->setDefaultTimers(timers);
}
SessionResult<crypto::MessageId> Session::sendText(const crypto::ConversationId& conversation,
                                                   std::string_view text,
                                                   std::optional<crypto::MessageId> replyTo) {
    return m_conversations->sendText(conversation, text, replyTo);
}
SessionResult<crypto::MessageId> Session::react(const crypto::ConversationId& conversation,
                                                const crypto::MessageId& target,
                                                std::string_view emoji, bool remove) {
    return m_conversations->react(conversation, target, emoji, remove);
}
SessionResult<crypto::MessageId> Session::edit(const crypto::ConversationId& conversation,
                                               const crypto::MessageId& target,
                                               std::string_view text) {
    return m_conversations->edit(conversation, target, text);
}
SessionResult<crypto::MessageId>
Session::deleteForEveryone(const crypto::ConversationId& conversation,
                           const crypto::MessageId& target) {
    return m_conversations->deleteForEveryone(conversation, target);
}
SessionResult<void> Session::markRead(const crypto::ConversationId& conversation,
                                      const std::vector<crypto::MessageId>& ids) {
    return m_conversations->markRead(conversation, ids);
}
SessionResult<std::size_t> Session::outboxSize() {
    return m_outbox->size();
}

// --- Rooms: RoomService ---

SessionResult<crypto::ConversationId>
Session::createRoom(std::string_view title, const std::vector<std::string>& memberUsernames) {
    return m_rooms->createRoom(title, memberUsernames);
}
SessionResult<void> Session::addMembers(const crypto::ConversationId& room,
                                        const std::vector<std::string>& usernames) {
    return m_rooms->addMembers(room, usernames);
}
SessionResult<void> Session::removeMembers(const crypto::ConversationId& room,
                                           const std::vector<std::string>& usernames) {
    return m_rooms->removeMembers(room, usernames);
}
SessionResult<void> Session::promote(const crypto::ConversationId& room,
                                     const std::vector<std::string>& usernames) {
    return m_rooms->promote(room, usernames);
}
SessionResult<void> Session::leaveRoom(const crypto::ConversationId& room) {
    return m_rooms->leaveRoom(room);
}
SessionResult<void> Session::renameRoom(const crypto::ConversationId& room,
                                        std::string_view title) {
    return m_rooms->renameRoom(room, title);
}
SessionResult<RoomState> Session::room(const crypto::ConversationId& room) {
    return m_rooms->room(room);
}

// --- Files: Conversations, FileTransfer ---

SessionResult<crypto::MessageId> Session::sendFile(const crypto::ConversationId& conversation,
                                                   const QString& path) {
    return m_conversations->sendFile(conversation, path);
}
SessionResult<void> Session::downloadAttachment(std::int64_t attachmentId) {
    return m_files->download(attachmentId);
}
SessionResult<QString> Session::saveAttachment(std::int64_t attachmentId,
                                               const QString& directory) {
    return m_files->save(attachmentId, directory);
}

} // namespace cinder::client
