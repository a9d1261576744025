// SPDX-License-Identifier: Apache-2.0
#pragma once

// Who is who: this account's own device list and its contacts' (docs/PROTOCOL.md, device
// lists). A contact's root key is pinned at first contact (trust on first use); every device
// list must be signed by the pinned key and never go back to a lower version than one held; a
// changed root key is flagged and blocks sending until the user accepts it; key verification
// (fingerprints, safety code, QR) marks a contact verified.

#include "client/ServerChannel.h"
#include "client/SessionError.h"
#include "client/SessionTypes.h"

#include "crypto/DeviceList.h"
#include "storage/ContactTable.h"
#include "storage/SettingsTable.h"

#include <QObject>

#include <map>
#include <set>
#include <string_view>
#include <vector>

namespace cinder::client {

struct SessionContext;

class DeviceDirectory : public QObject {
    Q_OBJECT
public:
    DeviceDirectory(ServerChannel& channel, storage::ContactTable& contacts,
                    storage::SettingsTable& settings, const SessionContext& context);

    // --- Own devices ---
    [[nodiscard]] SessionResult<std::vector<DeviceInfo>> devices();
    // Publishes a device list without that device; the server disconnects it.
    [[nodiscard]] SessionResult<void> removeDevice(const crypto::NodeId& nodeId);

    // --- Contacts ---
    // Looks the user up on the server and pins its root key (first contact), or returns the
    // contact already pinned.
    [[nodiscard]] SessionResult<storage::ContactRecord> addContact(std::string_view username);
    [[nodiscard]] SessionResult<std::vector<storage::ContactRecord>> contacts();
    [[nodiscard]] SessionResult<storage::ContactRecord> contactNamed(std::string_view username);
    // Fetches the contact's profile again (new devices, or a changed identity).
    [[nodiscard]] SessionResult<storage::ContactRecord> refreshContact(std::string_view username);
    // Pins the new root key of a contact whose identity changed; sending is allowed again.
    [[nodiscard]] SessionResult<void> acceptIdentityChange(std::string_view username);

    // --- Verification ---
    [[nodiscard]] SessionResult<VerificationInfo> verification(std::string_view username);
    [[nodiscard]] SessionResult<VerificationInfo> ownVerification();
    [[nodiscard]] SessionResult<void> markVerified(std::string_view username);
    [[nodiscard]] SessionResult<void> verifyQr(std::string_view username, crypto::ByteView payload);

    // --- For the other roles ---
    [[nodiscard]] SessionResult<api::Profile> fetchProfile(const api::ProfileRequest& request);
    // Pins the profile of a user met for the first time (its device list must verify under
    // its root key); `expectedUsername` empty when any name will do.
    [[nodiscard]] SessionResult<storage::ContactRecord> pin(const api::Profile& profile,
                                                            std::string_view expectedUsername);
    // Fetches and pins a user known by id only (a room member, a first sender).
    [[nodiscard]] SessionResult<storage::ContactRecord> pinById(const crypto::RootId& rootId);
    // The verified device list of a user (this account included), from the cache when fresh;
    // IdentityChanged for a contact whose identity is in doubt. Offline, the list held here.
    [[nodiscard]] SessionResult<const crypto::VerifiedDeviceList*>
    devicesOf(const crypto::RootId& rootId, bool forceRefresh);
    // The cached devices among `wanted` (prefetching prekeys for them).
    [[nodiscard]] std::vector<const crypto::VerifiedNode*>
    cachedNodes(const std::vector<crypto::NodeId>& wanted) const;
    // The server says the user's device list changed: fetch it again when next needed.
    void forget(const crypto::RootId& rootId) { m_devices.erase(rootId); }
    void clear() { m_devices.clear(); }

Q_SIGNALS:
    void contactChanged(const cinder::crypto::RootId& rootId);

private:
    struct CachedDevices {
        crypto::VerifiedDeviceList list;
        std::int64_t fetchedAtMs = 0;
    };
    const crypto::VerifiedDeviceList& cache(const crypto::RootId& rootId,
                                            crypto::VerifiedDeviceList list, std::int64_t atMs);
    SessionResult<storage::ContactRecord> trustedContact(std::string_view username);
    SessionResult<void> setVerified(const storage::ContactRecord& contact);

    ServerChannel& m_channel;
    storage::ContactTable& m_contacts;
    storage::SettingsTable& m_settings;
    const SessionContext& m_context;
    std::map<crypto::RootId, CachedDevices> m_devices;
};

} // namespace cinder::client
