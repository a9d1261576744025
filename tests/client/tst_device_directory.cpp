// SPDX-License-Identifier: Apache-2.0
// DeviceDirectory (client/DeviceDirectory.h) against the real cinder-server, through a channel
// double that plays a hostile server: a device list not signed by the user's root key is
// refused with a typed error and nothing is pinned; an older list than one held is not taken.

#include "RoleFixture.h"

#include <QTest>

using namespace cinder;
using namespace cinder::test;

namespace {

std::string str(crypto::ByteView bytes) {
    return crypto::toStdString(bytes);
}

// A device list for one new device, signed by a root key that is nobody's.
std::string foreignDeviceList() {
    auto root = crypto::RootIdentity::generate();
    auto node = crypto::NodeIdentity::enroll(*root, 1);
    const std::vector<crypto::Bytes> certificates{node->certificate()};
    return str(*root->signDeviceList(1, certificates));
}

} // namespace

class DeviceDirectoryTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(m_fixture.start(), "cinder-server did not start"); }

    void pinsAContactAndItsDevices() {
        auto alice = RoleDevice::registered(m_fixture, "alice");
        auto bob = RoleDevice::registered(m_fixture, "bob");
        QVERIFY(alice && bob);
        auto contact = alice->directory().addContact("bob");
        QVERIFY(contact);
        QCOMPARE(contact->rootId, bob->context().rootId);
        QCOMPARE(alice->store().contacts().all()->size(), std::size_t{1});

        auto devices = alice->directory().devicesOf(bob->context().rootId, true);
        QVERIFY(devices);
        QCOMPARE((*devices)->nodes().size(), std::size_t{1});
        QVERIFY((*devices)->find(bob->context().nodeId) != nullptr);

        auto own = alice->directory().devices();
        QVERIFY(own);
        QCOMPARE(own->size(), std::size_t{1});
        QVERIFY(own->front().thisDevice);
    }

    void refusesADeviceListNotSignedByTheRootKey() {
        auto carol = RoleDevice::registered(m_fixture, "carol");
        auto dave = RoleDevice::registered(m_fixture, "dave");
        QVERIFY(carol && dave);
        carol->channel().rewrite(api::VERB_GET_PROFILE, [](const QByteArray&, net::Reply real) {
            api::Profile profile;
            if (!real.parseBody(profile)) {
                return real;
            }
            profile.set_device_list(foreignDeviceList());
            return ChannelDouble::ok(profile);
        });

        auto contact = carol->directory().addContact("dave");
        QVERIFY(!contact);
        QCOMPARE(contact.error(), client::SessionError::ServerMisbehaved);
        QCOMPARE(carol->channel().callsOf(api::VERB_GET_PROFILE), std::size_t{1});
        auto stored = carol->store().contacts().findByUsername("dave");
        QVERIFY(stored);
        QVERIFY(!*stored);
        QVERIFY(carol->store().contacts().all()->empty());
    }

    void refusesADeviceListRollback() {
        auto erin = RoleDevice::registered(m_fixture, "erin");
        auto frank = RoleDevice::registered(m_fixture, "frank");
        QVERIFY(erin && frank);
        auto pinned = erin->directory().addContact("frank");
        QVERIFY(pinned);
        const crypto::Bytes versionOne = pinned->deviceList;

        // Frank adds a device: version 2 of his list, signed by his root key.
        auto second = crypto::NodeIdentity::enroll(*frank->context().root, 2);
        QVERIFY(second);
        const std::vector<crypto::Bytes> certificates{frank->context().node->certificate(),
                                                      second->certificate()};
        auto list = frank->context().root->signDeviceList(2, certificates);
        QVERIFY(list);
        api::DeviceListUpdate update;
        update.set_root_id(str(frank->context().rootId));
        update.set_device_list(str(*list));
        QVERIFY(frank->connection().call(api::VERB_PUBLISH_DEVICE_LIST, update).ok());

        auto current = erin->directory().devicesOf(frank->context().rootId, true);
        QVERIFY(current);
        QCOMPARE((*current)->version(), std::uint64_t{2});

        // The server now serves the old list again, correctly signed but older.
        erin->channel().rewrite(api::VERB_GET_PROFILE, [&](const QByteArray&, net::Reply real) {
            api::Profile profile;
            if (!real.parseBody(profile)) {
                return real;
            }
            profile.set_device_list(str(versionOne));
            return ChannelDouble::ok(profile);
        });
        auto rolledBack = erin->directory().devicesOf(frank->context().rootId, true);
        QVERIFY(rolledBack);
        QCOMPARE((*rolledBack)->version(), std::uint64_t{2});
        QCOMPARE((*rolledBack)->nodes().size(), std::size_t{2});
        auto stored = erin->store().contacts().find(frank->context().rootId);
        QVERIFY(stored && *stored);
        QCOMPARE((*stored)->deviceListVersion, std::uint64_t{2});
    }

private:
    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(DeviceDirectoryTest)
#include "tst_device_directory.moc"
