// SPDX-License-Identifier: Apache-2.0
// Contacts and devices: lookup, trust on first use of the root key, device lists checked
// against the pinned key, identity changes that block sending until accepted, and key
// verification.
#include "client/DeviceDirectory.h"

#include "client/SessionContext.h"
#include "client/SessionInternal.h"

#include "crypto/Fingerprint.h"

namespace cinder::client {

using crypto::fail;
using detail::orFail;
using detail::str;
using detail::view;

namespace {
const std::string_view kOwnDeviceListSetting = "own-device-list";
} // namespace

DeviceDirectory::DeviceDirectory(ServerChannel& channel, storage::ContactTable& contacts,
                                 storage::SettingsTable& settings, const SessionContext& context)
    : m_channel(channel), m_contacts(contacts), m_settings(settings), m_context(context) {}

const crypto::VerifiedDeviceList& DeviceDirectory::cache(const crypto::RootId& rootId,
                                                         crypto::VerifiedDeviceList list,
                                                         std::int64_t atMs) {
    return m_devices.insert_or_assign(rootId, CachedDevices{std::move(list), atMs})
        .first->second.list;
}

SessionResult<std::vector<DeviceInfo>> DeviceDirectory::devices() {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(const auto* list, devicesOf(m_context.rootId, true));
    std::vector<DeviceInfo> out;
    for (const crypto::VerifiedNode& node : list->nodes()) {
        out.push_back(
            DeviceInfo{node.nodeId(), node.createdAtMs(), node.nodeId() == m_context.nodeId});
    }
    return out;
}

SessionResult<void> DeviceDirectory::removeDevice(const crypto::NodeId& removed) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (removed == m_context.nodeId) {
        return fail(SessionError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(const auto* list, devicesOf(m_context.rootId, true));
    std::vector<crypto::Bytes> certificates;
    bool found = false;
    for (const crypto::VerifiedNode& node : list->nodes()) {
        if (node.nodeId() == removed) {
            found = true;
        } else {
            certificates.push_back(node.certificate());
        }
    }
    if (!found) {
        return fail(SessionError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(const auto signedList,
                      orFail(m_context.root->signDeviceList(list->version() + 1, certificates),
                             SessionError::CryptoFailure));
    api::DeviceListUpdate update;
    update.set_root_id(str(m_context.rootId));
    update.set_device_list(str(signedList));
    CINDER_TRY(detail::accepted(m_channel.call(api::VERB_PUBLISH_DEVICE_LIST, update)));
    m_devices.erase(m_context.rootId);
    return {};
}

SessionResult<api::Profile> DeviceDirectory::fetchProfile(const api::ProfileRequest& request) {
    CINDER_TRY_ASSIGN(auto profile, detail::replyAs<api::Profile>(
                                        m_channel.call(api::VERB_GET_PROFILE, request)));
    if (profile.root_id().size() != crypto::kRootIdSize) {
        return fail(SessionError::ServerMisbehaved);
    }
    return profile;
}

SessionResult<storage::ContactRecord> DeviceDirectory::pin(const api::Profile& profile,
                                                           std::string_view expectedUsername) {
    const auto rootId = detail::idFrom<crypto::RootId>(profile.root_id());
    auto key = crypto::PublicKey::fromBytes(view(profile.root_public_key()));
    if (!rootId || !key || (!expectedUsername.empty() && profile.username() != expectedUsername)) {
        return fail(SessionError::ServerMisbehaved);
    }
    auto list = crypto::VerifiedDeviceList::verify({*rootId, *key}, view(profile.device_list()), 0);
    if (!list || list->rootId() != *rootId) {
        return fail(SessionError::ServerMisbehaved);
    }
    storage::ContactRecord contact;
    contact.rootId = *rootId;
    contact.username = profile.username();
    contact.pinnedRootKey = key->bytes();
    contact.deviceListVersion = list->version();
    contact.deviceList = crypto::toBytes(view(profile.device_list()));
    contact.addedAtMs = m_context.now();
    CINDER_TRY(m_contacts.save(contact));
    cache(*rootId, std::move(list).value(), m_context.now());
    qCInfo(lcSession) << "pinned a new contact" << detail::shortId(*rootId);
    Q_EMIT contactChanged(*rootId);
    return contact;
}

SessionResult<storage::ContactRecord> DeviceDirectory::pinById(const crypto::RootId& rootId) {
    api::ProfileRequest request;
    request.set_root_id(str(rootId));
    CINDER_TRY_ASSIGN(const auto profile, fetchProfile(request));
    return pin(profile, {});
}

SessionResult<storage::ContactRecord> DeviceDirectory::addContact(std::string_view username) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (!detail::isValidUsername(username)) {
        return fail(SessionError::InvalidArgument);
    }
    CINDER_TRY_ASSIGN(auto existing, m_contacts.findByUsername(username));
    if (existing) {
        return std::move(*existing);
    }
    api::ProfileRequest request;
    request.set_username(std::string(username));
    CINDER_TRY_ASSIGN(const auto profile, fetchProfile(request));
    if (profile.root_id() == str(m_context.rootId)) {
        return fail(SessionError::InvalidArgument); // oneself is not a contact
    }
    return pin(profile, username);
}

SessionResult<storage::ContactRecord> DeviceDirectory::contactNamed(std::string_view username) {
    CINDER_TRY_ASSIGN(auto contact, m_contacts.findByUsername(username));
    return orFail(std::move(contact), SessionError::UnknownUser);
}

SessionResult<std::vector<storage::ContactRecord>> DeviceDirectory::contacts() {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(auto all, m_contacts.all());
    return all;
}

SessionResult<const crypto::VerifiedDeviceList*>
DeviceDirectory::devicesOf(const crypto::RootId& id, bool forceRefresh) {
    const auto cached = m_devices.find(id);
    if (!forceRefresh && cached != m_devices.end() &&
        m_context.now() - cached->second.fetchedAtMs < m_context.options.deviceListMaxAgeMs) {
        return &cached->second.list;
    }

    const bool own = id == m_context.rootId;
    crypto::PinnedRoot pinned{id, m_context.node->rootPublicKey()};
    std::uint64_t highest = 0;
    crypto::Bytes storedList;
    if (own) {
        if (auto stored = m_settings.get(kOwnDeviceListSetting); stored && *stored) {
            storedList = std::move(**stored);
            if (auto list = crypto::VerifiedDeviceList::verify(pinned, storedList, 0)) {
                highest = list->version();
            }
        }
    } else {
        CINDER_TRY_ASSIGN(auto record, m_contacts.find(id));
        CINDER_TRY_ASSIGN(const auto contact, orFail(std::move(record), SessionError::UnknownUser));
        if (contact.identityChanged) {
            return fail(SessionError::IdentityChanged);
        }
        CINDER_TRY_ASSIGN(pinned.key, orFail(crypto::PublicKey::fromBytes(contact.pinnedRootKey),
                                             SessionError::StorageFailure));
        highest = contact.deviceListVersion;
        storedList = contact.deviceList;
    }

    api::ProfileRequest request;
    request.set_root_id(str(id));
    auto profile = fetchProfile(request);
    if (!profile) {
        // Offline: the list held here is still signed by the pinned key.
        if (profile.error() == SessionError::NotConnected && !storedList.empty()) {
            if (auto list = crypto::VerifiedDeviceList::verify(pinned, storedList, 0)) {
                return &cache(id, std::move(list).value(), 0);
            }
        }
        return fail(profile.error());
    }
    if (profile->root_id() != str(id)) {
        return fail(SessionError::ServerMisbehaved);
    }
    if (profile->root_public_key() != str(pinned.key.bytes())) {
        if (own) {
            return fail(SessionError::ServerMisbehaved);
        }
        // Another root key for a pinned user: flag it and stop sending until accepted.
        CINDER_TRY(m_contacts.flagIdentityChange(id, view(profile->root_public_key())));
        m_devices.erase(id);
        qCWarning(lcSession) << "identity of contact" << detail::shortId(id) << "changed";
        Q_EMIT contactChanged(id);
        return fail(SessionError::IdentityChanged);
    }
    auto list = crypto::VerifiedDeviceList::verify(pinned, view(profile->device_list()), highest);
    if (!list) {
        // A list that does not verify, or an older one than held (rollback): use ours.
        qCWarning(lcSession) << "server sent a device list that does not verify";
        CINDER_TRY_ASSIGN(auto ours,
                          orFail(crypto::VerifiedDeviceList::verify(pinned, storedList, 0),
                                 SessionError::ServerMisbehaved));
        return &cache(id, std::move(ours), m_context.now());
    }
    if (list->version() > highest) {
        if (own) {
            (void)m_settings.set(kOwnDeviceListSetting, view(profile->device_list()));
        } else {
            CINDER_TRY(
                m_contacts.updateDeviceList(id, list->version(), view(profile->device_list())));
        }
    }
    return &cache(id, std::move(list).value(), m_context.now());
}

std::vector<const crypto::VerifiedNode*>
DeviceDirectory::cachedNodes(const std::vector<crypto::NodeId>& wanted) const {
    std::vector<const crypto::VerifiedNode*> nodes;
    for (const auto& [root, cached] : m_devices) {
        for (const crypto::VerifiedNode& node : cached.list.nodes()) {
            if (std::find(wanted.begin(), wanted.end(), node.nodeId()) != wanted.end()) {
                nodes.push_back(&node);
            }
        }
    }
    return nodes;
}

SessionResult<storage::ContactRecord> DeviceDirectory::refreshContact(std::string_view username) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(const auto contact, contactNamed(username));
    auto refreshed = devicesOf(contact.rootId, true);
    if (!refreshed && refreshed.error() != SessionError::IdentityChanged) {
        return fail(refreshed.error());
    }
    return contactNamed(username);
}

SessionResult<VerificationInfo> DeviceDirectory::verification(std::string_view username) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(const auto contact, contactNamed(username));
    CINDER_TRY_ASSIGN(const auto key, orFail(crypto::PublicKey::fromBytes(contact.pinnedRootKey),
                                             SessionError::StorageFailure));
    const crypto::RootId& self = m_context.rootId;
    const crypto::Fingerprint theirs = crypto::computeFingerprint(contact.rootId, key);
    const crypto::Fingerprint mine =
        crypto::computeFingerprint(self, m_context.node->rootPublicKey());
    VerificationInfo info;
    info.username = contact.username;
    info.fingerprintDigits = crypto::renderFingerprint(theirs);
    info.safetyCode = crypto::safetyCode(mine, theirs);
    info.ownQrPayload = crypto::encodeVerificationQr(self, m_context.node->rootPublicKey());
    info.verified = contact.verified;
    info.identityChanged = contact.identityChanged;
    return info;
}

SessionResult<VerificationInfo> DeviceDirectory::ownVerification() {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    const crypto::RootId& self = m_context.rootId;
    VerificationInfo info;
    info.username = m_context.username;
    info.fingerprintDigits = crypto::renderFingerprint(
        crypto::computeFingerprint(self, m_context.node->rootPublicKey()));
    info.ownQrPayload = crypto::encodeVerificationQr(self, m_context.node->rootPublicKey());
    info.verified = true;
    return info;
}

SessionResult<storage::ContactRecord> DeviceDirectory::trustedContact(std::string_view username) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(auto contact, contactNamed(username));
    if (contact.identityChanged) {
        return fail(SessionError::IdentityChanged);
    }
    return contact;
}

SessionResult<void> DeviceDirectory::setVerified(const storage::ContactRecord& contact) {
    CINDER_TRY(m_contacts.setVerified(contact.rootId, true));
    Q_EMIT contactChanged(contact.rootId);
    return {};
}

SessionResult<void> DeviceDirectory::markVerified(std::string_view username) {
    CINDER_TRY_ASSIGN(const auto contact, trustedContact(username));
    return setVerified(contact);
}

SessionResult<void> DeviceDirectory::verifyQr(std::string_view username, crypto::ByteView payload) {
    CINDER_TRY_ASSIGN(const auto contact, trustedContact(username));
    CINDER_TRY_ASSIGN(const auto key, orFail(crypto::PublicKey::fromBytes(contact.pinnedRootKey),
                                             SessionError::StorageFailure));
    if (auto matches = crypto::verifyScannedQr(payload, contact.rootId, key); !matches) {
        qCWarning(lcSession) << "scanned code does not match:" << describe(matches.error()).data();
        return fail(SessionError::InvalidArgument);
    }
    return setVerified(contact);
}

SessionResult<void> DeviceDirectory::acceptIdentityChange(std::string_view username) {
    if (m_context.signedOut) {
        return fail(SessionError::SignedOut);
    }
    CINDER_TRY_ASSIGN(auto contact, contactNamed(username));
    if (!contact.identityChanged || !contact.pendingRootKey) {
        return fail(SessionError::InvalidArgument);
    }
    api::ProfileRequest request;
    request.set_root_id(str(contact.rootId));
    CINDER_TRY_ASSIGN(const auto profile, fetchProfile(request));
    // Accept exactly the key the user was shown; a newer swap is flagged again.
    if (profile.root_public_key() != str(*contact.pendingRootKey)) {
        (void)m_contacts.flagIdentityChange(contact.rootId, view(profile.root_public_key()));
        return fail(SessionError::IdentityChanged);
    }
    CINDER_TRY_ASSIGN(const auto key, orFail(crypto::PublicKey::fromBytes(*contact.pendingRootKey),
                                             SessionError::ServerMisbehaved));
    CINDER_TRY_ASSIGN(auto list, orFail(crypto::VerifiedDeviceList::verify(
                                            {contact.rootId, key}, view(profile.device_list()), 0),
                                        SessionError::ServerMisbehaved));
    storage::ContactRecord accepted = std::move(contact);
    accepted.pinnedRootKey = key.bytes();
    accepted.pendingRootKey.reset();
    accepted.identityChanged = false;
    accepted.verified = false;
    accepted.deviceListVersion = list.version();
    accepted.deviceList = crypto::toBytes(view(profile.device_list()));
    CINDER_TRY(m_contacts.save(accepted));
    cache(accepted.rootId, std::move(list), m_context.now());
    Q_EMIT contactChanged(accepted.rootId);
    // Deliveries held back while the identity was in doubt come again now (a call that needs
    // a login does not go out without one).
    (void)m_channel.call(api::VERB_SYNC, api::SyncRequest());
    return {};
}

} // namespace cinder::client
