// SPDX-License-Identifier: Apache-2.0
// Issue 5: the view models and controllers of the desktop app, driven as QML would drive them,
// over a session on its worker thread, against a real server and a second real user. Each case
// builds its own world (server, accounts, app controller), so any case passes alone or in any
// order (issue 13).
#include "SessionFixture.h"
#include "VideoFrames.h"

#include "app/AppController.h"
#include "app/ContactsController.h"
#include "app/ConversationController.h"
#include "app/ConversationFilterModel.h"
#include "app/ConversationListModel.h"
#include "app/DesktopIntegration.h"
#include "app/DeviceListModel.h"
#include "app/MessageListModel.h"
#include "app/PassphraseStrength.h"
#include "app/QrFrameScanner.h"
#include "app/RoomMemberModel.h"
#include "app/VerificationController.h"
#include "client/QrImage.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QJSEngine>
#include <QSignalSpy>
#include <QVideoSink>

using namespace cinder;
using namespace cinder::test;
using app::AppController;

// One case's world: a server, bob (a session on the test's thread) and alice's app controller
// (her session on its worker thread), with nothing shared between cases.
struct World {
    SessionFixture fixture;
    QTemporaryDir profile;
    std::unique_ptr<client::Session> bob;
    std::unique_ptr<AppController> controller;
    QString direct; // alice's conversation with bob, hex
};

class ViewModelsTest : public QObject {
    Q_OBJECT

private:
    // The server, bob, and alice's controller configured but without an account yet.
    static std::unique_ptr<World> bareWorld() {
        auto world = std::make_unique<World>();
        if (!world->fixture.start()) {
            qWarning("cinder-server did not start");
            return nullptr;
        }
        world->bob = world->fixture.create("bob");
        if (!world->bob) {
            return nullptr;
        }
        world->controller = std::make_unique<AppController>(nullptr);
        world->controller->configure(world->profile.filePath(QStringLiteral("alice")),
                                     world->fixture.server().endpoint(), fastOptions());
        return world;
    }

    // alice's account, the policy acknowledged, online, her conversation with bob open; with
    // hello, "hello bob" sent to him and received.
    static std::unique_ptr<World> readyWorld(bool hello = true) {
        auto world = bareWorld();
        if (!world) {
            return nullptr;
        }
        AppController& controller = *world->controller;
        controller.createAccount(QStringLiteral("alice"), QString::fromStdString(kPassphrase));
        if (!waitFor([&] { return controller.state() == AppController::State::PolicyPending; })) {
            return nullptr;
        }
        controller.acknowledgePolicy();
        if (!waitFor([&] {
                return controller.state() == AppController::State::Ready && controller.online();
            })) {
            return nullptr;
        }
        app::ContactsController contacts;
        contacts.setHost(controller.host());
        QSignalSpy opened(&contacts, &app::ContactsController::conversationOpened);
        contacts.startChat(QStringLiteral("bob"));
        if (!waitFor([&] { return !opened.isEmpty(); })) {
            return nullptr;
        }
        world->direct = opened.first().first().toString();
        if (hello) {
            const auto id = SessionHost_idFromHex(world->direct);
            controller.host()->post(
                [id](client::Session& session) { (void)session.sendText(id, "hello bob"); });
            if (!waitFor([&] {
                    return texts(*world->bob, id) == QStringList{QStringLiteral("hello bob")};
                })) {
                return nullptr;
            }
        }
        return world;
    }

    // Message rows alice's session has read back from its store so far.
    quint64 rowsRead(World& world) {
        auto read = std::make_shared<std::optional<quint64>>();
        world.controller->host()->run<quint64>(
            [](client::Session& session) { return session.receiveCounters().messageRowsRead; },
            this, [read](quint64 count) { *read = count; });
        waitFor([&] { return read->has_value(); });
        return read->value_or(0);
    }

private slots:
    void passphraseStrength() {
        app::PassphraseStrength strength;
        QCOMPARE(strength.score(), 0);
        strength.setPassphrase(QStringLiteral("short"));
        QCOMPARE(strength.score(), 1);
        QVERIFY(!strength.acceptable());
        strength.setPassphrase(QStringLiteral("aaaaaaaaaaaaaaaaaaaa"));
        QVERIFY(!strength.acceptable()); // long but one character
        strength.setPassphrase(QStringLiteral("abcdefghijklmnop"));
        QVERIFY(strength.score() <= 2); // a run
        strength.setPassphrase(QStringLiteral("violet Harbor 7 crane tumble"));
        QCOMPARE(strength.score(), 4);
        QVERIFY(strength.acceptable());
        QVERIFY(!strength.label().isEmpty());
    }

    void onboardingRequiresThePolicyBeforeSending() {
        auto world = bareWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        QSignalSpy state(&controller, &AppController::stateChanged);
        controller.createAccount(QStringLiteral("alice"), QString::fromStdString(kPassphrase));
        QVERIFY(waitFor([&] { return controller.state() == AppController::State::PolicyPending; }));
        QCOMPARE(controller.username(), QStringLiteral("alice"));
        QVERIFY(waitFor([&] { return controller.online(); }));

        app::ContactsController contacts;
        contacts.setHost(controller.host());
        QSignalSpy opened(&contacts, &app::ContactsController::conversationOpened);
        contacts.startChat(QStringLiteral("Bob"));
        QVERIFY(waitFor([&] { return !opened.isEmpty(); }));
        world->direct = opened.first().first().toString();

        // Not acknowledged yet: the conversation refuses to send, with the reason.
        app::ConversationController conversation;
        conversation.setHost(controller.host());
        conversation.setConversationId(world->direct);
        QVERIFY(waitFor([&] { return conversation.title() == QStringLiteral("bob"); }));
        QVERIFY(!conversation.canSend());
        QVERIFY(!conversation.blockedReason().isEmpty());
        QVERIFY(!conversation.send(QStringLiteral("too early")));

        controller.acknowledgePolicy();
        QVERIFY(waitFor([&] { return controller.state() == AppController::State::Ready; }));
        QSignalSpy details(&conversation, &app::ConversationController::detailsChanged);
        conversation.setConversationId({});
        conversation.setConversationId(world->direct);
        QVERIFY(waitFor([&] { return conversation.canSend(); }));
        QVERIFY(conversation.send(QStringLiteral("  hello bob  ")));
        const auto id = SessionHost_idFromHex(world->direct);
        QVERIFY(waitFor(
            [&] { return texts(*world->bob, id) == QStringList{QStringLiteral("hello bob")}; }));
    }

    void conversationListFollowsTheSession() {
        auto world = readyWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        app::ConversationListModel list;
        QAbstractItemModelTester tester(&list,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(list.rowCount(), 0); // no host yet
        list.setHost(controller.host());
        QVERIFY(waitFor([&] { return list.rowCount() == 1; }));
        const QModelIndex row = list.index(0);
        QCOMPARE(row.data(app::ConversationListModel::TitleRole).toString(), QStringLiteral("bob"));
        QCOMPARE(row.data(app::ConversationListModel::PreviewRole).toString(),
                 QStringLiteral("hello bob"));
        QCOMPARE(row.data(app::ConversationListModel::UnreadRole).toInt(), 0);

        const auto id = SessionHost_idFromHex(world->direct);
        QVERIFY(world->bob->sendText(id, "<b>not bold</b>"));
        QVERIFY(waitFor([&] { return list.unreadTotal() == 1; }));
        QCOMPARE(list.index(0).data(app::ConversationListModel::PreviewRole).toString(),
                 QStringLiteral("<b>not bold</b>"));

        app::ConversationFilterModel filter;
        QAbstractItemModelTester filterTester(
            &filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&list);
        filter.setFilterText(QStringLiteral("BO"));
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.conversationIdAt(0), world->direct);
        filter.setFilterText(QStringLiteral("carol"));
        QCOMPARE(filter.rowCount(), 0);
    }

    void messagesLoadLazilyAndStayPlainText() {
        auto world = readyWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        const auto id = SessionHost_idFromHex(world->direct);
        QVERIFY(world->bob->sendText(id, "<b>not bold</b>"));
        for (int i = 0; i < 120; ++i) {
            QVERIFY(world->bob->sendText(id, "bulk " + std::to_string(i)));
        }
        QVERIFY(world->bob->waitUntilIdle(kWaitMs));

        // Everything has reached alice's device before the view opens.
        QVERIFY(waitFor([&] {
            auto stored = std::make_shared<int>(-1);
            controller.host()->run<int>(
                [id](client::Session& session) {
                    auto page = storeOf(session).messages().page(id, std::nullopt, 500);
                    return page ? static_cast<int>(page->size()) : 0;
                },
                this, [stored](int count) { *stored = count; });
            waitFor([&] { return *stored >= 0; }, 5000);
            return *stored == 122;
        }));

        app::MessageListModel messages;
        QAbstractItemModelTester tester(&messages,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        messages.setHost(controller.host());
        messages.setConversationId(world->direct);
        // 122 messages: hello, <b>…, bulk 0..119. The newest page comes first, ending with the
        // newest message; older pages only when asked for (the tester may ask once too).
        QVERIFY(waitFor([&] {
            return messages.rowCount() >= app::MessageListModel::kPageSize &&
                   messages.index(messages.rowCount() - 1)
                           .data(app::MessageListModel::TextRole)
                           .toString() == QStringLiteral("bulk 119");
        }));
        QVERIFY(messages.rowCount() < 122);
        QVERIFY(waitFor([&] {
            if (messages.canFetchMore({})) {
                messages.fetchMore({});
            }
            return messages.rowCount() == 122 && messages.atBeginning();
        }));
        QVERIFY(!messages.canFetchMore({}));
        const QModelIndex first = messages.index(0);
        QCOMPARE(first.data(app::MessageListModel::TextRole).toString(),
                 QStringLiteral("hello bob"));
        QVERIFY(first.data(app::MessageListModel::OutgoingRole).toBool());
        QVERIFY(!first.data(app::MessageListModel::DayLabelRole).toString().isEmpty());
        QVERIFY(first.data(app::MessageListModel::FirstInGroupRole).toBool());
        const QModelIndex markup = messages.index(1);
        QCOMPARE(markup.data(app::MessageListModel::TextRole).toString(),
                 QStringLiteral("<b>not bold</b>"));
        QCOMPARE(markup.data(app::MessageListModel::SenderRole).toString(), QStringLiteral("bob"));
        QVERIFY(markup.data(app::MessageListModel::FirstInGroupRole).toBool());
        QVERIFY(!messages.index(2).data(app::MessageListModel::FirstInGroupRole).toBool());
        QVERIFY(messages.index(2).data(app::MessageListModel::RemainingRole).toLongLong() > 0);

        // Reading them clears the unread count; a reaction is folded into its message.
        app::ConversationController conversation;
        conversation.setHost(controller.host());
        conversation.setConversationId(world->direct);
        QVERIFY(waitFor([&] { return conversation.canSend(); }));
        conversation.markRead(messages.unreadIds());
        QVERIFY(waitFor([&] { return messages.unreadIds().isEmpty(); }));
        const QString target = markup.data(app::MessageListModel::MessageIdRole).toString();
        conversation.react(target, QStringLiteral("👍"));
        QVERIFY(waitFor([&] {
            return messages.index(messages.indexOf(target))
                       .data(app::MessageListModel::ReactionsRole)
                       .toString() == QStringLiteral("👍 1");
        }));
        QCOMPARE(messages.rowCount(), 122);

        // A new message arrives at the end.
        QSignalSpy appended(&messages, &app::MessageListModel::messagesAppended);
        QVERIFY(world->bob->sendText(id, "latest"));
        QVERIFY(waitFor([&] { return messages.rowCount() == 123; }));
        QCOMPARE(messages.index(122).data(app::MessageListModel::TextRole).toString(),
                 QStringLiteral("latest"));
        QVERIFY(!appended.isEmpty());
    }

    void roomMembersAndDevices() {
        auto world = readyWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        app::ContactsController contacts;
        contacts.setHost(controller.host());
        QSignalSpy opened(&contacts, &app::ContactsController::conversationOpened);
        contacts.createRoom(QStringLiteral("team"), QStringLiteral("bob, @bob"));
        QVERIFY(waitFor([&] { return !opened.isEmpty(); }));

        app::RoomMemberModel members;
        QAbstractItemModelTester tester(&members,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        members.setHost(controller.host());
        members.setConversationId(opened.first().first().toString());
        QVERIFY(waitFor([&] { return members.rowCount() == 2; }));
        QVERIFY(members.canManage());
        QCOMPARE(members.title(), QStringLiteral("team"));
        QCOMPARE(members.index(0).data(app::RoomMemberModel::UsernameRole).toString(),
                 QStringLiteral("alice"));
        QVERIFY(members.index(0).data(app::RoomMemberModel::ManagerRole).toBool());
        QVERIFY(members.index(0).data(app::RoomMemberModel::SelfRole).toBool());
        members.promote(QStringLiteral("bob"));
        QVERIFY(waitFor([&] {
            return members.index(1).data(app::RoomMemberModel::ManagerRole).toBool() ||
                   members.index(0).data(app::RoomMemberModel::UsernameRole).toString() ==
                       QStringLiteral("bob");
        }));

        app::DeviceListModel devices;
        QAbstractItemModelTester deviceTester(
            &devices, QAbstractItemModelTester::FailureReportingMode::QtTest);
        devices.setHost(controller.host());
        QVERIFY(waitFor([&] { return devices.rowCount() == 1; }));
        QVERIFY(devices.index(0).data(app::DeviceListModel::ThisDeviceRole).toBool());
        QCOMPARE(devices.index(0).data(app::DeviceListModel::ShortIdRole).toString().size(), 8);
    }

    // One change of a room's members is one row change: inserted, changed, removed; never a
    // reset of the model.
    void roomMembersChangeRowByRow() {
        auto world = readyWorld(false);
        QVERIFY(world);
        AppController& controller = *world->controller;
        auto carol = world->fixture.create("carol");
        QVERIFY(carol);
        app::ContactsController contacts;
        contacts.setHost(controller.host());
        QSignalSpy opened(&contacts, &app::ContactsController::conversationOpened);
        contacts.createRoom(QStringLiteral("crew"), QStringLiteral("bob"));
        QVERIFY(waitFor([&] { return !opened.isEmpty(); }));

        app::RoomMemberModel members;
        QAbstractItemModelTester tester(&members,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        members.setHost(controller.host());
        members.setConversationId(opened.first().first().toString());
        QVERIFY(waitFor([&] { return members.rowCount() == 2; }));
        const auto nameAt = [&](int row) {
            return members.index(row).data(app::RoomMemberModel::UsernameRole).toString();
        };
        const auto managerAt = [&](int row) {
            return members.index(row).data(app::RoomMemberModel::ManagerRole).toBool();
        };
        QSignalSpy reset(&members, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&members, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&members, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&members, &QAbstractItemModel::dataChanged);

        // carol joins: one row inserted, below the manager and bob.
        members.addMember(QStringLiteral("carol"));
        QVERIFY(waitFor([&] { return members.rowCount() == 3; }));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 2);
        QCOMPARE(nameAt(2), QStringLiteral("carol"));
        QCOMPARE(removed.size(), 0);

        // bob becomes a manager: his row changes where it is (managers first, then by name).
        members.promote(QStringLiteral("bob"));
        QVERIFY(waitFor([&] { return managerAt(1); }));
        QCOMPARE(nameAt(1), QStringLiteral("bob"));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.last().at(0).value<QModelIndex>().row(), 1);

        // carol is removed: her row goes, the others stay.
        members.removeMember(QStringLiteral("carol"));
        QVERIFY(waitFor([&] { return members.rowCount() == 2; }));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 2);
        QCOMPARE(nameAt(0), QStringLiteral("alice"));
        QCOMPARE(nameAt(1), QStringLiteral("bob"));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(reset.size(), 0);
    }

    void verificationByQrImage() {
        auto world = readyWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        app::VerificationController verification;
        verification.setHost(controller.host());
        verification.setUsername(QStringLiteral("bob"));
        QVERIFY(waitFor([&] { return !verification.safetyCode().isEmpty(); }));
        QVERIFY(verification.ownQrCode().startsWith(QStringLiteral("data:image/png;base64,")));
        QVERIFY(!verification.verified());

        QTemporaryDir images;
        // Someone else's code is refused and changes nothing.
        auto carol = world->fixture.create("carol");
        QVERIFY(carol);
        const QString carolPng = images.filePath(QStringLiteral("carol.png"));
        QVERIFY(client::renderQr(carol->ownVerification()->ownQrPayload).save(carolPng));
        verification.scanImage(QUrl::fromLocalFile(carolPng));
        QVERIFY(waitFor([&] {
            return verification.outcome() == app::VerificationController::Outcome::Mismatch;
        }));
        QVERIFY(!verification.verified());
        // A picture without a code.
        const QString blank = images.filePath(QStringLiteral("blank.png"));
        QImage white(200, 200, QImage::Format_Grayscale8);
        white.fill(255);
        QVERIFY(white.save(blank));
        verification.scanImage(QUrl::fromLocalFile(blank));
        QCOMPARE(verification.outcome(), app::VerificationController::Outcome::Unreadable);
        // bob's own code verifies him.
        const QString bobPng = images.filePath(QStringLiteral("bob.png"));
        QVERIFY(client::renderQr(world->bob->ownVerification()->ownQrPayload).save(bobPng));
        verification.scanImage(QUrl::fromLocalFile(bobPng));
        QVERIFY(waitFor([&] { return verification.verified(); }));
        QCOMPARE(verification.outcome(), app::VerificationController::Outcome::Verified);
    }

    void verificationByCamera() {
        auto world = readyWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        // The camera path: frames into the sink QML hands the scanner, the code it finds into
        // the same check an image file gets.
        app::VerificationController verification;
        verification.setHost(controller.host());
        verification.setUsername(QStringLiteral("bob"));
        QVERIFY(waitFor([&] { return !verification.safetyCode().isEmpty(); }));
        QVideoSink sink;
        app::QrFrameScanner scanner;
        scanner.setVideoSink(&sink);
        // Relayed through JavaScript as ScanQrStep.qml does (onFound: payload =>
        // verification.verifyScannedCode(payload)): the binary code must survive the trip to an
        // ArrayBuffer and back.
        QJSEngine js;
        QJSEngine::setObjectOwnership(&verification, QJSEngine::CppOwnership);
        js.globalObject().setProperty(QStringLiteral("verification"), js.newQObject(&verification));
        QJSValue relay =
            js.evaluate(QStringLiteral("(payload) => verification.verifyScannedCode(payload)"));
        QVERIFY(relay.isCallable());
        connect(&scanner, &app::QrFrameScanner::found, this, [&](const QByteArray& payload) {
            const QJSValue result = relay.call({js.toScriptValue(payload)});
            QVERIFY(!result.isError());
        });
        QSignalSpy found(&scanner, &app::QrFrameScanner::found);
        QSignalSpy read(&scanner, &app::QrFrameScanner::frameRead);
        const auto frameOf = [](const QImage& image) {
            return test::videoFrameOf(image, QVideoFrameFormat::Format_YUV420P);
        };

        // A frame without a code: nothing found, nothing checked.
        scanner.setActive(true);
        QImage white(320, 240, QImage::Format_Grayscale8);
        white.fill(255);
        sink.setVideoFrame(frameOf(white));
        QVERIFY(read.wait());
        QCOMPARE(found.size(), 0);
        QCOMPARE(verification.outcome(), app::VerificationController::Outcome::None);
        // A stranger's code is found but refused.
        auto dave = world->fixture.create("dave");
        QVERIFY(dave);
        sink.setVideoFrame(frameOf(client::renderQr(dave->ownVerification()->ownQrPayload)));
        QVERIFY(found.wait());
        QVERIFY(waitFor([&] {
            return verification.outcome() == app::VerificationController::Outcome::Mismatch;
        }));
        // bob's own code, shown to the camera after scanning is started again, is accepted and
        // verifies him (this case's bob has not been verified by any other way).
        QVERIFY(!verification.verified());
        scanner.setActive(true);
        sink.setVideoFrame(frameOf(client::renderQr(world->bob->ownVerification()->ownQrPayload)));
        QVERIFY(found.wait());
        QCOMPARE(found.size(), 2);
        QVERIFY(waitFor([&] {
            return verification.outcome() == app::VerificationController::Outcome::Verified;
        }));
        QVERIFY(waitFor([&] { return verification.verified(); }));
    }

    void receivedMessageReachesTheModelWithoutASecondRead() {
        auto world = readyWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        // Everything that listens to a received message in the app: the chat, the list, the
        // desktop notifications.
        app::MessageListModel messages;
        QAbstractItemModelTester tester(&messages,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        app::ConversationListModel list;
        QAbstractItemModelTester listTester(&list,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        app::DesktopIntegration desktop;
        QSignalSpy notified(&desktop, &app::DesktopIntegration::notified);
        messages.setHost(controller.host());
        list.setHost(controller.host());
        desktop.setHost(controller.host());
        messages.setConversationId(world->direct);
        QVERIFY(waitFor([&] { return messages.rowCount() == 1 && list.rowCount() == 1; }));

        const quint64 before = rowsRead(*world);
        QVERIFY(world->bob->sendText(SessionHost_idFromHex(world->direct), "read once"));
        QVERIFY(waitFor([&] {
            return messages.rowCount() == 2 &&
                   list.index(0).data(app::ConversationListModel::PreviewRole).toString() ==
                       QStringLiteral("read once");
        }));
        const QModelIndex received = messages.index(1);
        QCOMPARE(received.data(app::MessageListModel::TextRole).toString(),
                 QStringLiteral("read once"));
        QCOMPARE(received.data(app::MessageListModel::SenderRole).toString(),
                 QStringLiteral("bob"));
        QCOMPARE(received.data(app::MessageListModel::ReadStateRole).toString(),
                 QStringLiteral("unread"));
        QCOMPARE(list.index(0).data(app::ConversationListModel::UnreadRole).toInt(), 1);
        QVERIFY(waitFor([&] { return !notified.isEmpty(); }));
        QCOMPARE(notified.first().at(0).toString(), QStringLiteral("bob"));
        // Stored once by the receive path; nobody read its row back to show it.
        QCOMPARE(rowsRead(*world), before);
    }

    void aConversationChangeMovesItsRow() {
        auto world = readyWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        auto carol = world->fixture.create("carol");
        QVERIFY(carol);
        app::ConversationListModel list;
        QAbstractItemModelTester tester(&list,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        list.setHost(controller.host());
        QVERIFY(waitFor([&] { return list.rowCount() == 1; }));

        // A new conversation is a row inserted at the top.
        QSignalSpy reset(&list, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&list, &QAbstractItemModel::rowsInserted);
        QSignalSpy moved(&list, &QAbstractItemModel::rowsMoved);
        QSignalSpy changed(&list, &QAbstractItemModel::dataChanged);
        controller.host()->post([](client::Session& session) {
            if (auto opened = session.openDirect("carol")) {
                (void)session.sendText(*opened, "hi carol");
            }
        });
        QVERIFY(waitFor([&] {
            return list.rowCount() == 2 &&
                   list.index(0).data(app::ConversationListModel::PreviewRole).toString() ==
                       QStringLiteral("hi carol");
        }));
        QCOMPARE(list.index(0).data(app::ConversationListModel::TitleRole).toString(),
                 QStringLiteral("carol"));
        QVERIFY(!inserted.isEmpty());

        // bob writes: his row moves back to the top and shows the message; nothing is reset.
        moved.clear();
        changed.clear();
        QVERIFY(world->bob->sendText(SessionHost_idFromHex(world->direct), "back on top"));
        QVERIFY(waitFor([&] {
            return list.index(0).data(app::ConversationListModel::TitleRole).toString() ==
                   QStringLiteral("bob");
        }));
        QVERIFY(waitFor([&] { return list.unreadTotal() == 1; }));
        QCOMPARE(list.index(0).data(app::ConversationListModel::PreviewRole).toString(),
                 QStringLiteral("back on top"));
        QCOMPARE(list.index(1).data(app::ConversationListModel::TitleRole).toString(),
                 QStringLiteral("carol"));
        QVERIFY(!moved.isEmpty());
        QVERIFY(!changed.isEmpty());
        QCOMPARE(reset.size(), 0);
        QCOMPARE(list.rowCount(), 2);
    }

    void countdownLabelsRoundUp() {
        using app::MessageListModel;
        QCOMPARE(MessageListModel::remainingLabel(-1), QString());
        QCOMPARE(MessageListModel::remainingLabel(42), QStringLiteral("42s"));
        QCOMPARE(MessageListModel::remainingLabel(61), QStringLiteral("2m"));
        QCOMPARE(MessageListModel::remainingLabel(3600), QStringLiteral("1h"));
        QCOMPARE(MessageListModel::remainingLabel(7 * 86400 - 5), QStringLiteral("7d"));
    }

    void notificationsHideTextWithoutPreviews() {
        const QString body = app::DesktopIntegration::notificationBody(
            QStringLiteral("bob"), QStringLiteral("secret"), false);
        QVERIFY(!body.contains(QStringLiteral("secret")));
        QVERIFY(body.contains(QStringLiteral("bob")));
        QVERIFY(app::DesktopIntegration::notificationBody(QStringLiteral("bob"),
                                                          QStringLiteral("secret"), true)
                    .contains(QStringLiteral("secret")));
    }

    void lockDropsTheSessionAndUnlockReturns() {
        auto world = readyWorld();
        QVERIFY(world);
        AppController& controller = *world->controller;
        controller.lock();
        QCOMPARE(controller.state(), AppController::State::Locked);
        QVERIFY(waitFor([&] { return !controller.host()->hasSession(); }));
        controller.unlock(QStringLiteral("wrong passphrase"));
        QVERIFY(waitFor([&] { return !controller.busy(); }));
        QCOMPARE(controller.state(), AppController::State::Locked);
        QVERIFY(!controller.errorText().isEmpty());
        controller.unlock(QString::fromStdString(kPassphrase));
        // Acknowledged once on this device: straight to the conversations.
        QVERIFY(waitFor([&] { return controller.state() == AppController::State::Ready; }));
    }

private:
    static crypto::ConversationId SessionHost_idFromHex(const QString& hexId) {
        return app::SessionHost::idFromHex<crypto::kConversationIdSize>(hexId).value();
    }
};

QTEST_MAIN(ViewModelsTest)
#include "tst_view_models.moc"
