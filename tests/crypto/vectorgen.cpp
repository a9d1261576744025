// SPDX-License-Identifier: Apache-2.0
// Writes tests/vectors/protocol.txt: known-answer vectors for every derivation and for a
// complete packet to two devices. Key pairs come from the system generator and are written
// out; everything the encoder draws (K_payload, nonces) comes from a DeterministicRandom whose
// seed is in the file, so tst_vectors can rebuild the packet byte for byte.
//     build/dev/tests/crypto/cinder_vectorgen > tests/vectors/protocol.txt

#include "DeterministicRandom.h"
#include "ProtocolFixture.h"
#include "VectorFile.h"

#include "crypto/PacketKeys.h"

#include <iostream>

using namespace cinder::crypto;
using namespace cinder::test;

namespace {
void addKeyPair(VectorSection& section, const std::string& prefix, const KeyPair& key) {
    section.add(prefix + "_private", take(key.exportPrivate()).view());
    section.add(prefix + "_public", key.publicKey().bytes());
}
} // namespace

int main() {
    std::vector<VectorSection> sections;
    DeterministicRandom ids("cinder/vectors/identifiers");

    {
        VectorSection s{"local-storage-key", {}};
        const SecureBuffer knsr = ids.secret(kSymmetricKeySize);
        const Bytes deviceData = toBytes("machine-id:4f1c2a7e;os:linux");
        s.add("node_storage_root_key", knsr.view());
        s.add("device_data", deviceData);
        s.add("local_storage_key", take(deriveLocalStorageKey(knsr, deviceData)).view());
        sections.push_back(std::move(s));
    }
    {
        VectorSection s{"header-key", {}};
        const auto rootId = randomId<RootId>(ids);
        const auto nodeId = randomId<NodeId>(ids);
        s.add("root_id", rootId);
        s.add("node_id", nodeId);
        s.add("header_key", take(packet::deriveHeaderKey(rootId, nodeId)).view());
        sections.push_back(std::move(s));
    }
    {
        VectorSection s{"exchange-key", {}};
        const SecureBuffer shared = ids.secret(kSharedSecretSize);
        const KeyPair senderRoot = take(KeyPair::generate());
        const KeyPair recipientRoot = take(KeyPair::generate());
        const auto nodeId = randomId<NodeId>(ids);
        s.add("shared_secret", shared.view());
        s.add("sender_root_public", senderRoot.publicKey().bytes());
        s.add("recipient_root_public", recipientRoot.publicKey().bytes());
        s.add("recipient_node_id", nodeId);
        s.add("exchange_key", take(packet::deriveExchangeKey(shared, senderRoot.publicKey(),
                                                             recipientRoot.publicKey(), nodeId))
                                  .view());
        sections.push_back(std::move(s));
    }
    {
        VectorSection s{"payload-key-commitment", {}};
        const SecureBuffer payloadKey = ids.secret(kSymmetricKeySize);
        s.add("payload_key", payloadKey.view());
        s.add("commitment", packet::payloadKeyCommitment(payloadKey));
        sections.push_back(std::move(s));
    }

    // Alice (one device) sends to Bob (two devices).
    auto alice = makeUser(1, 0);
    auto bob = makeUser(2, 0);
    Device& sender = *alice->devices[0];
    {
        VectorSection s{"node-certificate", {}};
        s.add("root_id", alice->root.id());
        addKeyPair(s, "root", alice->root.key());
        s.add("node_id", sender.identity.id());
        addKeyPair(s, "node", sender.identity.key());
        const auto node = sender.identity.asVerifiedNode();
        s.addText("created_at_ms", std::to_string(node.createdAtMs()));
        s.add("signed_input", nodeCertificateTranscript(alice->root.id(), sender.identity.id(),
                                                        sender.identity.key().publicKey().bytes(),
                                                        node.createdAtMs())
                                  .view());
        s.add("certificate", sender.identity.certificate());
        sections.push_back(std::move(s));
    }
    {
        VectorSection s{"packet", {}};
        const std::string encoderSeed = "cinder/vectors/packet-encoder";
        s.addText("encoder_seed_text", encoderSeed);
        s.add("sender_root_id", alice->root.id());
        s.add("sender_root_public", alice->root.publicKey().bytes());
        s.add("sender_certificate", sender.identity.certificate());
        s.add("recipient_root_id", bob->root.id());
        s.add("recipient_root_public", bob->root.publicKey().bytes());
        std::vector<VerifiedPrekey> prekeys;
        prekeys.reserve(bob->devices.size());
        std::vector<RecipientDevice> recipients;
        for (std::size_t i = 0; i < bob->devices.size(); ++i) {
            Device& device = *bob->devices[i];
            const std::string p = "recipient" + std::to_string(i);
            addKeyPair(s, p + "_node", device.identity.key());
            s.add(p + "_certificate", device.identity.certificate());
            const Bytes signedPrekey = take(device.pool.generate(device.identity, 1))[0];
            prekeys.push_back(take(VerifiedPrekey::verify(device.verified(), signedPrekey)));
            s.add(p + "_signed_prekey", signedPrekey);
            s.add(p + "_prekey_id", prekeys.back().id());
            addKeyPair(s, p + "_prekey", device.pool.find(prekeys.back().id())->key);
        }
        for (std::size_t i = 0; i < prekeys.size(); ++i) {
            recipients.push_back(RecipientDevice{&bob->devices[i]->verified(), &prekeys[i]});
        }
        const KeyPair ephemeral = take(KeyPair::generate());
        addKeyPair(s, "sender_ephemeral", ephemeral);

        MessageMetadata metadata;
        metadata.messageId = randomId<MessageId>(ids);
        metadata.sequence = 7;
        metadata.sentAtMs = 1764000000000;
        metadata.contentType = ContentType::Text;
        metadata.ephemerality = Ephemerality{86400, true, 30};
        metadata.conversationId = randomId<ConversationId>(ids);
        s.add("message_id", metadata.messageId);
        s.addText("sequence", std::to_string(metadata.sequence));
        s.addText("sent_at_ms", std::to_string(metadata.sentAtMs));
        s.addText("content_type", "1");
        s.addText("ttl_seconds", "86400");
        s.addText("burn_on_read", "1");
        s.addText("burn_seconds", "30");
        s.add("conversation_id", metadata.conversationId);
        const std::string content = "Meet at the north gate at 06:00.";
        s.addText("content_text", content);

        DeterministicRandom encoderRandom(encoderSeed);
        const Bytes packetBytes =
            take(PacketEncoder(sender.identity)
                     .encodeWithEphemeral(metadata, asBytes(content), recipients, ephemeral,
                                          encoderRandom));
        DeterministicRandom replay(encoderSeed);
        const SecureBuffer payloadKey = replay.secret(kSymmetricKeySize);
        s.add("payload_key", payloadKey.view());
        s.add("header_key",
              take(packet::deriveHeaderKey(alice->root.id(), sender.identity.id())).view());
        s.add("packet", packetBytes);
        sections.push_back(std::move(s));
    }

    writeVectorFile(std::cout,
                    "# Cinder protocol known-answer vectors, cipher suite 1 (docs/PROTOCOL.md).\n"
                    "# Generated by tests/crypto/vectorgen.cpp; checked by tst_vectors.\n"
                    "# Values are lowercase hex unless the key ends in _text or is a number.\n",
                    sections);
    return 0;
}
