// SPDX-License-Identifier: Apache-2.0
//
// Account generation (identities, device lists, recovery bundles) and pipelined registration.

#include "Accounts.h"

#include "Bytes.h"
#include "MainLoop.h"

#include "cinder/api.pb.h"
#include "crypto/ContactDiscovery.h"
#include "crypto/DeviceList.h"
#include "crypto/RecoveryBundle.h"
#include "net/ServerConnection.h"

#include <QByteArray>
#include <QObject>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <thread>

namespace cinder::bench {

using test::Device;
using test::ServerProcess;
using test::take;
using test::User;

std::vector<Account> makeAccounts(int users, int devices, const std::string& prefix,
                                  const crypto::ScryptCost& cost) {
    std::vector<Account> accounts(static_cast<std::size_t>(users));
    std::atomic<int> next{0};
    auto work = [&] {
        for (int i = next++; i < users; i = next++) {
            Account& account = accounts[static_cast<std::size_t>(i)];
            account.user = std::make_unique<User>(take(crypto::RootIdentity::generate()));
            std::vector<crypto::Bytes> certificates;
            for (int d = 0; d < devices; ++d) {
                account.user->devices.push_back(std::make_unique<Device>(
                    take(crypto::NodeIdentity::enroll(account.user->root, cinder::test::nowMs()))));
                certificates.push_back(account.user->devices.back()->identity.certificate());
            }
            const std::string username = prefix + std::to_string(i);
            const crypto::RootIdentity& root = account.user->root;
            api::RegisterRequest request;
            request.set_username(username);
            request.set_root_id(str(root.id()));
            request.set_root_public_key(str(root.publicKey().bytes()));
            request.set_device_list(str(take(root.signDeviceList(1, certificates))));
            auto sealed = take(
                crypto::sealRecoveryBundle(root, crypto::asBytes("relay load passphrase"), cost));
            request.set_recovery_bundle(str(sealed.bundle));
            request.set_recovery_verifier(str(sealed.verifier.view()));
            request.set_recovery_kdf_parameters(str(crypto::encodeRecoveryKdfParameters(
                take(crypto::recoveryKdfParameters(sealed.bundle)))));
            request.set_discovery_hash(str(crypto::contactDiscoveryHash(username)));
            account.registration = request.SerializeAsString();
        }
    };
    const unsigned threads = std::max(1U, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back(work);
    for (auto& thread : pool)
        thread.join();
    return accounts;
}

bool registerAll(const ServerProcess& server, const std::vector<Account>& accounts) {
    constexpr int kLinks = 4;
    constexpr int kWindow = 16;
    QObject context;
    std::vector<std::unique_ptr<net::ServerConnection>> links;
    for (int i = 0; i < kLinks; ++i) {
        links.push_back(std::make_unique<net::ServerConnection>());
        links.back()->open(server.endpoint());
    }
    if (!waitFor(
            [&] {
                return std::all_of(links.begin(), links.end(),
                                   [](const auto& link) { return link->isConnected(); });
            },
            30000)) {
        std::printf("registration: cannot connect\n");
        return false;
    }
    std::size_t next = 0;
    std::size_t done = 0;
    int failures = 0;
    std::function<void(net::ServerConnection&)> issue = [&](net::ServerConnection& link) {
        if (next >= accounts.size())
            return;
        const std::string& body = accounts[next++].registration;
        link.request(api::VERB_REGISTER, QByteArray(body.data(), qsizetype(body.size())), &context,
                     [&, linkPtr = &link](const net::Reply& reply) {
                         ++done;
                         if (!reply.ok()) {
                             if (++failures <= 3)
                                 std::printf("registration failed: status %d %s\n",
                                             int(reply.status), qPrintable(reply.error));
                             return;
                         }
                         issue(*linkPtr);
                     });
    };
    for (auto& link : links)
        for (int w = 0; w < kWindow; ++w)
            issue(*link);
    waitFor([&] { return done >= accounts.size() || failures > 0; }, 600000);
    for (auto& link : links)
        link->close();
    return failures == 0 && done == accounts.size();
}

} // namespace cinder::bench
