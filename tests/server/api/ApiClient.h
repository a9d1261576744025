// SPDX-License-Identifier: Apache-2.0
#pragma once

// A device of a test user talking to the real cinder-server: the crypto identity from the
// protocol fixture, a pinned TLS connection, and the pushes it received.

#include "ProtocolFixture.h"
#include "ServerProcess.h"

#include "cinder/api.pb.h"
#include "crypto/ContactDiscovery.h"
#include "crypto/DeviceList.h"
#include "crypto/RecoveryBundle.h"
#include "net/ServerConnection.h"

#include <QList>
#include <QSignalSpy>
#include <QTest>

namespace cinder::test {

namespace api = cinder::api;
using net::Reply;

inline std::string str(crypto::ByteView bytes) {
    return crypto::toStdString(bytes);
}
inline crypto::ByteView view(const std::string& bytes) {
    return crypto::asBytes(bytes);
}

constexpr int kReplyTimeoutMs = 20000;
inline const char* kPassphrase = "correct horse battery staple";
inline const crypto::ScryptCost kTestScrypt{10, 8, 1};

class ApiClient {
public:
    ApiClient(ServerProcess& server, Device& device) : m_server(server), m_device(&device) {
        QObject::connect(&m_connection, &net::ServerConnection::push,
                         [this](const api::Push& push) { m_pushes.append(push); });
    }

    bool connect() {
        QSignalSpy connected(&m_connection, &net::ServerConnection::connected);
        m_connection.open(m_server.endpoint());
        return connected.wait(kReplyTimeoutMs) || m_connection.isConnected();
    }

    Reply call(api::Verb verb, const google::protobuf::Message& body) {
        return m_connection.requestAndWait(verb, body, kReplyTimeoutMs);
    }

    template <typename Message>
    Message parse(const Reply& reply) {
        Message message;
        if (!reply.parseBody(message)) {
            throw std::runtime_error("response body does not parse");
        }
        return message;
    }

    // Challenge, then the proof signed with this device's node key.
    Reply login(const crypto::NodeIdentity* signer = nullptr) {
        const crypto::NodeIdentity& identity = m_device->identity;
        api::AuthChallengeRequest challengeRequest;
        challengeRequest.set_root_id(str(identity.rootId()));
        challengeRequest.set_node_id(str(identity.id()));
        const Reply challengeReply = call(api::VERB_AUTH_CHALLENGE, challengeRequest);
        if (!challengeReply.ok()) {
            return challengeReply;
        }
        const auto challenge = parse<api::AuthChallenge>(challengeReply);
        const crypto::NodeIdentity& key = signer != nullptr ? *signer : identity;
        api::AuthProof proof;
        proof.set_root_id(str(identity.rootId()));
        proof.set_node_id(str(identity.id()));
        proof.set_signature(
            str(take(key.signLoginChallenge(view(challenge.nonce()), challenge.server_name()))));
        return call(api::VERB_AUTH_PROOF, proof);
    }

    Reply uploadPrekeys(std::size_t count, bool withLastResort = true) {
        api::UploadPrekeys upload;
        for (const crypto::Bytes& signedPrekey :
             take(m_device->pool.generate(m_device->identity, count))) {
            upload.add_signed_prekeys(str(signedPrekey));
        }
        if (withLastResort) {
            upload.set_last_resort(
                str(take(m_device->pool.generateLastResort(m_device->identity))));
        }
        return call(api::VERB_UPLOAD_PREKEYS, upload);
    }

    // Waits until at least `count` pushes of the kind arrived; returns them.
    QList<api::Push> waitForPushes(api::Push::KindCase kind, int count) {
        QList<api::Push> matching;
        const auto collect = [&] {
            matching.clear();
            for (const api::Push& push : m_pushes) {
                if (push.kind_case() == kind) {
                    matching.append(push);
                }
            }
            return matching.size() >= count;
        };
        for (int i = 0; i < 400 && !collect(); ++i) {
            QTest::qWait(50);
        }
        return matching;
    }

    QList<api::Delivery> deliveries() {
        QList<api::Delivery> out;
        for (const api::Push& push : m_pushes) {
            if (push.has_delivery()) {
                out.append(push.delivery());
            }
        }
        return out;
    }

    Reply acknowledge(const QList<api::Delivery>& deliveries) {
        api::AckRequest ack;
        for (const api::Delivery& delivery : deliveries) {
            ack.add_delivery_ids(delivery.delivery_id());
        }
        return call(api::VERB_ACK, ack);
    }

    void clearPushes() { m_pushes.clear(); }
    void disconnect() { m_connection.close(); }
    Device& device() { return *m_device; }
    net::ServerConnection& connection() { return m_connection; }

private:
    ServerProcess& m_server;
    Device* m_device;
    net::ServerConnection m_connection;
    QList<api::Push> m_pushes;
};

// The registration of a user whose first device is devices[0].
inline api::RegisterRequest registrationFor(User& user, const std::string& username) {
    api::RegisterRequest request;
    request.set_username(username);
    request.set_root_id(str(user.root.id()));
    request.set_root_public_key(str(user.root.publicKey().bytes()));
    std::vector<crypto::Bytes> certificates;
    for (auto& device : user.devices) {
        certificates.push_back(device->identity.certificate());
    }
    request.set_device_list(str(take(user.root.signDeviceList(1, certificates))));
    auto sealed =
        take(crypto::sealRecoveryBundle(user.root, crypto::asBytes(kPassphrase), kTestScrypt));
    request.set_recovery_bundle(str(sealed.bundle));
    request.set_recovery_verifier(str(sealed.verifier.view()));
    request.set_recovery_kdf_parameters(str(
        crypto::encodeRecoveryKdfParameters(take(crypto::recoveryKdfParameters(sealed.bundle)))));
    request.set_discovery_hash(str(crypto::contactDiscoveryHash(username)));
    return request;
}

} // namespace cinder::test
