// SPDX-License-Identifier: Apache-2.0
// ReceivePipeline (client/ReceivePipeline.h) against a channel double: what is dropped and
// acknowledged, what is recognised as a copy without a key agreement, what waits on the
// server. Decryption of real packets is covered by tst_session_messaging.

#include "RoleFixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace cinder;
using namespace cinder::test;

namespace {

struct Acks {
    std::vector<std::uint64_t> ids;
};

void acknowledgeInto(ChannelDouble& channel, Acks& acks) {
    channel.script(api::VERB_ACK, [&acks](const QByteArray& request) {
        api::AckRequest ack;
        if (ack.ParseFromArray(request.constData(), static_cast<int>(request.size()))) {
            acks.ids.insert(acks.ids.end(), ack.delivery_ids().begin(), ack.delivery_ids().end());
        }
        return ChannelDouble::ok(api::AckResponse());
    });
}

api::Delivery deliveryFrom(std::string root, std::string node, std::uint64_t id) {
    api::Delivery delivery;
    delivery.set_delivery_id(id);
    delivery.set_sender_root_id(std::move(root));
    delivery.set_sender_node_id(std::move(node));
    delivery.set_packet("not a packet " + std::to_string(id));
    return delivery;
}

} // namespace

class ReceivePipelineTest : public QObject {
    Q_OBJECT
private slots:
    void dropsAMalformedSender() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        Acks acks;
        acknowledgeInto(device->channel(), acks);
        device->channel().open({}, {});
        QSignalSpy dropped(&device->receive(), &client::ReceivePipeline::deliveryDropped);

        device->receive().queue(deliveryFrom("short", "ids", 7));
        device->receive().handlePending();

        QCOMPARE(dropped.count(), 1);
        QCOMPARE(acks.ids, std::vector<std::uint64_t>{7});
        QCOMPARE(device->receive().counters().packetsOpened, std::uint64_t{0});
        QVERIFY(device->store().conversations().all()->empty());
    }

    void acknowledgesACopyWithoutOpeningIt() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        Acks acks;
        acknowledgeInto(device->channel(), acks);
        device->channel().open({}, {});
        const api::Delivery copy = deliveryFrom(std::string(crypto::kRootIdSize, 'r'),
                                                std::string(crypto::kNodeIdSize, 'n'), 9);
        QVERIFY(device->store().replay().recordHandledDelivery(
            crypto::sha256(crypto::asBytes(copy.packet())), device->context().now()));

        device->receive().queue(copy);
        device->receive().handlePending();

        QCOMPARE(device->receive().counters().redeliveries, std::uint64_t{1});
        QCOMPARE(device->receive().counters().packetsOpened, std::uint64_t{0});
        QCOMPARE(acks.ids, std::vector<std::uint64_t>{9});
        // The sender was never looked up: a copy costs no request but the acknowledgement.
        QCOMPARE(device->channel().callsOf(api::VERB_GET_PROFILE), std::size_t{0});
    }

    void keepsAFirstContactWhileTheServerIsUnreachable() {
        QTemporaryDir home;
        auto device = RoleDevice::local(home.path());
        QVERIFY(device);
        Acks acks;
        acknowledgeInto(device->channel(), acks);
        device->channel().open({}, {});
        QSignalSpy dropped(&device->receive(), &client::ReceivePipeline::deliveryDropped);

        // GET_PROFILE is not scripted: the double does not answer it.
        device->receive().queue(deliveryFrom(std::string(crypto::kRootIdSize, 'r'),
                                             std::string(crypto::kNodeIdSize, 'n'), 11));
        device->receive().handlePending();

        QCOMPARE(device->channel().callsOf(api::VERB_GET_PROFILE), std::size_t{1});
        QVERIFY(acks.ids.empty()); // stays on the server for the next connection
        QCOMPARE(dropped.count(), 0);
        QVERIFY(device->store().contacts().all()->empty());
    }
};

QTEST_GUILESS_MAIN(ReceivePipelineTest)
#include "tst_receive_pipeline.moc"
