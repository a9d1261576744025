// SPDX-License-Identifier: Apache-2.0
// Accounts on this device: create, enroll (sign in on a new device), unlock (paper, "User
// Registration" and "Device Enrollment").
#include "client/Enrollment.h"

#include "client/ServerPin.h"
#include "client/SessionInternal.h"

#include "crypto/ContactDiscovery.h"
#include "crypto/DeviceList.h"
#include "crypto/RecoveryBundle.h"
#include "storage/KeyVault.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QThread>

namespace cinder::client {

using crypto::fail;
using detail::orFail;
using detail::str;
using detail::view;

namespace {

constexpr int kConnectTimeoutMs = 20000;

// Opens the channel and spins this thread's event loop until it is connected.
SessionResult<void> connectTo(ServerChannel& channel, const net::ServerEndpoint& server,
                              const SessionOptions& options) {
    channel.setRequestTimeout(options.requestTimeoutMs);
    channel.open(server, options.backOff);
    QDeadlineTimer deadline(kConnectTimeoutMs);
    while (!channel.isConnected() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    if (!channel.isConnected()) {
        return fail(SessionError::NotConnected);
    }
    return {};
}

// The server this account enrolls with, pinned for every later connection (docs/PROTOCOL.md
// §7.6): the public key of the certificate on this connection and the name its login
// challenges carry. Asked for on the connection the enrollment used, before it closes.
SessionResult<net::ServerEndpoint> pinServer(ServerChannel& channel, net::ServerEndpoint server,
                                             const crypto::RootId& rootId,
                                             const crypto::NodeId& nodeId) {
    api::AuthChallengeRequest request;
    request.set_root_id(str(rootId));
    request.set_node_id(str(nodeId));
    CINDER_TRY_ASSIGN(const auto challenge, detail::replyAs<api::AuthChallenge>(
                                                channel.call(api::VERB_AUTH_CHALLENGE, request)));
    server.publicKeySha256 = channel.serverKeySha256();
    server.serverName = QString::fromStdString(challenge.server_name());
    if (server.publicKeySha256.size() != net::ServerEndpoint::kFingerprintSize ||
        server.serverName.isEmpty()) {
        return fail(SessionError::ServerMisbehaved);
    }
    return server;
}

std::int64_t nowOf(const SessionOptions& options) {
    return options.clock ? options.clock() : QDateTime::currentMSecsSinceEpoch();
}

SessionResult<void> checkNewAccount(const AccountDirectory& directory, const NewAccount& account) {
    if (!detail::isValidUsername(account.username) || account.passphrase.empty() ||
        !account.server.isValid()) {
        return fail(SessionError::InvalidArgument);
    }
    if (directory.holdsAccount()) {
        return fail(SessionError::AccountExists);
    }
    return {};
}

SessionResult<crypto::SecureBuffer> newStorageKey(const crypto::RootIdentity& root,
                                                  const crypto::NodeId& nodeId) {
    // Klds = KDF(Knsr, device data): the device data is this node's id and fresh randomness,
    // so Klds is new for every device and never leaves it (it is sealed in the vault).
    crypto::Bytes deviceData(nodeId.begin(), nodeId.end());
    std::array<std::uint8_t, 32> salt{};
    crypto::systemRandom().fill(salt);
    deviceData.insert(deviceData.end(), salt.begin(), salt.end());
    return orFail(crypto::deriveLocalStorageKey(root.nodeStorageRootKey(), deviceData),
                  SessionError::CryptoFailure);
}

SessionResult<storage::IdentityRecord> identityRecord(const std::string& username,
                                                      const crypto::RootIdentity& root,
                                                      const crypto::NodeIdentity& node,
                                                      std::int64_t nowMs) {
    CINDER_TRY_ASSIGN(auto rootPrivate,
                      orFail(root.key().exportPrivate(), SessionError::CryptoFailure));
    CINDER_TRY_ASSIGN(auto nodePrivate,
                      orFail(node.key().exportPrivate(), SessionError::CryptoFailure));
    storage::IdentityRecord record;
    record.username = username;
    record.rootId = root.id();
    record.rootPublicKey = root.publicKey().bytes();
    record.rootPrivateKey = std::move(rootPrivate);
    record.remoteStorageKey = root.remoteStorageKey().clone();
    record.nodeStorageRootKey = root.nodeStorageRootKey().clone();
    record.nodeId = node.id();
    record.nodePublicKey = node.key().publicKey().bytes();
    record.nodePrivateKey = std::move(nodePrivate);
    record.nodeCertificate = node.certificate();
    record.createdAtMs = nowMs;
    return record;
}

} // namespace

SessionResult<OpenedAccount>
Enrollment::createLocal(const AccountDirectory& directory, const NewAccount& account,
                        net::ServerEndpoint server, crypto::RootIdentity root,
                        crypto::NodeIdentity node, const SessionOptions& options) {
    const std::int64_t nowMs = nowOf(options);
    if (!directory.ensureExists() || !directory.saveServer(account.server)) {
        return fail(SessionError::FileError);
    }
    CINDER_TRY_ASSIGN(const auto klds, newStorageKey(root, node.id()));
    CINDER_TRY(storage::KeyVault::create(directory.path(), root.id(), klds,
                                         account.passphrase.view(), options.vaultCost));
    CINDER_TRY_ASSIGN(auto store, storage::Store::open(directory.path(), klds, options.clock));
    CINDER_TRY_ASSIGN(const auto record, identityRecord(account.username, root, node, nowMs));
    CINDER_TRY(store->keys().saveIdentity(record));
    CINDER_TRY(saveServerPin(store->settings(), server));
    crypto::ReplayGuard replayGuard(options.clock); // on the session's clock (PROTOCOL.md §8.5)
    return OpenedAccount{directory, std::move(store),       std::move(root),   std::move(node),
                         {},        std::move(replayGuard), std::move(server), account.username};
}

SessionResult<OpenedAccount> Enrollment::createAccount(ServerChannel& channel,
                                                       const QString& accountDirectory,
                                                       const NewAccount& account,
                                                       const SessionOptions& options) {
    const AccountDirectory directory(accountDirectory);
    CINDER_TRY(checkNewAccount(directory, account));
    CINDER_TRY_ASSIGN(auto root,
                      orFail(crypto::RootIdentity::generate(), SessionError::CryptoFailure));
    CINDER_TRY_ASSIGN(auto node, orFail(crypto::NodeIdentity::enroll(root, nowOf(options)),
                                        SessionError::CryptoFailure));
    const std::vector<crypto::Bytes> certificates{node.certificate()};
    auto deviceList = root.signDeviceList(1, certificates);
    auto sealed = crypto::sealRecoveryBundle(root, account.passphrase.view(), options.recoveryCost);
    if (!deviceList || !sealed) {
        return fail(SessionError::CryptoFailure);
    }
    CINDER_TRY_ASSIGN(const auto parameters, orFail(crypto::recoveryKdfParameters(sealed->bundle),
                                                    SessionError::CryptoFailure));

    api::RegisterRequest request;
    request.set_username(account.username);
    request.set_root_id(str(root.id()));
    request.set_root_public_key(str(root.publicKey().bytes()));
    request.set_device_list(str(*deviceList));
    request.set_recovery_bundle(str(sealed->bundle));
    request.set_recovery_verifier(str(sealed->verifier.view()));
    request.set_recovery_kdf_parameters(str(crypto::encodeRecoveryKdfParameters(parameters)));
    request.set_discovery_hash(str(crypto::contactDiscoveryHash(account.username)));

    CINDER_TRY(connectTo(channel, account.server, options));
    const net::Reply reply = channel.call(api::VERB_REGISTER, request);
    auto server = reply.ok()
                      ? pinServer(channel, account.server, root.id(), node.id())
                      : SessionResult<net::ServerEndpoint>(fail(SessionError::ServerRejected));
    channel.close();
    if (reply.answered() && reply.status == api::STATUS_CONFLICT) {
        return fail(SessionError::UsernameTaken);
    }
    CINDER_TRY(detail::accepted(reply));
    CINDER_TRY_ASSIGN(auto pinned, std::move(server));
    return createLocal(directory, account, std::move(pinned), std::move(root), std::move(node),
                       options);
}

SessionResult<OpenedAccount> Enrollment::signIn(ServerChannel& channel,
                                                const QString& accountDirectory,
                                                const NewAccount& account,
                                                const SessionOptions& options) {
    const AccountDirectory directory(accountDirectory);
    CINDER_TRY(checkNewAccount(directory, account));
    CINDER_TRY(connectTo(channel, account.server, options));

    // 1. The KDF parameters of the bundle, checked against our own floor (a hostile server
    //    must not get a cheap verifier), then the verifier that unlocks the bundle's download.
    api::RecoveryParametersRequest parametersRequest;
    parametersRequest.set_username(account.username);
    CINDER_TRY_ASSIGN(const auto parameters,
                      detail::replyAs<api::RecoveryParameters>(
                          channel.call(api::VERB_RECOVERY_PARAMETERS, parametersRequest)));
    const auto rootId = detail::idFrom<crypto::RootId>(parameters.root_id());
    // The floor: the cost this client enrolls with, so a server cannot ask for less.
    const crypto::ScryptCost floor{options.recoveryCost.log2N, options.recoveryCost.r, 1};
    auto kdf = crypto::decodeRecoveryKdfParameters(view(parameters.kdf_parameters()), floor);
    if (!rootId || !kdf) {
        return fail(SessionError::ServerMisbehaved);
    }
    CINDER_TRY_ASSIGN(const auto passphraseKey,
                      orFail(crypto::RecoveryPassphraseKey::derive(*kdf, account.passphrase.view()),
                             SessionError::CryptoFailure));
    CINDER_TRY_ASSIGN(const auto verifier,
                      orFail(passphraseKey.verifier(), SessionError::CryptoFailure));
    api::RecoveryFetchRequest fetch;
    fetch.set_username(account.username);
    fetch.set_verifier(str(verifier.view()));
    const net::Reply fetchReply = channel.call(api::VERB_RECOVERY_FETCH, fetch);
    // The server refuses a wrong verifier; too many attempts lock recovery for a while.
    if (fetchReply.answered() && (fetchReply.status == api::STATUS_UNAUTHENTICATED ||
                                  fetchReply.status == api::STATUS_FORBIDDEN)) {
        return fail(SessionError::WrongPassphrase);
    }
    CINDER_TRY_ASSIGN(const auto bundle, detail::replyAs<api::RecoveryBundleResponse>(fetchReply));
    if (bundle.root_id() != parameters.root_id()) {
        return fail(SessionError::ServerMisbehaved);
    }

    // 2. Open the bundle: the root keys, which must match the key the server publishes.
    auto keys = crypto::openRecoveryBundle(view(bundle.recovery_bundle()), *rootId, passphraseKey);
    if (!keys) {
        return fail(keys.error() == crypto::RecoveryError::WrongPassphrase
                        ? SessionError::WrongPassphrase
                        : SessionError::ServerMisbehaved);
    }
    if (keys->root.publicKey().bytes() != crypto::toBytes(view(bundle.root_public_key()))) {
        return fail(SessionError::ServerMisbehaved);
    }
    CINDER_TRY_ASSIGN(auto root,
                      orFail(crypto::RootIdentity::restore(*rootId, std::move(keys->root),
                                                           std::move(keys->remoteStorageKey),
                                                           std::move(keys->nodeStorageRootKey)),
                             SessionError::CryptoFailure));
    const crypto::PinnedRoot self{root.id(), root.publicKey()};
    CINDER_TRY_ASSIGN(const auto current, orFail(crypto::VerifiedDeviceList::verify(
                                                     self, view(bundle.device_list()), 0),
                                                 SessionError::ServerMisbehaved));

    // 3. Certify a new node and publish the device list with it added.
    CINDER_TRY_ASSIGN(auto node, orFail(crypto::NodeIdentity::enroll(root, nowOf(options)),
                                        SessionError::CryptoFailure));
    std::vector<crypto::Bytes> certificates;
    for (const crypto::VerifiedNode& existing : current.nodes()) {
        certificates.push_back(existing.certificate());
    }
    certificates.push_back(node.certificate());
    CINDER_TRY_ASSIGN(const auto list,
                      orFail(root.signDeviceList(current.version() + 1, certificates),
                             SessionError::CryptoFailure));
    api::DeviceListUpdate update;
    update.set_root_id(str(root.id()));
    update.set_device_list(str(list));
    CINDER_TRY(detail::accepted(channel.call(api::VERB_PUBLISH_DEVICE_LIST, update)));
    CINDER_TRY_ASSIGN(auto pinned, pinServer(channel, account.server, root.id(), node.id()));
    channel.close();
    return createLocal(directory, account, std::move(pinned), std::move(root), std::move(node),
                       options);
}

SessionResult<OpenedAccount> Enrollment::unlock(const QString& accountDirectory,
                                                const crypto::SecureBuffer& passphrase,
                                                const SessionOptions& options) {
    const AccountDirectory directory(accountDirectory);
    if (!directory.holdsAccount()) {
        return fail(SessionError::NoAccount);
    }
    CINDER_TRY_ASSIGN(auto server, orFail(directory.loadServer(), SessionError::FileError));
    CINDER_TRY_ASSIGN(const auto vault,
                      storage::KeyVault::unlock(directory.path(), passphrase.view()));
    CINDER_TRY_ASSIGN(auto store,
                      storage::Store::open(directory.path(), vault.klds, options.clock));
    CINDER_TRY_ASSIGN(const auto identity,
                      orFail(store->keys().identity(), SessionError::StorageFailure));
    if (!identity) {
        return fail(SessionError::StorageFailure);
    }
    const storage::IdentityRecord& record = *identity;
    // server.ini says where the server is; the store what it must be.
    CINDER_TRY(loadServerPin(store->settings(), server));
    auto rootPair =
        crypto::KeyPair::fromPrivate(record.rootPrivateKey.view(), record.rootPublicKey);
    auto nodePair =
        crypto::KeyPair::fromPrivate(record.nodePrivateKey.view(), record.nodePublicKey);
    if (!rootPair || !nodePair) {
        return fail(SessionError::StorageFailure);
    }
    CINDER_TRY_ASSIGN(
        auto root, orFail(crypto::RootIdentity::restore(record.rootId, std::move(rootPair).value(),
                                                        record.remoteStorageKey.clone(),
                                                        record.nodeStorageRootKey.clone()),
                          SessionError::StorageFailure));
    const crypto::PinnedRoot self{root.id(), root.publicKey()};
    auto node =
        crypto::NodeIdentity::restore(std::move(nodePair).value(), record.nodeCertificate, self);
    auto pool = store->keys().loadPrekeyPool();
    auto guard = store->replay().load();
    if (!node || !pool || !guard) {
        return fail(SessionError::StorageFailure);
    }
    return OpenedAccount{directory,
                         std::move(store),
                         std::move(root),
                         std::move(node).value(),
                         std::move(pool).value(),
                         std::move(guard).value(),
                         server,
                         record.username};
}

} // namespace cinder::client
