// SPDX-License-Identifier: Apache-2.0
// User and device enrollment (paper, "User and Device Enrollment"), the chain of trust
// PKEn -> PKn -> PKr -> pinned identity, device lists and login proofs.

#include "ProtocolFixture.h"

#include "cinder/packet.pb.h"
#include "crypto/DeviceList.h"
#include "crypto/WireCodec.h"

#include <QTest>

using namespace cinder::crypto;
using namespace cinder::test;

namespace {
template <typename T>
std::optional<IdentityError> identityError(const Result<T, IdentityError>& result) {
    return result.ok() ? std::nullopt : std::optional<IdentityError>(result.error());
}
} // namespace

class TestIdentity : public QObject {
    Q_OBJECT
private slots:
    void enrollmentCreatesDistinctKeys() {
        auto root = take(RootIdentity::generate());
        QCOMPARE(root.remoteStorageKey().size(), kSymmetricKeySize);
        QCOMPARE(root.nodeStorageRootKey().size(), kSymmetricKeySize);
        QVERIFY(!(root.remoteStorageKey() == root.nodeStorageRootKey()));
        auto first = take(NodeIdentity::enroll(root, nowMs()));
        auto second = take(NodeIdentity::enroll(root, nowMs()));
        QVERIFY(first.id() != second.id());
        QVERIFY(!(first.key().publicKey() == second.key().publicKey()));
        QVERIFY(first.rootId() == root.id());
        QVERIFY(first.rootPublicKey() == root.publicKey());
    }

    void nodeRestoresFromStoredKeys() {
        auto root = take(RootIdentity::generate());
        auto node = take(NodeIdentity::enroll(root, nowMs()));
        const SecureBuffer scalar = take(node.key().exportPrivate());
        auto key = take(KeyPair::fromPrivate(scalar.view(), node.key().publicKey().bytes()));
        auto restored = NodeIdentity::restore(std::move(key), node.certificate(),
                                              PinnedRoot{root.id(), root.publicKey()});
        QVERIFY(restored.ok());
        QVERIFY(restored->id() == node.id());
        // A certificate that belongs to another key pair is refused.
        auto otherKey = take(KeyPair::generate());
        QCOMPARE(identityError(NodeIdentity::restore(std::move(otherKey), node.certificate(),
                                                     PinnedRoot{root.id(), root.publicKey()})),
                 std::optional(IdentityError::WrongNode));
    }

    void certificateChainToPinnedRoot() {
        auto alice = makeUser(1, 0);
        auto mallory = makeUser(1, 0);
        const Bytes& certificate = alice->devices[0]->identity.certificate();
        QVERIFY(VerifiedNode::verify(alice->pinned(), certificate).ok());
        // Unpinned root: Mallory's device presented as Alice's.
        QCOMPARE(identityError(VerifiedNode::verify(alice->pinned(),
                                                    mallory->devices[0]->identity.certificate())),
                 std::optional(IdentityError::WrongRoot));
        // A certificate naming Alice's IDr but signed by Mallory's root key.
        auto forgedNode = take(KeyPair::generate());
        RootIdentity forger = take(RootIdentity::restore(
            alice->root.id(),
            take(KeyPair::fromPrivate(take(mallory->root.key().exportPrivate()).view(),
                                      mallory->root.publicKey().bytes())),
            SecureBuffer(kSymmetricKeySize), SecureBuffer(kSymmetricKeySize)));
        const Bytes forged =
            take(forger.certifyNode(randomId<NodeId>(systemRandom()), forgedNode.publicKey(), 1));
        QCOMPARE(identityError(VerifiedNode::verify(alice->pinned(), forged)),
                 std::optional(IdentityError::BadSignature));
        // Every flipped byte of a certificate is refused.
        for (std::size_t i = 0; i < certificate.size(); ++i) {
            Bytes tampered = certificate;
            tampered[i] ^= 0x04;
            QVERIFY(!VerifiedNode::verify(alice->pinned(), tampered).ok());
        }
    }

    void prekeysVerifyOnlyUnderTheirNode() {
        auto alice = makeUser(2, 0);
        Device& first = *alice->devices[0];
        Device& second = *alice->devices[1];
        const auto uploads = take(first.pool.generate(first.identity, 3));
        QCOMPARE(uploads.size(), std::size_t{3});
        for (const Bytes& upload : uploads) {
            auto prekey = VerifiedPrekey::verify(first.verified(), upload);
            QVERIFY(prekey.ok());
            QVERIFY(!prekey->lastResort());
            QVERIFY(first.pool.find(prekey->id()) != nullptr);
            QCOMPARE(identityError(VerifiedPrekey::verify(second.verified(), upload)),
                     std::optional(IdentityError::WrongNode));
        }
        // The server flips the last-resort flag or swaps the key: the signature breaks.
        cinder::wire::SignedPrekey parsed;
        parsed.ParseFromArray(uploads[0].data(), static_cast<int>(uploads[0].size()));
        parsed.set_last_resort(true);
        QCOMPARE(identityError(VerifiedPrekey::verify(first.verified(), serialize(parsed))),
                 std::optional(IdentityError::BadSignature));
        parsed.set_last_resort(false);
        parsed.set_public_key(stringOf(take(KeyPair::generate()).publicKey().bytes()));
        QCOMPARE(identityError(VerifiedPrekey::verify(first.verified(), serialize(parsed))),
                 std::optional(IdentityError::BadSignature));
        // An invalid point is refused before any signature work.
        Bytes offCurve = take(KeyPair::generate()).publicKey().bytes();
        offCurve.back() ^= 0x01;
        parsed.set_public_key(stringOf(offCurve));
        QCOMPARE(identityError(VerifiedPrekey::verify(first.verified(), serialize(parsed))),
                 std::optional(IdentityError::InvalidKey));
    }

    void poolConsumesOrdinaryKeysButKeepsLastResort() {
        auto alice = makeUser(1, 0);
        Device& device = *alice->devices[0];
        const std::size_t before = device.pool.size(); // the last-resort key
        QCOMPARE(before, std::size_t{1});
        const PrekeyId lastResort = device.lastResort->id();
        device.pool.consume(lastResort);
        QVERIFY(device.pool.find(lastResort) != nullptr);
        const auto uploads = take(device.pool.generate(device.identity, 1));
        const auto prekey = take(VerifiedPrekey::verify(device.verified(), uploads[0]));
        device.pool.consume(prekey.id());
        QVERIFY(device.pool.find(prekey.id()) == nullptr);
        // A new last-resort key replaces the old one.
        const auto replacement = take(VerifiedPrekey::verify(
            device.verified(), take(device.pool.generateLastResort(device.identity))));
        QVERIFY(replacement.lastResort());
        QVERIFY(device.pool.find(lastResort) == nullptr);
        QCOMPARE(device.pool.size(), std::size_t{1});
    }

    void deviceListIsSignedAndVersioned() {
        auto alice = makeUser(3, 0);
        std::vector<Bytes> certificates;
        for (auto& device : alice->devices) {
            certificates.push_back(device->identity.certificate());
        }
        const Bytes v2 = take(alice->root.signDeviceList(2, certificates));
        auto list = VerifiedDeviceList::verify(alice->pinned(), v2, 1);
        QVERIFY(list.ok());
        QCOMPARE(list->version(), std::uint64_t{2});
        QCOMPARE(list->nodes().size(), std::size_t{3});
        QVERIFY(list->find(alice->devices[1]->identity.id()) != nullptr);
        // The same version again is fine (refetch); an older one is a rollback.
        QVERIFY(VerifiedDeviceList::verify(alice->pinned(), v2, 2).ok());
        const Bytes v1 = take(alice->root.signDeviceList(1, certificates));
        QCOMPARE(identityError(VerifiedDeviceList::verify(alice->pinned(), v1, 2)),
                 std::optional(IdentityError::Rollback));
        // Removing a device is a new version without it.
        const Bytes v3 = take(
            alice->root.signDeviceList(3, std::vector<Bytes>{certificates[0], certificates[2]}));
        auto shorter = take(VerifiedDeviceList::verify(alice->pinned(), v3, 2));
        QVERIFY(shorter.find(alice->devices[1]->identity.id()) == nullptr);
        // Another user's list, or a list the server edited, is refused.
        auto mallory = makeUser(1, 0);
        QCOMPARE(identityError(VerifiedDeviceList::verify(mallory->pinned(), v2, 0)),
                 std::optional(IdentityError::WrongRoot));
        cinder::wire::DeviceList edited;
        edited.ParseFromArray(v2.data(), static_cast<int>(v2.size()));
        *edited.add_nodes() = [&] {
            cinder::wire::NodeCertificate extra;
            const Bytes& c = mallory->devices[0]->identity.certificate();
            extra.ParseFromArray(c.data(), static_cast<int>(c.size()));
            return extra;
        }();
        QCOMPARE(identityError(VerifiedDeviceList::verify(alice->pinned(), serialize(edited), 0)),
                 std::optional(IdentityError::BadSignature));
    }

    void deviceListSkipsDevicesWithoutRootSignature() {
        auto alice = makeUser(1, 0);
        auto mallory = makeUser(1, 0);
        // Alice's root signs a list that (by mistake or attack) carries a certificate whose
        // root signature is not Alice's: that device is skipped, never trusted.
        cinder::wire::NodeCertificate foreign;
        const Bytes& c = mallory->devices[0]->identity.certificate();
        foreign.ParseFromArray(c.data(), static_cast<int>(c.size()));
        foreign.set_root_id(stringOf(alice->root.id()));
        const std::vector<Bytes> certificates = {alice->devices[0]->identity.certificate(),
                                                 serialize(foreign)};
        auto list = take(VerifiedDeviceList::verify(
            alice->pinned(), take(alice->root.signDeviceList(5, certificates)), 0));
        QCOMPARE(list.nodes().size(), std::size_t{1});
        QCOMPARE(list.skippedNodes(), std::size_t{1});
        // A device listed twice is refused.
        const std::vector<Bytes> twice = {certificates[0], certificates[0]};
        QCOMPARE(identityError(VerifiedDeviceList::verify(
                     alice->pinned(), take(alice->root.signDeviceList(6, twice)), 0)),
                 std::optional(IdentityError::DuplicateNode));
    }

    void loginProofBindsNonceAndServer() {
        auto alice = makeUser(1, 0);
        const NodeIdentity& node = alice->devices[0]->identity;
        const Bytes nonce = systemRandom().bytes(32);
        const Signature proof = take(node.signLoginChallenge(nonce, "chat.example.org"));
        QVERIFY(verifyLoginChallenge(node.asVerifiedNode(), nonce, "chat.example.org", proof).ok());
        QCOMPARE(
            verifyLoginChallenge(node.asVerifiedNode(), nonce, "evil.example.org", proof).error(),
            IdentityError::BadSignature);
        const Bytes otherNonce = systemRandom().bytes(32);
        QCOMPARE(verifyLoginChallenge(node.asVerifiedNode(), otherNonce, "chat.example.org", proof)
                     .error(),
                 IdentityError::BadSignature);
        QCOMPARE(identityError(node.signLoginChallenge(ByteView(nonce).first(8), "x")),
                 std::optional(IdentityError::InvalidArgument));
        // A packet or prekey signature is no login proof (distinct labels).
        auto other = makeUser(1, 0);
        QCOMPARE(verifyLoginChallenge(other->devices[0]->identity.asVerifiedNode(), nonce,
                                      "chat.example.org", proof)
                     .error(),
                 IdentityError::BadSignature);
    }

    void localStorageKeyDependsOnDeviceData() {
        auto root = take(RootIdentity::generate());
        auto a = take(deriveLocalStorageKey(root.nodeStorageRootKey(), asBytes("machine-a")));
        auto a2 = take(deriveLocalStorageKey(root.nodeStorageRootKey(), asBytes("machine-a")));
        auto b = take(deriveLocalStorageKey(root.nodeStorageRootKey(), asBytes("machine-b")));
        QCOMPARE(a.size(), kSymmetricKeySize);
        QVERIFY(a == a2);
        QVERIFY(!(a == b));
        QVERIFY(!(a == root.nodeStorageRootKey()));
        QCOMPARE(identityError(deriveLocalStorageKey(SecureBuffer(5), asBytes("x"))),
                 std::optional(IdentityError::WrongLength));
    }
};

QTEST_APPLESS_MAIN(TestIdentity)
#include "tst_identity.moc"
