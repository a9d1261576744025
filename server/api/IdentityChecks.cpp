// SPDX-License-Identifier: Apache-2.0
#include "server/api/IdentityChecks.h"

#include "crypto/DeviceList.h"
#include "crypto/Hash.h"
#include "crypto/RecoveryBundle.h"
#include "server/api/ApiHelpers.h"

#include <QRegularExpression>

namespace cinder::server {

using namespace cinder::crypto;

bool usernameIsValid(const QString& username) {
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9._-]{3,32}$"));
    return pattern.match(username).hasMatch();
}

std::vector<NodeRecord> nodeRecordsOf(const std::vector<VerifiedNode>& nodes) {
    std::vector<NodeRecord> records;
    records.reserve(nodes.size());
    for (const VerifiedNode& node : nodes) {
        records.push_back(NodeRecord{
            qbytes(ByteView(node.nodeId())), qbytes(ByteView(node.rootId())),
            qbytes(ByteView(node.nodeKey().bytes())), qbytes(ByteView(node.certificate()))});
    }
    return records;
}

std::optional<VerifiedRegistration> verifyRegistration(const api::RegisterRequest& request,
                                                       std::int64_t nowMs) {
    const auto rootId = fixedFromBytes<kRootIdSize>(asBytes(request.root_id()));
    auto rootKey = PublicKey::fromBytes(asBytes(request.root_public_key()));
    if (!rootId || !rootKey || request.recovery_verifier().size() != kRecoveryVerifierSize ||
        request.discovery_hash().size() != kHashSize) {
        return std::nullopt;
    }
    auto list = VerifiedDeviceList::verify(PinnedRoot{*rootId, *rootKey},
                                           asBytes(request.device_list()), 0);
    if (!list || list->nodes().empty() || list->skippedNodes() != 0) {
        return std::nullopt;
    }
    // The recovery material is opaque, but it must at least be a well-formed bundle whose
    // parameters are the ones handed out before a fetch.
    auto bundleParameters = recoveryKdfParameters(asBytes(request.recovery_bundle()));
    auto announced = decodeRecoveryKdfParameters(asBytes(request.recovery_kdf_parameters()));
    if (!bundleParameters || !announced || !(*bundleParameters == *announced)) {
        return std::nullopt;
    }
    VerifiedRegistration registration;
    AccountRecord& account = registration.account;
    account.username = QString::fromStdString(request.username());
    account.rootId = qbytes(request.root_id());
    account.rootPublicKey = qbytes(request.root_public_key());
    account.deviceList = qbytes(request.device_list());
    account.deviceListVersion = list->version();
    account.recoveryBundle = qbytes(request.recovery_bundle());
    account.recoveryVerifierHash = qbytes(ByteView(sha256(asBytes(request.recovery_verifier()))));
    account.recoveryKdfParameters = qbytes(request.recovery_kdf_parameters());
    account.discoveryHash = qbytes(request.discovery_hash());
    account.createdAtMs = nowMs;
    registration.nodes = nodeRecordsOf(list->nodes());
    return registration;
}

std::optional<VerifiedDeviceListUpdate> verifyDeviceListUpdate(const AccountRecord& account,
                                                               const QByteArray& deviceList) {
    const auto rootId = fixedFromBytes<kRootIdSize>(viewOf(account.rootId));
    auto rootKey = PublicKey::fromBytes(viewOf(account.rootPublicKey));
    if (!rootId || !rootKey) {
        return std::nullopt;
    }
    auto list = VerifiedDeviceList::verify(PinnedRoot{*rootId, *rootKey}, viewOf(deviceList),
                                           account.deviceListVersion + 1);
    if (!list || list->skippedNodes() != 0) {
        return std::nullopt;
    }
    return VerifiedDeviceListUpdate{list->version(), nodeRecordsOf(list->nodes())};
}

std::optional<VerifiedNode> verifyNode(const AccountRecord& account, const NodeRecord& node) {
    const auto rootId = fixedFromBytes<kRootIdSize>(viewOf(account.rootId));
    auto rootKey = PublicKey::fromBytes(viewOf(account.rootPublicKey));
    if (!rootId || !rootKey || node.rootId != account.rootId) {
        return std::nullopt;
    }
    auto verified = VerifiedNode::verify(PinnedRoot{*rootId, *rootKey}, viewOf(node.certificate));
    if (!verified || qbytes(ByteView(verified->nodeId())) != node.nodeId) {
        return std::nullopt;
    }
    return std::move(verified).value();
}

} // namespace cinder::server
