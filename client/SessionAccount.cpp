// SPDX-License-Identifier: Apache-2.0
// Accounts on this device: create, enroll (sign in on a new device), unlock, sign out, and the
// device list (paper, "User Registration" and "Device Enrollment").
#include "client/Session.h"
#include "client/SessionInternal.h"

#include "crypto/ContactDiscovery.h"
#include "crypto/RecoveryBundle.h"
#include "storage/KeyVault.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QThread>

namespace cinder::client {

using crypto::fail;
using detail::str;
using detail::view;

namespace {

constexpr int kConnectTimeoutMs = 20000;

// Spins this thread's event loop until the channel is connected.
bool waitForConnection(ApiChannel& channel, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!channel.isConnected() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return channel.isConnected();
}

std::int64_t systemNowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

SessionResult<crypto::SecureBuffer> newStorageKey(const crypto::RootIdentity& root,
                                                  const crypto::NodeId& nodeId) {
    // Klds = KDF(Knsr, device data): the device data is this node's id and fresh randomness,
    // so Klds is new for every device and never leaves it (it is sealed in the vault).
    crypto::Bytes deviceData(nodeId.begin(), nodeId.end());
    std::array<std::uint8_t, 32> salt{};
    crypto::systemRandom().fill(salt);
    deviceData.insert(deviceData.end(), salt.begin(), salt.end());
    auto klds = crypto::deriveLocalStorageKey(root.nodeStorageRootKey(), deviceData);
    if (!klds) {
        return fail(SessionError::CryptoFailure);
    }
    return std::move(klds).value();
}

SessionResult<storage::IdentityRecord> identityRecord(const std::string& username,
                                                      const crypto::RootIdentity& root,
                                                      const crypto::NodeIdentity& node,
                                                      std::int64_t nowMs) {
    auto rootPrivate = root.key().exportPrivate();
    auto nodePrivate = node.key().exportPrivate();
    if (!rootPrivate || !nodePrivate) {
        return fail(SessionError::CryptoFailure);
    }
    storage::IdentityRecord record;
    record.username = username;
    record.rootId = root.id();
    record.rootPublicKey = root.publicKey().bytes();
    record.rootPrivateKey = std::move(rootPrivate).value();
    record.remoteStorageKey = root.remoteStorageKey().clone();
    record.nodeStorageRootKey = root.nodeStorageRootKey().clone();
    record.nodeId = node.id();
    record.nodePublicKey = node.key().publicKey().bytes();
    record.nodePrivateKey = std::move(nodePrivate).value();
    record.nodeCertificate = node.certificate();
    record.createdAtMs = nowMs;
    return record;
}

SessionError vaultError(storage::VaultError error) {
    switch (error) {
    case storage::VaultError::WrongPassphrase:
        return SessionError::WrongPassphrase;
    case storage::VaultError::Missing:
        return SessionError::NoAccount;
    case storage::VaultError::AlreadyExists:
        return SessionError::AccountExists;
    case storage::VaultError::Io:
        return SessionError::FileError;
    default:
        return SessionError::StorageFailure;
    }
}

} // namespace

Session::Session(AccountDirectory directory, std::unique_ptr<storage::Store> store,
                 crypto::RootIdentity root, crypto::NodeIdentity node,
                 crypto::EphemeralKeyPool pool, crypto::ReplayGuard replayGuard,
                 net::ServerEndpoint server, SessionOptions options)
    : m_directory(std::move(directory)), m_store(std::move(store)),
      m_root(std::make_unique<crypto::RootIdentity>(std::move(root))),
      m_node(std::make_unique<crypto::NodeIdentity>(std::move(node))),
      m_pool(std::make_unique<crypto::EphemeralKeyPool>(std::move(pool))),
      m_replayGuard(std::make_unique<crypto::ReplayGuard>(std::move(replayGuard))),
      m_server(std::move(server)), m_options(std::move(options)), m_rootId(m_node->rootId()),
      m_nodeId(m_node->id()) {
    connect(&m_channel, &ApiChannel::connected, this, &Session::onConnected);
    connect(&m_channel, &ApiChannel::disconnected, this, &Session::onDisconnected);
    connect(&m_channel, &ApiChannel::push, this, &Session::onPush);
    connect(m_store.get(), &storage::Store::messagesRemoved, this, &Session::messagesRemoved);
    // What a conversation shows may change with them (its newest message, its contact).
    connect(m_store.get(), &storage::Store::messagesRemoved, this,
            &Session::noteAllConversationsChanged);
    connect(this, &Session::contactChanged, this, &Session::noteAllConversationsChanged);
    qRegisterMetaType<Message>();
    qRegisterMetaType<ConversationSummary>();
    m_store->startExpiryTimer(std::chrono::seconds(1));
}

Session::~Session() {
    m_channel.close();
}

std::int64_t Session::now() const {
    return m_options.clock ? m_options.clock() : systemNowMs();
}

SessionResult<std::unique_ptr<Session>>
Session::createLocal(const AccountDirectory& directory, const NewAccount& account,
                     crypto::RootIdentity root, crypto::NodeIdentity node, SessionOptions options) {
    const std::int64_t nowMs = options.clock ? options.clock() : systemNowMs();
    if (!directory.ensureExists() || !directory.saveServer(account.server)) {
        return fail(SessionError::FileError);
    }
    auto klds = newStorageKey(root, node.id());
    if (!klds) {
        return fail(klds.error());
    }
    if (auto sealed = storage::KeyVault::create(directory.path(), root.id(), *klds,
                                                account.passphrase.view(), options.vaultCost);
        !sealed) {
        return fail(vaultError(sealed.error()));
    }
    auto store = storage::Store::open(directory.path(), *klds, options.clock);
    if (!store) {
        return fail(detail::errorOf(store.error()));
    }
    auto record = identityRecord(account.username, root, node, nowMs);
    if (!record) {
        return fail(record.error());
    }
    if (auto saved = (*store)->keys().saveIdentity(*record); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    crypto::ReplayGuard replayGuard(options.clock); // on the session's clock (PROTOCOL.md §8.5)
    std::unique_ptr<Session> session(
        new Session(directory, std::move(store).value(), std::move(root), std::move(node), {},
                    std::move(replayGuard), account.server, std::move(options)));
    session->m_username = account.username;
    return session;
}

SessionResult<std::unique_ptr<Session>> Session::createAccount(const QString& accountDirectory,
                                                               const NewAccount& account,
                                                               SessionOptions options) {
    const AccountDirectory directory(accountDirectory);
    if (!detail::isValidUsername(account.username) || account.passphrase.empty() ||
        !account.server.isValid()) {
        return fail(SessionError::InvalidArgument);
    }
    if (directory.holdsAccount()) {
        return fail(SessionError::AccountExists);
    }
    auto root = crypto::RootIdentity::generate();
    if (!root) {
        return fail(SessionError::CryptoFailure);
    }
    const std::int64_t nowMs = options.clock ? options.clock() : systemNowMs();
    auto node = crypto::NodeIdentity::enroll(*root, nowMs);
    if (!node) {
        return fail(SessionError::CryptoFailure);
    }
    const std::vector<crypto::Bytes> certificates{node->certificate()};
    auto deviceList = root->signDeviceList(1, certificates);
    auto sealed =
        crypto::sealRecoveryBundle(*root, account.passphrase.view(), options.recoveryCost);
    if (!deviceList || !sealed) {
        return fail(SessionError::CryptoFailure);
    }
    auto parameters = crypto::recoveryKdfParameters(sealed->bundle);
    if (!parameters) {
        return fail(SessionError::CryptoFailure);
    }

    api::RegisterRequest request;
    request.set_username(account.username);
    request.set_root_id(str(root->id()));
    request.set_root_public_key(str(root->publicKey().bytes()));
    request.set_device_list(str(*deviceList));
    request.set_recovery_bundle(str(sealed->bundle));
    request.set_recovery_verifier(str(sealed->verifier.view()));
    request.set_recovery_kdf_parameters(str(crypto::encodeRecoveryKdfParameters(*parameters)));
    request.set_discovery_hash(str(crypto::contactDiscoveryHash(account.username)));

    {
        ApiChannel channel;
        channel.open(account.server, options.backOff);
        if (!waitForConnection(channel, kConnectTimeoutMs)) {
            return fail(SessionError::NotConnected);
        }
        const net::Reply reply =
            channel.call(api::VERB_REGISTER, request, options.requestTimeoutMs);
        if (!reply.ok()) {
            return fail(reply.answered() && reply.status == api::STATUS_CONFLICT
                            ? SessionError::UsernameTaken
                            : detail::errorOf(reply));
        }
    }
    return createLocal(directory, account, std::move(root).value(), std::move(node).value(),
                       std::move(options));
}

SessionResult<std::unique_ptr<Session>> Session::signIn(const QString& accountDirectory,
                                                        const NewAccount& account,
                                                        SessionOptions options) {
    const AccountDirectory directory(accountDirectory);
    if (!detail::isValidUsername(account.username) || account.passphrase.empty() ||
        !account.server.isValid()) {
        return fail(SessionError::InvalidArgument);
    }
    if (directory.holdsAccount()) {
        return fail(SessionError::AccountExists);
    }
    ApiChannel channel;
    channel.open(account.server, options.backOff);
    if (!waitForConnection(channel, kConnectTimeoutMs)) {
        return fail(SessionError::NotConnected);
    }
    const auto call = [&](api::Verb verb, const google::protobuf::Message& body) {
        return channel.call(verb, body, options.requestTimeoutMs);
    };

    // 1. The KDF parameters of the bundle, checked against our own floor (a hostile server
    //    must not get a cheap verifier), then the verifier that unlocks the bundle's download.
    api::RecoveryParametersRequest parametersRequest;
    parametersRequest.set_username(account.username);
    const net::Reply parametersReply = call(api::VERB_RECOVERY_PARAMETERS, parametersRequest);
    if (!parametersReply.ok()) {
        return fail(detail::errorOf(parametersReply));
    }
    api::RecoveryParameters parameters;
    if (!parametersReply.parseBody(parameters)) {
        return fail(SessionError::ServerMisbehaved);
    }
    const auto rootId = detail::idFrom<crypto::RootId>(parameters.root_id());
    // The floor: the cost this client enrolls with, so a server cannot ask for less.
    const crypto::ScryptCost floor{options.recoveryCost.log2N, options.recoveryCost.r, 1};
    auto kdf = crypto::decodeRecoveryKdfParameters(view(parameters.kdf_parameters()), floor);
    if (!rootId || !kdf) {
        return fail(SessionError::ServerMisbehaved);
    }
    auto passphraseKey = crypto::RecoveryPassphraseKey::derive(*kdf, account.passphrase.view());
    if (!passphraseKey) {
        return fail(SessionError::CryptoFailure);
    }
    auto verifier = passphraseKey->verifier();
    if (!verifier) {
        return fail(SessionError::CryptoFailure);
    }
    api::RecoveryFetchRequest fetch;
    fetch.set_username(account.username);
    fetch.set_verifier(str(verifier->view()));
    const net::Reply fetchReply = call(api::VERB_RECOVERY_FETCH, fetch);
    if (!fetchReply.ok()) {
        // The server refuses a wrong verifier; too many attempts lock recovery for a while.
        const bool refused =
            fetchReply.answered() && (fetchReply.status == api::STATUS_UNAUTHENTICATED ||
                                      fetchReply.status == api::STATUS_FORBIDDEN);
        return fail(refused ? SessionError::WrongPassphrase : detail::errorOf(fetchReply));
    }
    api::RecoveryBundleResponse bundle;
    if (!fetchReply.parseBody(bundle) || bundle.root_id() != parameters.root_id()) {
        return fail(SessionError::ServerMisbehaved);
    }

    // 2. Open the bundle: the root keys, which must match the key the server publishes.
    auto keys = crypto::openRecoveryBundle(view(bundle.recovery_bundle()), *rootId, *passphraseKey);
    if (!keys) {
        return fail(keys.error() == crypto::RecoveryError::WrongPassphrase
                        ? SessionError::WrongPassphrase
                        : SessionError::ServerMisbehaved);
    }
    if (keys->root.publicKey().bytes() != crypto::toBytes(view(bundle.root_public_key()))) {
        return fail(SessionError::ServerMisbehaved);
    }
    auto root = crypto::RootIdentity::restore(*rootId, std::move(keys->root),
                                              std::move(keys->remoteStorageKey),
                                              std::move(keys->nodeStorageRootKey));
    if (!root) {
        return fail(SessionError::CryptoFailure);
    }
    const crypto::PinnedRoot self{root->id(), root->publicKey()};
    auto current = crypto::VerifiedDeviceList::verify(self, view(bundle.device_list()), 0);
    if (!current) {
        return fail(SessionError::ServerMisbehaved);
    }

    // 3. Certify a new node and publish the device list with it added.
    const std::int64_t nowMs = options.clock ? options.clock() : systemNowMs();
    auto node = crypto::NodeIdentity::enroll(*root, nowMs);
    if (!node) {
        return fail(SessionError::CryptoFailure);
    }
    std::vector<crypto::Bytes> certificates;
    for (const crypto::VerifiedNode& existing : current->nodes()) {
        certificates.push_back(existing.certificate());
    }
    certificates.push_back(node->certificate());
    auto list = root->signDeviceList(current->version() + 1, certificates);
    if (!list) {
        return fail(SessionError::CryptoFailure);
    }
    api::DeviceListUpdate update;
    update.set_root_id(str(root->id()));
    update.set_device_list(str(*list));
    const net::Reply published = call(api::VERB_PUBLISH_DEVICE_LIST, update);
    if (!published.ok()) {
        return fail(detail::errorOf(published));
    }
    channel.close();
    return createLocal(directory, account, std::move(root).value(), std::move(node).value(),
                       std::move(options));
}

SessionResult<std::unique_ptr<Session>> Session::unlock(const QString& accountDirectory,
                                                        const crypto::SecureBuffer& passphrase,
                                                        SessionOptions options) {
    const AccountDirectory directory(accountDirectory);
    if (!directory.holdsAccount()) {
        return fail(SessionError::NoAccount);
    }
    const auto server = directory.loadServer();
    if (!server) {
        return fail(SessionError::FileError);
    }
    auto vault = storage::KeyVault::unlock(directory.path(), passphrase.view());
    if (!vault) {
        return fail(vaultError(vault.error()));
    }
    auto store = storage::Store::open(directory.path(), vault->klds, options.clock);
    if (!store) {
        return fail(detail::errorOf(store.error()));
    }
    auto identity = (*store)->keys().identity();
    if (!identity || !*identity) {
        return fail(SessionError::StorageFailure);
    }
    const storage::IdentityRecord& record = **identity;
    auto rootPair =
        crypto::KeyPair::fromPrivate(record.rootPrivateKey.view(), record.rootPublicKey);
    auto nodePair =
        crypto::KeyPair::fromPrivate(record.nodePrivateKey.view(), record.nodePublicKey);
    if (!rootPair || !nodePair) {
        return fail(SessionError::StorageFailure);
    }
    auto root = crypto::RootIdentity::restore(record.rootId, std::move(rootPair).value(),
                                              record.remoteStorageKey.clone(),
                                              record.nodeStorageRootKey.clone());
    if (!root) {
        return fail(SessionError::StorageFailure);
    }
    const crypto::PinnedRoot self{root->id(), root->publicKey()};
    auto node =
        crypto::NodeIdentity::restore(std::move(nodePair).value(), record.nodeCertificate, self);
    auto pool = (*store)->keys().loadPrekeyPool();
    auto guard = (*store)->replay().load();
    if (!node || !pool || !guard) {
        return fail(SessionError::StorageFailure);
    }
    std::unique_ptr<Session> session(new Session(
        directory, std::move(store).value(), std::move(root).value(), std::move(node).value(),
        std::move(pool).value(), std::move(guard).value(), *server, std::move(options)));
    session->m_username = record.username;
    return session;
}

void Session::signOut() {
    if (m_signedOut) {
        return;
    }
    goOffline();
    m_signedOut = true;
    m_incoming.clear();
    m_prekeys.clear();
    m_devices.clear();
    // The private keys are freed (and wiped by OpenSSL and SecureBuffer) with these objects;
    // the store closes and SQLCipher drops its copy of Klds.
    m_pool.reset();
    m_replayGuard.reset();
    m_node.reset();
    m_root.reset();
    m_store.reset();
    Q_EMIT signedOutNow();
}

SessionResult<std::vector<DeviceInfo>> Session::devices() {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto list = devicesOf(rootId(), true);
    if (!list) {
        return fail(list.error());
    }
    std::vector<DeviceInfo> out;
    for (const crypto::VerifiedNode& node : (*list)->nodes()) {
        out.push_back(DeviceInfo{node.nodeId(), node.createdAtMs(), node.nodeId() == nodeId()});
    }
    return out;
}

SessionResult<void> Session::removeDevice(const crypto::NodeId& removed) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (removed == nodeId()) {
        return fail(SessionError::InvalidArgument);
    }
    auto list = devicesOf(rootId(), true);
    if (!list) {
        return fail(list.error());
    }
    std::vector<crypto::Bytes> certificates;
    bool found = false;
    for (const crypto::VerifiedNode& node : (*list)->nodes()) {
        if (node.nodeId() == removed) {
            found = true;
        } else {
            certificates.push_back(node.certificate());
        }
    }
    if (!found) {
        return fail(SessionError::InvalidArgument);
    }
    auto signedList = m_root->signDeviceList((*list)->version() + 1, certificates);
    if (!signedList) {
        return fail(SessionError::CryptoFailure);
    }
    api::DeviceListUpdate update;
    update.set_root_id(str(rootId()));
    update.set_device_list(str(*signedList));
    if (const net::Reply reply = call(api::VERB_PUBLISH_DEVICE_LIST, update); !reply.ok()) {
        return fail(detail::errorOf(reply));
    }
    m_devices.erase(rootId());
    return {};
}

} // namespace cinder::client
