// SPDX-License-Identifier: Apache-2.0
#pragma once

// The role classes of client/ built by hand, as Session builds them, over a ChannelDouble:
// either a registered account on the real cinder-server (the double passes calls through and
// may rewrite answers) or a local identity with no server at all (every answer scripted).

#include "ChannelDouble.h"
#include "SessionFixture.h"

#include "client/Connection.h"
#include "client/Conversations.h"
#include "client/DeviceDirectory.h"
#include "client/Enrollment.h"
#include "client/Expiry.h"
#include "client/FileTransfer.h"
#include "client/Outbox.h"
#include "client/PrekeyCache.h"
#include "client/ReceivePipeline.h"
#include "client/RoomService.h"
#include "client/SessionContext.h"
#include "client/WorkLoop.h"

#include <QTemporaryDir>

#include <memory>

namespace cinder::test {

// A root id no account has: every byte is fill.
inline crypto::RootId someone(std::uint8_t fill) {
    crypto::RootId id{};
    id.fill(fill);
    return id;
}

class RoleDevice {
public:
    // A new account registered on the real server, its roles over a double in front of it.
    static std::unique_ptr<RoleDevice> registered(SessionFixture& fixture,
                                                  const std::string& username) {
        client::ApiChannel enrollment;
        auto opened = client::Enrollment::createAccount(
            enrollment, fixture.directoryFor(QString::fromStdString(username)),
            {username, secret(kPassphrase), fixture.server().endpoint()}, fastOptions());
        if (!opened) {
            qWarning() << "createAccount failed:" << client::describe(opened.error()).data();
            return nullptr;
        }
        auto device = std::unique_ptr<RoleDevice>(new RoleDevice(std::move(opened).value(), true));
        if (!device->acknowledgePolicy()) {
            return nullptr;
        }
        device->m_connection->goOnline();
        if (!device->m_connection->waitUntilOnline(kWaitMs)) {
            return nullptr;
        }
        return device;
    }

    // A local identity and store, no server: every answer is scripted on channel().
    static std::unique_ptr<RoleDevice> local(const QString& directory,
                                             const std::string& username = "local") {
        auto root = crypto::RootIdentity::generate();
        if (!root) {
            return nullptr;
        }
        auto node = crypto::NodeIdentity::enroll(*root, 1);
        crypto::SecureBuffer klds(32);
        crypto::systemRandom().fill(klds.span());
        auto store = storage::Store::open(directory, klds);
        if (!node || !store) {
            return nullptr;
        }
        client::OpenedAccount account{client::AccountDirectory(directory),
                                      std::move(store).value(),
                                      std::move(root).value(),
                                      std::move(node).value(),
                                      {},
                                      crypto::ReplayGuard(),
                                      {},
                                      username};
        auto device = std::unique_ptr<RoleDevice>(new RoleDevice(std::move(account), false));
        return device->acknowledgePolicy() ? std::move(device) : nullptr;
    }

    client::SessionContext& context() { return m_context; }
    storage::Store& store() { return *m_store; }
    ChannelDouble& channel() { return m_channel; }
    client::Connection& connection() { return *m_connection; }
    client::WorkLoop& work() { return *m_work; }
    client::Expiry& expiry() { return *m_expiry; }
    client::DeviceDirectory& directory() { return *m_directory; }
    client::PrekeyCache& prekeys() { return *m_prekeys; }
    client::FileTransfer& files() { return *m_files; }
    client::Outbox& outbox() { return *m_outbox; }
    client::RoomService& rooms() { return *m_rooms; }
    client::Conversations& conversations() { return *m_conversations; }
    client::ReceivePipeline& receive() { return *m_receive; }

    // The roles' view of the server: through the login (real server) or the double itself.
    client::ServerChannel& roleChannel() {
        return m_viaServer ? static_cast<client::ServerChannel&>(*m_connection) : m_channel;
    }

private:
    // As the app's onboarding does on each device: the roles send nothing before
    // (client::Expiry::requirePolicy).
    bool acknowledgePolicy() { return static_cast<bool>(m_expiry->acknowledgePolicy()); }

    RoleDevice(client::OpenedAccount account, bool viaServer)
        : m_store(std::move(account.store)), m_channel(viaServer ? &m_line : nullptr),
          m_viaServer(viaServer) {
        m_context.options = fastOptions();
        m_context.username = account.username;
        m_context.root = std::make_unique<crypto::RootIdentity>(std::move(account.root));
        m_context.node = std::make_unique<crypto::NodeIdentity>(std::move(account.node));
        m_context.rootId = m_context.node->rootId();
        m_context.nodeId = m_context.node->id();
        storage::Store& store = *m_store;
        m_connection = std::make_unique<client::Connection>(m_channel, m_context, account.server);
        client::ServerChannel& channel = roleChannel();
        m_work = std::make_unique<client::WorkLoop>(m_context);
        m_expiry = std::make_unique<client::Expiry>(store.expiry(), store.settings(),
                                                    store.conversations(), m_context);
        m_directory = std::make_unique<client::DeviceDirectory>(channel, store.contacts(),
                                                                store.settings(), m_context);
        m_prekeys =
            std::make_unique<client::PrekeyCache>(channel, store.keys(), store.usedPrekeys(),
                                                  m_context, *m_directory, std::move(account.pool));
        m_files = std::make_unique<client::FileTransfer>(channel, store.attachments(), m_context,
                                                         m_downloads.path());
        m_outbox = std::make_unique<client::Outbox>(
            channel,
            client::OutboxTables{store.messages(), store.outbox(), store.conversations(),
                                 store.contacts(), store.rooms(), store.attachments(),
                                 store.settings()},
            m_context, *m_directory, *m_prekeys, *m_files, *m_expiry, *m_work);
        m_rooms = std::make_unique<client::RoomService>(
            store.rooms(), store.conversations(), m_context, *m_directory, *m_outbox, *m_expiry);
        m_conversations = std::make_unique<client::Conversations>(
            store.messages(), store.conversations(), m_context, *m_directory, *m_outbox, *m_files,
            *m_expiry);
        m_receive = std::make_unique<client::ReceivePipeline>(
            channel,
            client::ReceiveTables{store.messages(), store.conversations(), store.contacts(),
                                  store.attachments(), store.rooms(), store.replay(),
                                  store.deliveryCommit()},
            m_context, *m_directory, *m_prekeys, *m_rooms, *m_expiry,
            std::move(account.replayGuard));
        m_connection->setAfterLogin([this](const api::AuthResult& login) {
            m_receive->expectDeliveries(login.pending_deliveries());
            return m_prekeys->refillAtLogin(login);
        });
        // Deliveries wait until the test says so (receive().handlePending()).
        QObject::connect(m_connection.get(), &client::ServerChannel::push, m_connection.get(),
                         [this](const api::Push& push) {
                             if (push.has_delivery()) {
                                 m_receive->queue(push.delivery());
                             }
                         });
    }

    client::SessionContext m_context;
    std::unique_ptr<storage::Store> m_store;
    client::ApiChannel m_line;
    ChannelDouble m_channel;
    bool m_viaServer = false;
    QTemporaryDir m_downloads;
    std::unique_ptr<client::Connection> m_connection;
    std::unique_ptr<client::WorkLoop> m_work;
    std::unique_ptr<client::Expiry> m_expiry;
    std::unique_ptr<client::DeviceDirectory> m_directory;
    std::unique_ptr<client::PrekeyCache> m_prekeys;
    std::unique_ptr<client::FileTransfer> m_files;
    std::unique_ptr<client::Outbox> m_outbox;
    std::unique_ptr<client::RoomService> m_rooms;
    std::unique_ptr<client::Conversations> m_conversations;
    std::unique_ptr<client::ReceivePipeline> m_receive;
};

} // namespace cinder::test
