// SPDX-License-Identifier: Apache-2.0
// Every verb of cinder-server against the real server process on a loopback port with a
// temporary SQLite database: registration, impersonation, directory, prekeys handed out once,
// relay with acknowledgement, offline delivery, device lists, recovery with attempt limits,
// blobs, and a packet that travels from one user's device to another's and decrypts.

#include "ApiClient.h"

#include "TestDatabase.h"

#include "crypto/PacketDecoder.h"
#include "crypto/PacketEncoder.h"

#include <QTest>

using namespace cinder;
using namespace cinder::test;

namespace {
int s_userCounter = 0;
bool s_postgres = false; // --pg: the same suite on PostgreSQL

// Unique across test processes sharing one PostgreSQL database.
std::string uniqueName(const char* stem) {
    static const std::string suffix = uniqueRunSuffix().toStdString();
    return std::string(stem) + std::to_string(++s_userCounter) + "-" + suffix;
}

// A registered user with devices, each device logged in on its own connection.
struct Account {
    std::unique_ptr<User> user;
    std::string username;
    std::vector<std::unique_ptr<ApiClient>> clients;

    ApiClient& client(std::size_t i = 0) { return *clients.at(i); }
};
} // namespace

class TestServerApi : public QObject {
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;

    Account registered(const char* stem, std::size_t devices = 1, bool login = true) {
        Account account;
        account.user = makeUser(devices, 0);
        account.username = uniqueName(stem);
        for (auto& device : account.user->devices) {
            account.clients.push_back(std::make_unique<ApiClient>(*m_server, *device));
            if (!account.clients.back()->connect()) {
                throw std::runtime_error("cannot connect");
            }
        }
        const Reply reply = account.client().call(api::VERB_REGISTER,
                                                  registrationFor(*account.user, account.username));
        if (!reply.ok()) {
            throw std::runtime_error("registration failed: " + reply.error.toStdString());
        }
        if (login) {
            for (auto& client : account.clients) {
                if (!client->login().ok()) {
                    throw std::runtime_error("login failed");
                }
            }
        }
        return account;
    }

private slots:
    void initTestCase() {
        QStringList arguments;
        if (s_postgres) {
            const QString url = postgresUrlFromEnvironment();
            if (url.isEmpty()) {
                QSKIP(kPostgresMissing);
            }
            arguments = {QStringLiteral("--database"), url};
        }
        m_server = std::make_unique<ServerProcess>(QStringLiteral(CINDER_SERVER_BINARY), arguments);
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    }

    void cleanupTestCase() {
        if (!m_server) {
            return; // initTestCase skipped or failed before making it
        }
        QCOMPARE(m_server->terminate(), 0); // graceful shutdown exits cleanly
    }

    void registrationRules() {
        auto user = makeUser(1, 0);
        ApiClient client(*m_server, *user->devices[0]);
        QVERIFY(client.connect());
        const std::string name = uniqueName("rules");
        QVERIFY(client.call(api::VERB_REGISTER, registrationFor(*user, name)).ok());
        // The username and the identity are unique.
        auto other = makeUser(1, 0);
        QCOMPARE(client.call(api::VERB_REGISTER, registrationFor(*other, name)).status,
                 api::STATUS_CONFLICT);
        QCOMPARE(
            client.call(api::VERB_REGISTER, registrationFor(*user, uniqueName("again"))).status,
            api::STATUS_CONFLICT);
        // Usernames follow the rules.
        for (const char* bad : {"ab", "UPPER", "with space", "x/y"}) {
            QCOMPARE(client.call(api::VERB_REGISTER, registrationFor(*other, bad)).status,
                     api::STATUS_BAD_REQUEST);
        }
        // A device list not signed by the root key it names is refused.
        auto request = registrationFor(*other, uniqueName("forged"));
        auto mallory = makeUser(1, 0);
        request.set_root_public_key(str(mallory->root.publicKey().bytes()));
        QCOMPARE(client.call(api::VERB_REGISTER, request).status, api::STATUS_BAD_REQUEST);
        // Garbage is a clean error and the connection keeps working.
        QCOMPARE(
            client.connection()
                .requestAndWait(api::VERB_REGISTER, QByteArray("\xff\xff\xff", 3), kReplyTimeoutMs)
                .status,
            api::STATUS_BAD_REQUEST);
        QVERIFY(client.call(api::VERB_PING, api::Empty()).ok());
    }

    void loginProvesTheDeviceKey() {
        Account alice = registered("alice", 1, false);
        Account mallory = registered("mallory");
        ApiClient& client = alice.client();
        // Verbs that need a login are refused before it.
        QCOMPARE(client.call(api::VERB_GET_PROFILE, api::ProfileRequest()).status,
                 api::STATUS_UNAUTHENTICATED);
        // Mallory signs the challenge for Alice's device with her own device key.
        QCOMPARE(client.login(&mallory.user->devices[0]->identity).status,
                 api::STATUS_UNAUTHENTICATED);
        // A proof without a challenge, or a replayed proof, is refused.
        api::AuthProof stale;
        stale.set_root_id(str(alice.user->root.id()));
        stale.set_node_id(str(alice.user->devices[0]->identity.id()));
        stale.set_signature(std::string(132, '\x01'));
        QCOMPARE(client.call(api::VERB_AUTH_PROOF, stale).status, api::STATUS_UNAUTHENTICATED);
        const Reply ok = client.login();
        QVERIFY(ok.ok());
        QVERIFY(client.parse<api::AuthResult>(ok).prekeys_low());
    }

    void profilesAndDiscovery() {
        Account alice = registered("carol");
        Account bob = registered("dave");
        api::ProfileRequest byName;
        byName.set_username(bob.username);
        const Reply reply = alice.client().call(api::VERB_GET_PROFILE, byName);
        QVERIFY(reply.ok());
        const auto profile = alice.client().parse<api::Profile>(reply);
        QCOMPARE(profile.root_id(), str(bob.user->root.id()));
        // The profile's device list verifies under the root key the client pins.
        const auto rootKey = take(crypto::PublicKey::fromBytes(view(profile.root_public_key())));
        auto list = crypto::VerifiedDeviceList::verify(
            crypto::PinnedRoot{bob.user->root.id(), rootKey}, view(profile.device_list()), 0);
        QVERIFY(list.ok());
        QCOMPARE(list->nodes().size(), std::size_t{1});
        api::ProfileRequest byRoot;
        byRoot.set_root_id(str(bob.user->root.id()));
        QVERIFY(alice.client().call(api::VERB_GET_PROFILE, byRoot).ok());
        api::ProfileRequest unknown;
        unknown.set_username("nobody-here");
        QCOMPARE(alice.client().call(api::VERB_GET_PROFILE, unknown).status, api::STATUS_NOT_FOUND);

        api::DiscoverRequest discover;
        discover.add_discovery_hashes(str(crypto::contactDiscoveryHash(bob.username)));
        discover.add_discovery_hashes(str(crypto::contactDiscoveryHash("not-a-user")));
        const Reply found = alice.client().call(api::VERB_DISCOVER, discover);
        QVERIFY(found.ok());
        const auto matches = alice.client().parse<api::DiscoverResponse>(found);
        QCOMPARE(matches.matches_size(), 1);
        QCOMPARE(matches.matches(0).username(), bob.username);
    }

    void prekeysAreHandedOutOnce() {
        Account alice = registered("erin");
        Account bob = registered("frank");
        const Reply uploaded = bob.client().uploadPrekeys(5);
        QVERIFY(uploaded.ok());
        QCOMPARE(bob.client().parse<api::PrekeyStatus>(uploaded).remaining(), 5U);
        const std::string bobNode = str(bob.user->devices[0]->identity.id());
        std::set<std::string> seen;
        for (int i = 0; i < 5; ++i) {
            api::FetchPrekeysRequest fetch;
            fetch.add_node_ids(bobNode);
            const auto response = alice.client().parse<api::FetchPrekeysResponse>(
                alice.client().call(api::VERB_FETCH_PREKEYS, fetch));
            QCOMPARE(response.prekeys_size(), 1);
            QVERIFY(!response.prekeys(0).last_resort());
            QVERIFY(seen.insert(response.prekeys(0).signed_prekey()).second);
            // Every handed-out prekey verifies under Bob's certified device key.
            QVERIFY(crypto::VerifiedPrekey::verify(bob.user->devices[0]->verified(),
                                                   view(response.prekeys(0).signed_prekey()))
                        .ok());
        }
        // The pool is empty: the last-resort key, again and again, and Bob is told to refill.
        for (int i = 0; i < 2; ++i) {
            api::FetchPrekeysRequest fetch;
            fetch.add_node_ids(bobNode);
            const auto response = alice.client().parse<api::FetchPrekeysResponse>(
                alice.client().call(api::VERB_FETCH_PREKEYS, fetch));
            QVERIFY(response.prekeys(0).last_resort());
        }
        QVERIFY(!bob.client().waitForPushes(api::Push::kPrekeysLow, 1).isEmpty());
        // A prekey signed by another device is refused.
        api::UploadPrekeys forged;
        forged.add_signed_prekeys(str(
            take(alice.user->devices[0]->pool.generate(alice.user->devices[0]->identity, 1))[0]));
        QCOMPARE(bob.client().call(api::VERB_UPLOAD_PREKEYS, forged).status,
                 api::STATUS_BAD_REQUEST);
    }

    void packetTravelsEndToEnd() {
        Account alice = registered("grace");
        Account bob = registered("heidi", 2);
        for (auto& client : bob.clients) {
            QVERIFY(client->uploadPrekeys(3).ok());
        }
        // Alice fetches Bob's profile and prekeys, verifies them, encodes, sends.
        api::ProfileRequest byName;
        byName.set_username(bob.username);
        const auto profile =
            alice.client().parse<api::Profile>(alice.client().call(api::VERB_GET_PROFILE, byName));
        const crypto::PinnedRoot pinned{bob.user->root.id(), take(crypto::PublicKey::fromBytes(
                                                                 view(profile.root_public_key())))};
        const auto list =
            take(crypto::VerifiedDeviceList::verify(pinned, view(profile.device_list()), 0));
        api::FetchPrekeysRequest fetch;
        for (const auto& node : list.nodes()) {
            fetch.add_node_ids(str(node.nodeId()));
        }
        const auto fetched = alice.client().parse<api::FetchPrekeysResponse>(
            alice.client().call(api::VERB_FETCH_PREKEYS, fetch));
        std::vector<crypto::VerifiedPrekey> prekeys;
        prekeys.reserve(list.nodes().size());
        std::vector<crypto::RecipientDevice> recipients;
        for (int i = 0; i < fetched.prekeys_size(); ++i) {
            const crypto::VerifiedNode& node = list.nodes().at(static_cast<std::size_t>(i));
            prekeys.push_back(take(
                crypto::VerifiedPrekey::verify(node, view(fetched.prekeys(i).signed_prekey()))));
        }
        for (std::size_t i = 0; i < prekeys.size(); ++i) {
            recipients.push_back(crypto::RecipientDevice{&list.nodes()[i], &prekeys[i]});
        }
        Device& sender = *alice.user->devices[0];
        const crypto::Bytes packet =
            take(crypto::PacketEncoder(sender.identity)
                     .encode(textMetadata(sender), crypto::asBytes("over the wire"), recipients));
        api::SendRequest send;
        send.set_packet(str(packet));
        for (const auto& recipient : recipients) {
            send.add_recipient_node_ids(str(recipient.node->nodeId()));
        }
        const Reply sent = alice.client().call(api::VERB_SEND, send);
        QVERIFY(sent.ok());
        QCOMPARE(alice.client().parse<api::SendResponse>(sent).queued(), 2U);
        for (auto& client : bob.clients) {
            const auto deliveries = client->waitForPushes(api::Push::kDelivery, 1);
            QCOMPARE(deliveries.size(), 1);
            const api::Delivery& delivery = deliveries[0].delivery();
            // The server names the authenticated sender; the client checks the chain itself.
            QCOMPARE(delivery.sender_node_id(), str(sender.identity.id()));
            auto decoded =
                client->device().decoder().decode(view(delivery.packet()), sender.verified());
            QVERIFY(decoded.ok());
            QCOMPARE(crypto::toStdString(decoded->content), std::string("over the wire"));
            QVERIFY(client->acknowledge({delivery}).ok());
        }
    }

    void offlineDeliveryAndAcknowledgement() {
        Account alice = registered("ivan");
        Account bob = registered("judy");
        Account carol = registered("ken");
        bob.client().disconnect();
        const std::string bobNode = str(bob.user->devices[0]->identity.id());
        const std::string carolNode = str(carol.user->devices[0]->identity.id());
        for (int i = 0; i < 3; ++i) {
            api::SendRequest send;
            send.set_packet("opaque packet " + std::to_string(i));
            send.add_recipient_node_ids(bobNode);
            send.add_recipient_node_ids(carolNode);
            QVERIFY(alice.client().call(api::VERB_SEND, send).ok());
        }
        // Carol is online: three pushes, in order.
        const auto carolPushes = carol.client().waitForPushes(api::Push::kDelivery, 3);
        QCOMPARE(carolPushes.size(), 3);
        QVERIFY(carolPushes[0].delivery().delivery_id() < carolPushes[1].delivery().delivery_id());
        QCOMPARE(carolPushes[2].delivery().packet(), std::string("opaque packet 2"));

        // Bob comes back: his three are waiting, in order.
        ApiClient bobAgain(*m_server, *bob.user->devices[0]);
        QVERIFY(bobAgain.connect());
        const Reply login = bobAgain.login();
        QVERIFY(login.ok());
        QCOMPARE(bobAgain.parse<api::AuthResult>(login).pending_deliveries(), 3U);
        const auto bobDeliveries = bobAgain.waitForPushes(api::Push::kDelivery, 3);
        QCOMPARE(bobDeliveries.size(), 3);
        QCOMPARE(bobDeliveries[0].delivery().packet(), std::string("opaque packet 0"));

        // Bob cannot acknowledge (delete) Carol's rows.
        QList<api::Delivery> carolRows;
        for (const auto& push : carolPushes) {
            carolRows.append(push.delivery());
        }
        QCOMPARE(bobAgain.parse<api::AckResponse>(bobAgain.acknowledge(carolRows)).deleted(), 0U);
        // Carol acknowledges only the first; a sync brings the other two again.
        QCOMPARE(carol.client()
                     .parse<api::AckResponse>(carol.client().acknowledge({carolRows[0]}))
                     .deleted(),
                 1U);
        carol.client().clearPushes();
        QVERIFY(carol.client().call(api::VERB_SYNC, api::SyncRequest()).ok());
        const auto again = carol.client().waitForPushes(api::Push::kDelivery, 2);
        QCOMPARE(again.size(), 2);
        QCOMPARE(again[0].delivery().delivery_id(), carolRows[1].delivery_id());
    }

    void fanoutListsAreForEfficiencyOnly() {
        Account alice = registered("quinn");
        Account bob = registered("rita", 2);
        Account mallory = registered("sam");
        // Random: the PostgreSQL variant shares its database with earlier runs.
        const std::string fanoutId = str(crypto::systemRandom().bytes(32));
        api::FanoutList list;
        list.set_fanout_id(fanoutId);
        for (auto& device : bob.user->devices) {
            list.add_node_ids(str(device->identity.id()));
        }
        list.add_node_ids(str(alice.user->devices[0]->identity.id())); // the sender is skipped
        QVERIFY(alice.client().call(api::VERB_SET_FANOUT, list).ok());
        // The list belongs to whoever set it first.
        list.add_node_ids(str(mallory.user->devices[0]->identity.id()));
        QCOMPARE(mallory.client().call(api::VERB_SET_FANOUT, list).status, api::STATUS_CONFLICT);
        api::SendRequest send;
        send.set_packet("to the room");
        send.set_fanout_id(fanoutId);
        const Reply sent = alice.client().call(api::VERB_SEND, send);
        QVERIFY(sent.ok());
        QCOMPARE(alice.client().parse<api::SendResponse>(sent).queued(), 2U);
        for (auto& client : bob.clients) {
            QCOMPARE(client->waitForPushes(api::Push::kDelivery, 1).size(), 1);
        }
        QVERIFY(alice.client().deliveries().isEmpty());
        QVERIFY(mallory.client().deliveries().isEmpty());
        // A fan-out list nobody set is an error, not a silent drop.
        send.set_fanout_id(str(crypto::systemRandom().bytes(32)));
        QCOMPARE(alice.client().call(api::VERB_SEND, send).status, api::STATUS_NOT_FOUND);
    }

    void expiredMessagesAreNeverDelivered() {
        Account alice = registered("olga");
        Account bob = registered("pete");
        bob.client().disconnect();
        const std::string bobNode = str(bob.user->devices[0]->identity.id());
        api::SendRequest shortLived;
        shortLived.set_packet("expires in one second");
        shortLived.set_ttl_seconds(1);
        shortLived.add_recipient_node_ids(bobNode);
        QVERIFY(alice.client().call(api::VERB_SEND, shortLived).ok());
        api::SendRequest longLived;
        longLived.set_packet("kept for a day");
        longLived.set_ttl_seconds(86400);
        longLived.add_recipient_node_ids(bobNode);
        QVERIFY(alice.client().call(api::VERB_SEND, longLived).ok());
        QTest::qWait(1500);
        ApiClient bobAgain(*m_server, *bob.user->devices[0]);
        QVERIFY(bobAgain.connect());
        QVERIFY(bobAgain.login().ok());
        const auto deliveries = bobAgain.waitForPushes(api::Push::kDelivery, 1);
        QCOMPARE(deliveries.size(), 1);
        QCOMPARE(deliveries[0].delivery().packet(), std::string("kept for a day"));
        QTest::qWait(300); // nothing else trickles in
        QCOMPARE(bobAgain.deliveries().size(), 1);
    }

    void deviceListUpdatesAreRootSignedAndNewer() {
        Account alice = registered("liam");
        Device& second = alice.user->addDevice(0);
        std::vector<crypto::Bytes> certificates = {alice.user->devices[0]->identity.certificate(),
                                                   second.identity.certificate()};
        api::DeviceListUpdate update;
        update.set_root_id(str(alice.user->root.id()));
        update.set_device_list(str(take(alice.user->root.signDeviceList(2, certificates))));
        QVERIFY(alice.client().call(api::VERB_PUBLISH_DEVICE_LIST, update).ok());
        // The same or an older version is a rollback.
        QCOMPARE(alice.client().call(api::VERB_PUBLISH_DEVICE_LIST, update).status,
                 api::STATUS_CONFLICT);
        // Signed by someone else's root: refused.
        auto mallory = makeUser(1, 0);
        update.set_device_list(str(take(mallory->root.signDeviceList(3, certificates))));
        QCOMPARE(alice.client().call(api::VERB_PUBLISH_DEVICE_LIST, update).status,
                 api::STATUS_CONFLICT);
        // The new device can log in now.
        ApiClient secondClient(*m_server, second);
        QVERIFY(secondClient.connect());
        QVERIFY(secondClient.login().ok());
        // Removing the first device closes its connection and blocks its login.
        update.set_device_list(str(take(alice.user->root.signDeviceList(
            3, std::vector<crypto::Bytes>{second.identity.certificate()}))));
        QSignalSpy closed(&alice.client().connection(), &net::ServerConnection::disconnected);
        QVERIFY(secondClient.call(api::VERB_PUBLISH_DEVICE_LIST, update).ok());
        QVERIFY(closed.count() > 0 || closed.wait(kReplyTimeoutMs));
        ApiClient removed(*m_server, *alice.user->devices[0]);
        QVERIFY(removed.connect());
        QCOMPARE(removed.login().status, api::STATUS_UNAUTHENTICATED);
    }

    void recoveryBundleNeedsTheVerifier() {
        Account alice = registered("mia");
        ApiClient stranger(*m_server, *alice.user->devices[0]);
        QVERIFY(stranger.connect());
        api::RecoveryParametersRequest parametersRequest;
        parametersRequest.set_username(alice.username);
        const auto parameters = stranger.parse<api::RecoveryParameters>(
            stranger.call(api::VERB_RECOVERY_PARAMETERS, parametersRequest));
        const auto kdf =
            take(crypto::decodeRecoveryKdfParameters(view(parameters.kdf_parameters())));
        const auto verifier =
            take(crypto::deriveRecoveryVerifier(kdf, crypto::asBytes(kPassphrase)));
        const auto wrong =
            take(crypto::deriveRecoveryVerifier(kdf, crypto::asBytes("wrong guess")));

        api::RecoveryFetchRequest fetch;
        fetch.set_username(alice.username);
        fetch.set_verifier(str(wrong.view()));
        QCOMPARE(stranger.call(api::VERB_RECOVERY_FETCH, fetch).status,
                 api::STATUS_UNAUTHENTICATED);
        fetch.set_verifier(str(verifier.view()));
        const Reply released = stranger.call(api::VERB_RECOVERY_FETCH, fetch);
        QVERIFY(released.ok());
        const auto bundle = stranger.parse<api::RecoveryBundleResponse>(released);
        auto keys = crypto::openRecoveryBundle(view(bundle.recovery_bundle()),
                                               alice.user->root.id(), crypto::asBytes(kPassphrase));
        QVERIFY(keys.ok());
        QVERIFY(keys->root.publicKey() == alice.user->root.publicKey());
        // Repeated wrong guesses lock the bundle for a while, even for the right verifier.
        fetch.set_verifier(str(wrong.view()));
        Reply last;
        for (int i = 0; i < 6; ++i) {
            last = stranger.call(api::VERB_RECOVERY_FETCH, fetch);
        }
        QCOMPARE(last.status, api::STATUS_RATE_LIMITED);
        QVERIFY(last.retryAfterMs > 0);
        fetch.set_verifier(str(verifier.view()));
        QCOMPARE(stranger.call(api::VERB_RECOVERY_FETCH, fetch).status, api::STATUS_RATE_LIMITED);
    }

    void blobsUploadInPiecesWithResume() {
        Account alice = registered("nina");
        Account bob = registered("oscar");
        const QByteArray blob(300 * 1024, 'b');
        api::BlobBeginRequest begin;
        begin.set_size(static_cast<std::uint64_t>(blob.size()));
        begin.set_sha256(str(crypto::sha256(crypto::asBytes(blob.toStdString()))));
        const auto status =
            alice.client().parse<api::BlobStatus>(alice.client().call(api::VERB_BLOB_BEGIN, begin));
        QCOMPARE(status.received(), 0U);
        auto put = [&](std::uint64_t offset, qsizetype length) {
            api::BlobChunk chunk;
            chunk.set_blob_id(status.blob_id());
            chunk.set_offset(offset);
            chunk.set_data(blob.mid(static_cast<qsizetype>(offset), length).toStdString());
            return alice.client().call(api::VERB_BLOB_PUT, chunk);
        };
        QVERIFY(put(0, 100 * 1024).ok());
        // The upload was interrupted: ask where to resume.
        api::BlobStatusRequest query;
        query.set_blob_id(status.blob_id());
        const auto resumed = alice.client().parse<api::BlobStatus>(
            alice.client().call(api::VERB_BLOB_STATUS, query));
        QCOMPARE(resumed.received(), std::uint64_t{100 * 1024});
        QCOMPARE(put(50, 10).status, api::STATUS_BAD_REQUEST); // not at the resume point
        // Only the owner appends.
        api::BlobChunk foreign;
        foreign.set_blob_id(status.blob_id());
        foreign.set_offset(resumed.received());
        foreign.set_data("x");
        QCOMPARE(bob.client().call(api::VERB_BLOB_PUT, foreign).status, api::STATUS_NOT_FOUND);
        QVERIFY(put(resumed.received(), 200 * 1024).ok());
        QByteArray downloaded;
        while (downloaded.size() < blob.size()) {
            api::BlobGetRequest get;
            get.set_blob_id(status.blob_id());
            get.set_offset(static_cast<std::uint64_t>(downloaded.size()));
            get.set_length(64 * 1024);
            const Reply reply = bob.client().call(api::VERB_BLOB_GET, get);
            QVERIFY(reply.ok());
            downloaded +=
                QByteArray::fromStdString(bob.client().parse<api::BlobChunk>(reply).data());
        }
        QCOMPARE(downloaded, blob);
    }
};

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments();
    s_postgres = takePostgresFlag(arguments);
    TestServerApi test;
    return QTest::qExec(&test, arguments);
}
#include "tst_server_api.moc"
