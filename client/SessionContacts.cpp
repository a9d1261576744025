// SPDX-License-Identifier: Apache-2.0
// Contacts: lookup, trust on first use of the root key, device lists checked against the
// pinned key, identity changes that block sending until accepted, and key verification.
#include "client/Session.h"
#include "client/SessionInternal.h"

#include "crypto/Fingerprint.h"

namespace cinder::client {

using crypto::fail;
using detail::str;
using detail::view;

namespace {
const std::string_view kOwnDeviceListSetting = "own-device-list";
} // namespace

SessionResult<api::Profile> Session::fetchProfile(const api::ProfileRequest& request) {
    const net::Reply reply = call(api::VERB_GET_PROFILE, request);
    if (!reply.ok()) {
        return fail(detail::errorOf(reply));
    }
    api::Profile profile;
    if (!reply.parseBody(profile) || profile.root_id().size() != crypto::kRootIdSize) {
        return fail(SessionError::ServerMisbehaved);
    }
    return profile;
}

SessionResult<storage::ContactRecord> Session::pinProfile(const api::Profile& profile,
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
    contact.addedAtMs = now();
    if (auto saved = m_store->contacts().save(contact); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    m_devices.insert_or_assign(*rootId, CachedDevices{std::move(list).value(), now()});
    qCInfo(lcSession) << "pinned a new contact" << detail::shortId(*rootId);
    Q_EMIT contactChanged(*rootId);
    return contact;
}

SessionResult<storage::ContactRecord> Session::addContact(std::string_view username) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    if (!detail::isValidUsername(username)) {
        return fail(SessionError::InvalidArgument);
    }
    auto existing = m_store->contacts().findByUsername(username);
    if (!existing) {
        return fail(detail::errorOf(existing.error()));
    }
    if (*existing) {
        return std::move(**existing);
    }
    api::ProfileRequest request;
    request.set_username(std::string(username));
    auto profile = fetchProfile(request);
    if (!profile) {
        return fail(profile.error());
    }
    if (profile->root_id() == str(rootId())) {
        return fail(SessionError::InvalidArgument); // oneself is not a contact
    }
    return pinProfile(*profile, username);
}

SessionResult<storage::ContactRecord> Session::contactNamed(std::string_view username) {
    auto contact = m_store->contacts().findByUsername(username);
    if (!contact) {
        return fail(detail::errorOf(contact.error()));
    }
    if (!*contact) {
        return fail(SessionError::UnknownUser);
    }
    return std::move(**contact);
}

SessionResult<std::vector<storage::ContactRecord>> Session::contacts() {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto all = m_store->contacts().all();
    if (!all) {
        return fail(detail::errorOf(all.error()));
    }
    return std::move(all).value();
}

SessionResult<const crypto::VerifiedDeviceList*> Session::devicesOf(const crypto::RootId& id,
                                                                    bool forceRefresh) {
    const auto cached = m_devices.find(id);
    if (!forceRefresh && cached != m_devices.end() &&
        now() - cached->second.fetchedAtMs < m_options.deviceListMaxAgeMs) {
        return &cached->second.list;
    }

    const bool own = id == rootId();
    std::optional<storage::ContactRecord> contact;
    crypto::PinnedRoot pinned{id, m_node->rootPublicKey()};
    std::uint64_t highest = 0;
    crypto::Bytes storedList;
    if (own) {
        if (auto stored = m_store->settings().get(kOwnDeviceListSetting); stored && *stored) {
            storedList = std::move(**stored);
            if (auto list = crypto::VerifiedDeviceList::verify(pinned, storedList, 0)) {
                highest = list->version();
            }
        }
    } else {
        auto record = m_store->contacts().find(id);
        if (!record) {
            return fail(detail::errorOf(record.error()));
        }
        if (!*record) {
            return fail(SessionError::UnknownUser);
        }
        contact = std::move(**record);
        if (contact->identityChanged) {
            return fail(SessionError::IdentityChanged);
        }
        auto key = crypto::PublicKey::fromBytes(contact->pinnedRootKey);
        if (!key) {
            return fail(SessionError::StorageFailure);
        }
        pinned.key = std::move(key).value();
        highest = contact->deviceListVersion;
        storedList = contact->deviceList;
    }

    api::ProfileRequest request;
    request.set_root_id(str(id));
    auto profile = fetchProfile(request);
    if (!profile) {
        // Offline: the list held here is still signed by the pinned key.
        if (profile.error() == SessionError::NotConnected && !storedList.empty()) {
            auto list = crypto::VerifiedDeviceList::verify(pinned, storedList, 0);
            if (list) {
                auto& entry =
                    m_devices.insert_or_assign(id, CachedDevices{std::move(list).value(), 0})
                        .first->second;
                return &entry.list;
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
        if (auto flagged =
                m_store->contacts().flagIdentityChange(id, view(profile->root_public_key()));
            !flagged) {
            return fail(detail::errorOf(flagged.error()));
        }
        m_devices.erase(id);
        qCWarning(lcSession) << "identity of contact" << detail::shortId(id) << "changed";
        Q_EMIT contactChanged(id);
        return fail(SessionError::IdentityChanged);
    }
    auto list = crypto::VerifiedDeviceList::verify(pinned, view(profile->device_list()), highest);
    if (!list) {
        // A list that does not verify, or an older one than held (rollback): use ours.
        qCWarning(lcSession) << "server sent a device list that does not verify";
        auto ours = crypto::VerifiedDeviceList::verify(pinned, storedList, 0);
        if (!ours) {
            return fail(SessionError::ServerMisbehaved);
        }
        list = std::move(ours);
    } else if (list->version() > highest) {
        if (own) {
            (void)m_store->settings().set(kOwnDeviceListSetting, view(profile->device_list()));
        } else if (auto updated = m_store->contacts().updateDeviceList(
                       id, list->version(), view(profile->device_list()));
                   !updated) {
            return fail(detail::errorOf(updated.error()));
        }
    }
    auto& entry =
        m_devices.insert_or_assign(id, CachedDevices{std::move(list).value(), now()}).first->second;
    return &entry.list;
}

SessionResult<storage::ContactRecord> Session::refreshContact(std::string_view username) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto contact = contactNamed(username);
    if (!contact) {
        return contact;
    }
    auto refreshed = devicesOf(contact->rootId, true);
    if (!refreshed && refreshed.error() != SessionError::IdentityChanged) {
        return fail(refreshed.error());
    }
    return contactNamed(username);
}

SessionResult<VerificationInfo> Session::verification(std::string_view username) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto contact = contactNamed(username);
    if (!contact) {
        return fail(contact.error());
    }
    auto key = crypto::PublicKey::fromBytes(contact->pinnedRootKey);
    if (!key) {
        return fail(SessionError::StorageFailure);
    }
    const crypto::Fingerprint theirs = crypto::computeFingerprint(contact->rootId, *key);
    const crypto::Fingerprint mine = crypto::computeFingerprint(rootId(), m_node->rootPublicKey());
    VerificationInfo info;
    info.username = contact->username;
    info.fingerprintDigits = crypto::renderFingerprint(theirs);
    info.safetyCode = crypto::safetyCode(mine, theirs);
    info.ownQrPayload = crypto::encodeVerificationQr(rootId(), m_node->rootPublicKey());
    info.verified = contact->verified;
    info.identityChanged = contact->identityChanged;
    return info;
}

SessionResult<VerificationInfo> Session::ownVerification() {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    VerificationInfo info;
    info.username = m_username;
    info.fingerprintDigits =
        crypto::renderFingerprint(crypto::computeFingerprint(rootId(), m_node->rootPublicKey()));
    info.ownQrPayload = crypto::encodeVerificationQr(rootId(), m_node->rootPublicKey());
    info.verified = true;
    return info;
}

SessionResult<void> Session::markVerified(std::string_view username) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto contact = contactNamed(username);
    if (!contact) {
        return fail(contact.error());
    }
    if (contact->identityChanged) {
        return fail(SessionError::IdentityChanged);
    }
    if (auto saved = m_store->contacts().setVerified(contact->rootId, true); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    Q_EMIT contactChanged(contact->rootId);
    return {};
}

SessionResult<void> Session::verifyQr(std::string_view username, crypto::ByteView payload) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto contact = contactNamed(username);
    if (!contact) {
        return fail(contact.error());
    }
    if (contact->identityChanged) {
        return fail(SessionError::IdentityChanged);
    }
    auto key = crypto::PublicKey::fromBytes(contact->pinnedRootKey);
    if (!key) {
        return fail(SessionError::StorageFailure);
    }
    if (auto matches = crypto::verifyScannedQr(payload, contact->rootId, *key); !matches) {
        qCWarning(lcSession) << "scanned code does not match:" << describe(matches.error()).data();
        return fail(SessionError::InvalidArgument);
    }
    if (auto saved = m_store->contacts().setVerified(contact->rootId, true); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    Q_EMIT contactChanged(contact->rootId);
    return {};
}

SessionResult<void> Session::acceptIdentityChange(std::string_view username) {
    if (m_signedOut) {
        return fail(SessionError::SignedOut);
    }
    auto contact = contactNamed(username);
    if (!contact) {
        return fail(contact.error());
    }
    if (!contact->identityChanged || !contact->pendingRootKey) {
        return fail(SessionError::InvalidArgument);
    }
    api::ProfileRequest request;
    request.set_root_id(str(contact->rootId));
    auto profile = fetchProfile(request);
    if (!profile) {
        return fail(profile.error());
    }
    // Accept exactly the key the user was shown; a newer swap is flagged again.
    if (profile->root_public_key() != str(*contact->pendingRootKey)) {
        (void)m_store->contacts().flagIdentityChange(contact->rootId,
                                                     view(profile->root_public_key()));
        return fail(SessionError::IdentityChanged);
    }
    auto key = crypto::PublicKey::fromBytes(*contact->pendingRootKey);
    if (!key) {
        return fail(SessionError::ServerMisbehaved);
    }
    auto list = crypto::VerifiedDeviceList::verify({contact->rootId, *key},
                                                   view(profile->device_list()), 0);
    if (!list) {
        return fail(SessionError::ServerMisbehaved);
    }
    storage::ContactRecord accepted = std::move(contact).value();
    accepted.pinnedRootKey = key->bytes();
    accepted.pendingRootKey.reset();
    accepted.identityChanged = false;
    accepted.verified = false;
    accepted.deviceListVersion = list->version();
    accepted.deviceList = crypto::toBytes(view(profile->device_list()));
    if (auto saved = m_store->contacts().save(accepted); !saved) {
        return fail(detail::errorOf(saved.error()));
    }
    m_devices.insert_or_assign(accepted.rootId, CachedDevices{std::move(list).value(), now()});
    Q_EMIT contactChanged(accepted.rootId);
    // Deliveries held back while the identity was in doubt come again now.
    if (m_loggedIn) {
        api::SyncRequest sync;
        (void)call(api::VERB_SYNC, sync);
    }
    scheduleWork();
    return {};
}

} // namespace cinder::client
