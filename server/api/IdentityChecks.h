// SPDX-License-Identifier: Apache-2.0
#pragma once

// The signature checks the server makes before it stores identity material: a registration's
// device list under the root key it names, a newer device list under the stored root key,
// a login proof, and uploaded prekeys under the device's certified key. The server verifies
// so that it never hands out material a client would refuse; clients verify again themselves.

#include "cinder/api.pb.h"
#include "crypto/NodeCertificate.h"
#include "server/storage/Repository.h"

#include <optional>
#include <vector>

namespace cinder::server {

struct VerifiedRegistration {
    AccountRecord account;
    std::vector<NodeRecord> nodes;
};

[[nodiscard]] bool usernameIsValid(const QString& username);

// nullopt when any key, signature, list or recovery parameter is not valid.
[[nodiscard]] std::optional<VerifiedRegistration>
verifyRegistration(const api::RegisterRequest& request, std::int64_t nowMs);

struct VerifiedDeviceListUpdate {
    std::uint64_t version = 0;
    std::vector<NodeRecord> nodes;
};

// The new list must be signed by the stored root key and be newer than the stored version.
[[nodiscard]] std::optional<VerifiedDeviceListUpdate>
verifyDeviceListUpdate(const AccountRecord& account, const QByteArray& deviceList);

// The device's certificate under the account's root key, as a VerifiedNode.
[[nodiscard]] std::optional<crypto::VerifiedNode> verifyNode(const AccountRecord& account,
                                                             const NodeRecord& node);

[[nodiscard]] std::vector<NodeRecord> nodeRecordsOf(const std::vector<crypto::VerifiedNode>& nodes);

} // namespace cinder::server
