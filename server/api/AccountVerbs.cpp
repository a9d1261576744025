// SPDX-License-Identifier: Apache-2.0
// Accounts, device lists, login, recovery and the directory (docs/SERVER.md §9):
// registration publishes IDr, PKr, the username, a root-signed device list, the recovery
// bundle and its verifier; a device proves itself by signing a fresh server challenge with Kn;
// the recovery bundle is released only against the verifier, with attempt limits.
#include "server/api/ApiService.h"

#include "crypto/Constants.h"
#include "crypto/Hash.h"
#include "crypto/NodeIdentity.h"
#include "crypto/Random.h"
#include "server/api/ApiHelpers.h"
#include "server/api/Background.h"
#include "server/api/IdentityChecks.h"

#include <QPointer>

#include <algorithm>

namespace cinder::server {

namespace {
constexpr std::size_t kChallengeNonceSize = 32;
constexpr int kFreeRecoveryAttempts = 5;
constexpr std::int64_t kRecoveryBackoffBaseMs = 30'000;
constexpr std::int64_t kRecoveryBackoffMaxMs = 3'600'000;
constexpr int kMaxDiscoveryHashesPerRequest = 256;
constexpr qsizetype kMaxCachedCertificates = 200'000;

void fillProfile(api::Profile& profile, const AccountRecord& account) {
    profile.set_username(account.username.toStdString());
    profile.set_root_id(stdBytes(account.rootId));
    profile.set_root_public_key(stdBytes(account.rootPublicKey));
    profile.set_device_list(stdBytes(account.deviceList));
}

bool hasLength(const std::string& bytes, std::size_t size) {
    return bytes.size() == size;
}
} // namespace

void ApiService::registerAccount(ClientConnection& connection, const api::Request& request) {
    api::RegisterRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (!usernameIsValid(QString::fromStdString(body.username()))) {
        badRequest(connection, request,
                   QStringLiteral("a username is 3 to 32 characters of a-z, 0-9, '.', '_', '-'"));
        return;
    }
    const quint64 id = request.id();
    QPointer<ClientConnection> client(&connection);
    runInBackground(
        m_verifiers, this, [body, now = nowMs()] { return verifyRegistration(body, now); },
        [this, client, id](std::optional<VerifiedRegistration> registration) {
            if (client.isNull()) {
                return;
            }
            if (!registration) {
                client->respond(id, api::STATUS_BAD_REQUEST, {},
                                QStringLiteral("identity, device list or recovery data invalid"));
                return;
            }
            m_storage->run(
                client.data(),
                [registration = std::move(*registration)](Repository& repository) {
                    auto created =
                        repository.createAccount(registration.account, registration.nodes);
                    if (created) {
                        (void)repository.recordEvent(registration.account.rootId,
                                                     QStringLiteral("register"), nowMs());
                    }
                    return created;
                },
                [client, id](Result<void, StoreError> created) {
                    if (!created) {
                        respondStoreError(*client, id, created.error());
                        return;
                    }
                    client->respond(id, api::Empty());
                });
        });
}

void ApiService::publishDeviceList(ClientConnection& connection, const api::Request& request) {
    api::DeviceListUpdate body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (!hasLength(body.root_id(), crypto::kRootIdSize)) {
        badRequest(connection, request, QStringLiteral("root id must be 32 bytes"));
        return;
    }
    const quint64 id = request.id();
    const QByteArray rootId = qbytes(body.root_id());
    const QByteArray list = qbytes(body.device_list());
    QPointer<ClientConnection> client(&connection);
    m_storage->run(
        client.data(),
        [rootId](Repository& repository) { return repository.accountByRootId(rootId); },
        [this, client, id, list](Result<AccountRecord, StoreError> account) {
            if (!account) {
                respondStoreError(*client, id, account.error());
                return;
            }
            runInBackground(
                m_verifiers, client.data(),
                [account = account.value(), list] { return verifyDeviceListUpdate(account, list); },
                [this, client, id, rootId = account->rootId,
                 list](std::optional<VerifiedDeviceListUpdate> update) {
                    if (!update) {
                        client->respond(id, api::STATUS_CONFLICT, {},
                                        QStringLiteral("device list not signed by the root key "
                                                       "or not newer than the current one"));
                        return;
                    }
                    m_storage->run(
                        client.data(),
                        [rootId, list, update = *update](Repository& repository) {
                            auto removed = repository.replaceDeviceList(rootId, update.version,
                                                                        list, update.nodes);
                            if (removed) {
                                (void)repository.recordEvent(rootId, QStringLiteral("device-list"),
                                                             nowMs());
                            }
                            return removed;
                        },
                        [this, client, id,
                         rootId](Result<std::vector<QByteArray>, StoreError> removed) {
                            if (!removed) {
                                respondStoreError(*client, id, removed.error());
                                return;
                            }
                            client->respond(id, api::Empty());
                            closeRemovedNodes(*removed);
                            api::Push push;
                            push.mutable_device_list_changed()->set_root_id(stdBytes(rootId));
                            for (ClientConnection* other : m_registry.byRoot(rootId)) {
                                other->push(push);
                            }
                        });
                });
        });
}

void ApiService::closeRemovedNodes(const std::vector<QByteArray>& nodeIds) {
    for (const QByteArray& nodeId : nodeIds) {
        if (ClientConnection* removed = m_registry.byNode(nodeId)) {
            removed->close(QStringLiteral("this device was removed from the account"));
        }
    }
}

void ApiService::authChallenge(ClientConnection& connection, const api::Request& request) {
    api::AuthChallengeRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (!hasLength(body.root_id(), crypto::kRootIdSize) ||
        !hasLength(body.node_id(), crypto::kNodeIdSize)) {
        badRequest(connection, request, QStringLiteral("root and node ids must be 32 bytes"));
        return;
    }
    const crypto::Bytes nonce = crypto::systemRandom().bytes(kChallengeNonceSize);
    connection.setChallengeNonce(qbytes(crypto::ByteView(nonce)));
    api::AuthChallenge challenge;
    challenge.set_nonce(crypto::toStdString(nonce));
    challenge.set_server_name(m_settings.serverName.toStdString());
    connection.respond(request.id(), challenge);
}

void ApiService::authProof(ClientConnection& connection, const api::Request& request) {
    api::AuthProof body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    const QByteArray nonce = connection.challengeNonce();
    connection.setChallengeNonce({}); // one proof per challenge
    if (nonce.isEmpty()) {
        connection.respond(request.id(), api::STATUS_UNAUTHENTICATED, {},
                           QStringLiteral("request a challenge first"));
        return;
    }
    const quint64 id = request.id();
    const QByteArray rootId = qbytes(body.root_id());
    const QByteArray nodeId = qbytes(body.node_id());
    const QByteArray signature = qbytes(body.signature());
    QPointer<ClientConnection> client(&connection);
    struct Identity {
        AccountRecord account;
        NodeRecord node;
    };
    m_storage->run(
        client.data(),
        [rootId, nodeId](Repository& repository) -> Result<Identity, StoreError> {
            CINDER_TRY_ASSIGN(auto account, repository.accountByRootId(rootId));
            CINDER_TRY_ASSIGN(auto node, repository.node(nodeId));
            return Identity{std::move(account), std::move(node)};
        },
        [this, client, id, nonce, signature](Result<Identity, StoreError> identity) {
            if (!identity) {
                client->respond(id, api::STATUS_UNAUTHENTICATED, {},
                                QStringLiteral("login proof does not verify"));
                return;
            }
            // A certificate verified at an earlier login (same bytes, same root key) is not
            // verified again: a repeat login costs one signature check, not two.
            std::shared_ptr<crypto::VerifiedNode> known;
            const auto cached = m_verifiedCertificates.constFind(identity->node.nodeId);
            if (cached != m_verifiedCertificates.cend() &&
                cached->certificate == identity->node.certificate &&
                cached->rootPublicKey == identity->account.rootPublicKey) {
                known = cached->node;
            }
            runInBackground(
                m_verifiers, client.data(),
                [identity = identity.value(), known, nonce, signature,
                 serverName = m_settings.serverName]() -> std::shared_ptr<crypto::VerifiedNode> {
                    std::shared_ptr<crypto::VerifiedNode> node = known;
                    if (!node) {
                        auto verified = verifyNode(identity.account, identity.node);
                        if (!verified) {
                            return nullptr;
                        }
                        node = std::make_shared<crypto::VerifiedNode>(std::move(*verified));
                    }
                    if (!crypto::verifyLoginChallenge(
                            *node, viewOf(nonce), serverName.toStdString(), viewOf(signature))) {
                        return nullptr;
                    }
                    return node;
                },
                [this, client, id, rootPublicKey = identity->account.rootPublicKey](
                    std::shared_ptr<crypto::VerifiedNode> node) {
                    if (node) {
                        rememberVerifiedCertificate(node, rootPublicKey);
                    }
                    if (!node) {
                        client->respond(id, api::STATUS_UNAUTHENTICATED, {},
                                        QStringLiteral("login proof does not verify"));
                        return;
                    }
                    const QByteArray verifiedRoot = qbytes(crypto::ByteView(node->rootId()));
                    const QByteArray verifiedNode = qbytes(crypto::ByteView(node->nodeId()));
                    m_nodes.insert(client->id(), node);
                    client->setAuthenticated(verifiedRoot, verifiedNode);
                    m_storage->run(
                        client.data(),
                        [verifiedRoot, verifiedNode](
                            Repository& repository) -> Result<api::AuthResult, StoreError> {
                            auto prekeys = repository.prekeyCount(verifiedNode);
                            auto pending = repository.pendingCount(verifiedNode);
                            if (!prekeys || !pending) {
                                return fail(StoreError::Unavailable);
                            }
                            (void)repository.recordEvent(verifiedRoot, QStringLiteral("login"),
                                                         nowMs());
                            api::AuthResult result;
                            result.set_prekeys_remaining(static_cast<quint32>(*prekeys));
                            result.set_pending_deliveries(static_cast<quint32>(*pending));
                            return result;
                        },
                        [this, client, id](Result<api::AuthResult, StoreError> result) {
                            if (!result) {
                                respondStoreError(*client, id, result.error());
                                return;
                            }
                            result->set_prekeys_low(static_cast<int>(result->prekeys_remaining()) <
                                                    m_settings.prekeyLowThreshold);
                            client->respond(id, *result);
                            pump(client->id());
                        });
                });
        });
}

void ApiService::rememberVerifiedCertificate(const std::shared_ptr<crypto::VerifiedNode>& node,
                                             const QByteArray& rootPublicKey) {
    if (m_verifiedCertificates.size() >= kMaxCachedCertificates) {
        m_verifiedCertificates.clear(); // crude bound; the cache only saves CPU
    }
    const QByteArray nodeId = qbytes(crypto::ByteView(node->nodeId()));
    m_verifiedCertificates.insert(
        nodeId,
        VerifiedCertificate{qbytes(crypto::ByteView(node->certificate())), rootPublicKey, node});
}

void ApiService::recoveryParameters(ClientConnection& connection, const api::Request& request) {
    api::RecoveryParametersRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    const quint64 id = request.id();
    const QString username = QString::fromStdString(body.username());
    m_storage->run(
        &connection,
        [username](Repository& repository) { return repository.accountByUsername(username); },
        [client = QPointer<ClientConnection>(&connection),
         id](Result<AccountRecord, StoreError> account) {
            if (!account) {
                respondStoreError(*client, id, account.error());
                return;
            }
            api::RecoveryParameters parameters;
            parameters.set_root_id(stdBytes(account->rootId));
            parameters.set_kdf_parameters(stdBytes(account->recoveryKdfParameters));
            client->respond(id, parameters);
        });
}

void ApiService::recoveryFetch(ClientConnection& connection, const api::Request& request) {
    api::RecoveryFetchRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (!hasLength(body.verifier(), crypto::kRecoveryVerifierSize)) {
        badRequest(connection, request, QStringLiteral("verifier must be 32 bytes"));
        return;
    }
    const quint64 id = request.id();
    const QString username = QString::fromStdString(body.username());
    const auto verifierHash = crypto::sha256(crypto::asBytes(body.verifier()));
    struct Outcome {
        std::optional<AccountRecord> released;
        std::int64_t retryAfterMs = 0;
    };
    m_storage->run(
        &connection,
        [username, verifierHash](Repository& repository) -> Result<Outcome, StoreError> {
            CINDER_TRY_ASSIGN(auto account, repository.accountByUsername(username));
            CINDER_TRY_ASSIGN(auto attempts, repository.recoveryAttempts(account.rootId));
            const std::int64_t now = nowMs();
            if (attempts.lockedUntilMs > now) {
                return Outcome{std::nullopt, attempts.lockedUntilMs - now};
            }
            RecoveryAttempts next;
            Outcome outcome;
            if (crypto::constantTimeEqual(viewOf(account.recoveryVerifierHash), verifierHash)) {
                outcome.released = account;
                (void)repository.recordEvent(account.rootId, QStringLiteral("recovery"), now);
            } else {
                next.consecutiveFailures = attempts.consecutiveFailures + 1;
                if (next.consecutiveFailures >= kFreeRecoveryAttempts) {
                    const int doublings =
                        std::min(next.consecutiveFailures - kFreeRecoveryAttempts, 20);
                    next.lockedUntilMs =
                        now + std::min(kRecoveryBackoffBaseMs << doublings, kRecoveryBackoffMaxMs);
                }
            }
            CINDER_TRY(repository.setRecoveryAttempts(account.rootId, next));
            return outcome;
        },
        [client = QPointer<ClientConnection>(&connection),
         id](Result<Outcome, StoreError> outcome) {
            if (!outcome) {
                respondStoreError(*client, id, outcome.error());
                return;
            }
            if (outcome->retryAfterMs > 0) {
                client->respond(id, api::STATUS_RATE_LIMITED, {},
                                QStringLiteral("too many recovery attempts"),
                                static_cast<quint32>(outcome->retryAfterMs));
                return;
            }
            if (!outcome->released) {
                client->respond(id, api::STATUS_UNAUTHENTICATED, {},
                                QStringLiteral("wrong passphrase"));
                return;
            }
            api::RecoveryBundleResponse response;
            response.set_root_id(stdBytes(outcome->released->rootId));
            response.set_root_public_key(stdBytes(outcome->released->rootPublicKey));
            response.set_recovery_bundle(stdBytes(outcome->released->recoveryBundle));
            response.set_device_list(stdBytes(outcome->released->deviceList));
            client->respond(id, response);
        });
}

void ApiService::getProfile(ClientConnection& connection, const api::Request& request) {
    api::ProfileRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    const quint64 id = request.id();
    const bool byUsername = body.has_username();
    const QString username = QString::fromStdString(body.username());
    const QByteArray rootId = qbytes(body.root_id());
    if (!byUsername && rootId.size() != static_cast<qsizetype>(crypto::kRootIdSize)) {
        badRequest(connection, request, QStringLiteral("give a username or a 32-byte root id"));
        return;
    }
    m_storage->run(
        &connection,
        [byUsername, username, rootId](Repository& repository) {
            return byUsername ? repository.accountByUsername(username)
                              : repository.accountByRootId(rootId);
        },
        [client = QPointer<ClientConnection>(&connection),
         id](Result<AccountRecord, StoreError> account) {
            if (!account) {
                respondStoreError(*client, id, account.error());
                return;
            }
            api::Profile profile;
            fillProfile(profile, *account);
            client->respond(id, profile);
        });
}

void ApiService::discover(ClientConnection& connection, const api::Request& request) {
    api::DiscoverRequest body;
    if (!parseBody(connection, request, body)) {
        return;
    }
    if (body.discovery_hashes_size() > kMaxDiscoveryHashesPerRequest) {
        connection.respond(request.id(), api::STATUS_TOO_LARGE, {},
                           QStringLiteral("at most 256 identifiers per request"));
        return;
    }
    std::vector<QByteArray> hashes;
    for (const std::string& hash : body.discovery_hashes()) {
        if (!hasLength(hash, crypto::kHashSize)) {
            badRequest(connection, request, QStringLiteral("identifiers are 32-byte hashes"));
            return;
        }
        hashes.push_back(qbytes(hash));
    }
    // Throttled per caller: enumerating the directory costs a budget that refills hourly.
    DiscoveryBudget& budget = m_discovery[connection.rootId()];
    const std::int64_t now = nowMs();
    if (now - budget.windowStartMs > 3'600'000) {
        budget = DiscoveryBudget{now, 0};
    }
    if (budget.used + static_cast<int>(hashes.size()) > m_settings.discoveryHashesPerHour) {
        connection.respond(request.id(), api::STATUS_RATE_LIMITED, {},
                           QStringLiteral("contact discovery budget used up"),
                           static_cast<quint32>(budget.windowStartMs + 3'600'000 - now));
        return;
    }
    budget.used += static_cast<int>(hashes.size());
    const quint64 id = request.id();
    m_storage->run(
        &connection,
        [hashes](Repository& repository) { return repository.accountsByDiscoveryHash(hashes); },
        [client = QPointer<ClientConnection>(&connection),
         id](Result<std::vector<AccountRecord>, StoreError> accounts) {
            if (!accounts) {
                respondStoreError(*client, id, accounts.error());
                return;
            }
            api::DiscoverResponse response;
            for (const AccountRecord& account : *accounts) {
                fillProfile(*response.add_matches(), account);
            }
            client->respond(id, response);
        });
}

} // namespace cinder::server
