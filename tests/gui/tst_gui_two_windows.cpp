// SPDX-License-Identifier: Apache-2.0
// Issue 5, GUI scenarios with two instances of the app: alice's window and carol's window, side
// by side, each with its own profile, session and worker thread, against one real cinder-server.
// Everything is done the way a person does it: clicking, typing, reading what each window
// shows. They chat, verify each other by the QR code one window shows and the other reads from
// a picture of it, manage a room (with bob, a headless third member), use the keyboard
// shortcuts, lock and unlock, and carol signs in on a second device in a third window. Screenshots
// go to $CINDER_SCREENSHOT_DIR (default: <build dir>/screenshots), prefixed "two-".
#include "AppWindow.h"
#include "SessionFixture.h"

#include "app/AppController.h"
#include "app/ConversationController.h"
#include "app/VerificationController.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QQuickItem>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>

#include <algorithm>
#include <memory>

Q_IMPORT_QML_PLUGIN(CinderPlugin)

using namespace cinder;
using namespace cinder::test;
using app::VerificationController;

namespace {

const QString kWindowPassphrase = QStringLiteral("amber Lantern 4 quiet meadow");
const QString kRoomTitle = QStringLiteral("Launch plans");

// The shown row of the conversation list with that title, or nullptr.
QQuickItem* conversationRow(AppWindow& app, const QString& title) {
    return app.find(QStringLiteral("conversation:") + title);
}

} // namespace

class GuiTwoWindowsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_screenshots = screenshotDirectory();
        QVERIFY(m_screenshots.exists());
        QVERIFY2(m_fixture.start(), "cinder-server did not start");
        m_bob = m_fixture.create("bob");
        QVERIFY(m_bob);

        m_alice =
            std::make_unique<AppWindow>(m_profiles.filePath(QStringLiteral("alice")),
                                        m_fixture.server().endpoint(), options(), m_screenshots);
        m_carol =
            std::make_unique<AppWindow>(m_profiles.filePath(QStringLiteral("carol")),
                                        m_fixture.server().endpoint(), options(), m_screenshots);
        QVERIFY(m_alice->open(QSize(940, 720), QPoint(0, 0)));
        QVERIFY(m_carol->open(QSize(940, 720), QPoint(960, 0)));
    }

    void cleanupTestCase() {
        m_alice.reset();
        m_carol.reset();
    }

    void bothWindowsCreateAnAccount() {
        QVERIFY(m_alice->onboard(QStringLiteral("alice"), kWindowPassphrase));
        QVERIFY(m_carol->onboard(QStringLiteral("carol"), kWindowPassphrase));
        // Two sessions, two stores: each window is signed in as its own account.
        QCOMPARE(m_alice->controller()->username(), QStringLiteral("alice"));
        QCOMPARE(m_carol->controller()->username(), QStringLiteral("carol"));
        QVERIFY(m_alice->controller()->profileDirectory() !=
                m_carol->controller()->profileDirectory());
    }

    void theTwoWindowsChat() {
        // alice starts the chat with the pencil button and writes first.
        QVERIFY(m_alice->click(QStringLiteral("newChatButton")));
        QVERIFY(m_alice->waitFocused(QStringLiteral("newChatUsername")));
        QVERIFY(m_alice->typeInto(QStringLiteral("newChatUsername"), QStringLiteral("carol")));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(waitFor([&] {
            QQuickItem* input = m_alice->find(QStringLiteral("composerInput"));
            return input != nullptr && input->isEnabled();
        }));
        m_direct = m_alice->chatController()->conversationId();
        const QString first = QStringLiteral("hi carol, this is alice's window");
        QVERIFY(m_alice->typeInto(QStringLiteral("composerInput"), first));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(waitFor([&] { return m_alice->shownTexts().contains(first); }));

        // carol's list gets the conversation with one unread message and its preview.
        QVERIFY(waitFor([&] {
            QQuickItem* row = conversationRow(*m_carol, QStringLiteral("alice"));
            return row != nullptr && row->property("unread").toInt() == 1;
        }));
        QVERIFY(m_carol->listPreviews().contains(first));
        QVERIFY(m_carol->screenshot(QStringLiteral("two-01-carol-unread")));

        // She opens it: the message is there, the badge goes, and alice's window shows that
        // carol has seen it.
        QVERIFY(m_carol->click([&] { return conversationRow(*m_carol, QStringLiteral("alice")); },
                               QStringLiteral("alice")));
        QVERIFY(waitFor([&] { return m_carol->shownTexts().contains(first); }));
        QCOMPARE(m_carol->chatController()->conversationId(), m_direct);
        QVERIFY(waitFor([&] {
            QQuickItem* row = conversationRow(*m_carol, QStringLiteral("alice"));
            return row != nullptr && row->property("unread").toInt() == 0;
        }));
        QVERIFY(waitFor([&] {
            return m_alice->messageRole("readState") == QStringList{QStringLiteral("seen")};
        }));

        // carol answers from her window; alice's shows it.
        const QString answer = QStringLiteral("hello alice, carol here");
        QVERIFY(m_carol->typeInto(QStringLiteral("composerInput"), answer));
        m_carol->keyClick(Qt::Key_Return);
        QVERIFY(waitFor([&] { return m_carol->shownTexts().contains(answer); }));
        QVERIFY(waitFor([&] { return m_alice->shownTexts() == QStringList{first, answer}; }));
        QCOMPARE(m_carol->shownTexts(), (QStringList{first, answer}));
        // Each side's own store holds the conversation.
        QCOMPARE(m_alice->storeTexts(conversationIdFromHex(m_direct)),
                 (QStringList{first, answer}));
        QCOMPARE(m_carol->storeTexts(conversationIdFromHex(m_direct)),
                 (QStringList{first, answer}));
        QVERIFY(m_alice->screenshot(QStringLiteral("two-02-alice-chat")));
        QVERIFY(m_carol->screenshot(QStringLiteral("two-03-carol-chat")));
    }

    void verificationByTheOtherWindowsQrCode() {
        QVERIFY(!m_direct.isEmpty());
        QVERIFY(m_alice->find(QStringLiteral("verifiedBadge")) == nullptr);

        // Both open the verification page from the chat header.
        QVERIFY(m_alice->click(QStringLiteral("verifyButton")));
        QVERIFY(m_carol->click(QStringLiteral("verifyButton")));
        QVERIFY(m_alice->waitShown(QStringLiteral("scanImageButton")));
        QVERIFY(m_carol->waitShown(QStringLiteral("ownQrCode")));
        QVERIFY(m_alice->waitShown(QStringLiteral("ownQrCode")));

        // A picture of what each window shows, as a phone camera or a screenshot would take it.
        QTemporaryDir pictures;
        const QString carolsCode = pictures.filePath(QStringLiteral("carols-code.png"));
        const QString alicesOwn = pictures.filePath(QStringLiteral("alices-own-code.png"));
        QVERIFY(waitFor([&] {
            return m_carol->find(QStringLiteral("ownQrCode"))->property("status").toInt() == 1;
        }));
        QVERIFY(m_carol->grab(m_carol->find(QStringLiteral("ownQrCode"))).save(carolsCode));
        QVERIFY(m_alice->grab(m_alice->find(QStringLiteral("ownQrCode"))).save(alicesOwn));
        QVERIFY(m_carol->screenshot(QStringLiteral("two-04-carol-shows-her-code")));

        // The camera option opens in place; this machine has no camera, and the view says so
        // rather than showing a black box. Clicking again closes it.
        QVERIFY(m_alice->click(QStringLiteral("scanWithCamera")));
        QVERIFY(m_alice->waitShown(QStringLiteral("noCamera")));
        QVERIFY(m_alice->find(QStringLiteral("cameraPicture")) == nullptr);
        QVERIFY(m_alice->screenshot(QStringLiteral("two-05a-alice-no-camera")));
        QVERIFY(m_alice->click(QStringLiteral("scanWithCamera")));
        QVERIFY(m_alice->waitGone(QStringLiteral("noCamera")));

        // alice opens the picture chooser; the chooser is the platform's, so the file is handed
        // to it as a person picking it would. Her own code first: it is not carol's.
        QVERIFY(m_alice->click(QStringLiteral("scanImageButton")));
        QVERIFY(chooseImage(alicesOwn));
        QVERIFY(waitFor([&] {
            return verifier(*m_alice)->outcome() == VerificationController::Outcome::Mismatch;
        }));
        QVERIFY(m_alice->waitShown(QStringLiteral("outcomeBanner")));
        QVERIFY(!verifier(*m_alice)->verified());
        QVERIFY(m_alice->screenshot(QStringLiteral("two-05-alice-wrong-code")));

        // Then the picture of carol's window: verified.
        QVERIFY(m_alice->click(QStringLiteral("scanImageButton")));
        QVERIFY(chooseImage(carolsCode));
        QVERIFY(waitFor([&] { return verifier(*m_alice)->verified(); }));
        QCOMPARE(verifier(*m_alice)->outcome(), VerificationController::Outcome::Verified);
        QVERIFY(m_alice->screenshot(QStringLiteral("two-06-alice-verified-carol")));

        // Back in the chat, the header carries the verified badge; carol has not verified
        // alice, so hers does not.
        m_alice->activate();
        m_alice->keyClick(Qt::Key_Escape);
        QVERIFY(m_alice->waitShown(QStringLiteral("verifiedBadge")));
        m_carol->activate();
        m_carol->keyClick(Qt::Key_Escape);
        QVERIFY(m_carol->waitShown(QStringLiteral("composerInput")));
        QVERIFY(m_carol->find(QStringLiteral("verifiedBadge")) == nullptr);
    }

    void roomManagementInBothWindows() {
        // alice creates the room with carol and bob; she is its only manager.
        QVERIFY(m_alice->click(QStringLiteral("newRoomButton")));
        // Typing starts once the dialog has opened and put the cursor in its first field.
        QVERIFY(m_alice->waitFocused(QStringLiteral("newRoomTitle")));
        QVERIFY(m_alice->typeInto(QStringLiteral("newRoomTitle"), kRoomTitle));
        QVERIFY(m_alice->typeInto(QStringLiteral("newRoomMembers"), QStringLiteral("carol, bob")));
        QVERIFY(m_alice->click(QStringLiteral("dialogAction")));
        QVERIFY(waitFor([&] {
            QQuickItem* title = m_alice->find(QStringLiteral("headerTitle"));
            return title && title->property("text").toString() == kRoomTitle;
        }));
        m_room = m_alice->chatController()->conversationId();
        const QString welcome = QStringLiteral("welcome to the launch room");
        QVERIFY(m_alice->typeInto(QStringLiteral("composerInput"), welcome));
        m_alice->keyClick(Qt::Key_Return);

        QVERIFY(m_alice->click(QStringLiteral("membersButton")));
        QVERIFY(waitFor([&] { return memberRows(*m_alice) == 3; }));
        QVERIFY(waitFor([&] { return hasBadge(*m_alice, QStringLiteral("alice")); }));
        QVERIFY(!hasBadge(*m_alice, QStringLiteral("carol")));
        QVERIFY(!hasBadge(*m_alice, QStringLiteral("bob")));
        // A manager sees the controls: add, promote, remove (not on her own row).
        QVERIFY(m_alice->find(QStringLiteral("addMemberField")) != nullptr);
        QVERIFY(memberControl(*m_alice, QStringLiteral("carol"), QStringLiteral("promoteButton")));
        QVERIFY(memberControl(*m_alice, QStringLiteral("bob"), QStringLiteral("removeButton")));
        QVERIFY(!memberControl(*m_alice, QStringLiteral("alice"), QStringLiteral("removeButton")));
        QVERIFY(m_alice->screenshot(QStringLiteral("two-07-alice-room-members")));

        // carol's window lists the room; she reads the welcome, and as a plain member she sees
        // who is in it but no control to change that.
        QVERIFY(waitFor([&] { return conversationRow(*m_carol, kRoomTitle) != nullptr; }));
        QVERIFY(m_carol->click([&] { return conversationRow(*m_carol, kRoomTitle); }, kRoomTitle));
        QVERIFY(waitFor([&] { return m_carol->shownTexts().contains(welcome); }));
        QVERIFY(waitFor([&] { return texts(*m_bob, room()).contains(welcome); }));
        QVERIFY(m_carol->click(QStringLiteral("membersButton")));
        QVERIFY(waitFor([&] { return memberRows(*m_carol) == 3; }));
        QVERIFY(m_carol->screenshot(QStringLiteral("two-08-carol-member-view")));
        QVERIFY(m_carol->waitShown(QStringLiteral("managersOnlyNote")));
        QVERIFY(m_carol->find(QStringLiteral("addMemberField")) == nullptr);
        QVERIFY(m_carol->findAll(QStringLiteral("promoteButton")).isEmpty());
        QVERIFY(m_carol->findAll(QStringLiteral("removeButton")).isEmpty());
        QVERIFY(waitFor([&] { return hasBadge(*m_carol, QStringLiteral("alice")); }));
        QVERIFY(m_carol->screenshot(QStringLiteral("two-08-carol-member-view")));

        // alice makes carol a manager: the badge shows in both windows and carol's page now
        // offers the controls.
        QVERIFY(m_alice->click(
            [&] {
                return memberControl(*m_alice, QStringLiteral("carol"),
                                     QStringLiteral("promoteButton"));
            },
            QStringLiteral("promoteButton")));
        QVERIFY(waitFor([&] { return hasBadge(*m_alice, QStringLiteral("carol")); }));
        QVERIFY(waitFor([&] { return hasBadge(*m_carol, QStringLiteral("carol")); }));
        QVERIFY(m_carol->waitShown(QStringLiteral("addMemberField")));
        QVERIFY(m_carol->waitGone(QStringLiteral("managersOnlyNote")));

        // alice removes bob: gone from both windows, and from bob's own idea of the room.
        QVERIFY(m_alice->click(
            [&] {
                return memberControl(*m_alice, QStringLiteral("bob"),
                                     QStringLiteral("removeButton"));
            },
            QStringLiteral("removeButton")));
        QVERIFY(waitFor([&] { return memberRows(*m_alice) == 2; }));
        QVERIFY(waitFor([&] { return memberRows(*m_carol) == 2; }));
        QVERIFY(m_alice->find(QStringLiteral("member:bob")) == nullptr);
        QVERIFY(waitFor([&] {
            auto state = m_bob->room(room());
            return state && !state->isMember(m_bob->rootId());
        }));
        QVERIFY(m_alice->screenshot(QStringLiteral("two-09-alice-after-changes")));
        QVERIFY(m_carol->screenshot(QStringLiteral("two-10-carol-now-a-manager")));

        // What is written after that reaches carol's window and not bob.
        m_alice->activate();
        m_alice->keyClick(Qt::Key_Escape);
        const QString after = QStringLiteral("just the two of us now");
        QVERIFY(m_alice->typeInto(QStringLiteral("composerInput"), after));
        m_alice->keyClick(Qt::Key_Return);
        m_carol->activate();
        m_carol->keyClick(Qt::Key_Escape);
        QVERIFY(waitFor([&] { return m_carol->shownTexts().contains(after); }));
        QVERIFY(m_bob->waitUntilIdle(kWaitMs));
        QVERIFY(!texts(*m_bob, room()).contains(after));
        QVERIFY(texts(*m_bob, room()).contains(welcome));
    }

    void keyboardShortcuts() {
        // Ctrl+K puts the keys in the search field; typing filters the list, Enter opens the
        // first match.
        QVERIFY(m_alice->activate());
        QTest::keyClick(m_alice->window(), Qt::Key_K, Qt::ControlModifier);
        QVERIFY(waitFor([&] {
            QQuickItem* search = m_alice->find(QStringLiteral("conversationSearch"));
            return search != nullptr && search->hasActiveFocus();
        }));
        m_alice->keyClicks(QStringLiteral("caro"));
        QVERIFY(
            waitFor([&] { return m_alice->listTitles() == QStringList{QStringLiteral("carol")}; }));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(waitFor([&] {
            app::ConversationController* chat = m_alice->chatController();
            return chat != nullptr && chat->conversationId() == m_direct;
        }));
        // Ctrl+N opens the new chat dialog; Esc closes it.
        QTest::keyClick(m_alice->window(), Qt::Key_N, Qt::ControlModifier);
        QVERIFY(m_alice->waitShown(QStringLiteral("newChatUsername")));
        m_alice->keyClick(Qt::Key_Escape);
        QVERIFY(m_alice->waitGone(QStringLiteral("newChatUsername")));
        // Clearing the search brings the whole list back.
        QVERIFY(m_alice->typeInto(QStringLiteral("conversationSearch"), QString()));
        for (int i = 0; i < 4; ++i) {
            m_alice->keyClick(Qt::Key_Backspace);
        }
        QVERIFY(waitFor([&] { return m_alice->listTitles().size() == 2; }));
    }

    void lockAndUnlock() {
        using State = app::AppController::State;
        // Settings, Lock: the keys leave memory and the unlock page asks for the passphrase. A
        // wrong one is refused there; the right one brings back the conversations.
        QVERIFY(m_alice->click(QStringLiteral("settingsButton")));
        QVERIFY(m_alice->click(QStringLiteral("lockButton")));
        QVERIFY(waitFor([&] { return m_alice->controller()->state() == State::Locked; }));
        QVERIFY(m_alice->typeInto(QStringLiteral("unlockPassphrase"),
                                  QStringLiteral("not the passphrase")));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(m_alice->waitShown(QStringLiteral("unlockError")));
        QCOMPARE(m_alice->controller()->state(), State::Locked);
        QVERIFY(m_alice->screenshot(QStringLiteral("two-11-alice-wrong-passphrase")));
        QVERIFY(m_alice->typeInto(QStringLiteral("unlockPassphrase"), kWindowPassphrase));
        QVERIFY(m_alice->click(QStringLiteral("unlockButton")));
        QVERIFY(waitFor([&] { return m_alice->controller()->state() == State::Ready; }));
        QVERIFY(waitFor([&] { return m_alice->listTitles().contains(QStringLiteral("carol")); }));
        QVERIFY(m_alice->storeTexts(conversationIdFromHex(m_direct))
                    .contains(QStringLiteral("hello alice, carol here")));
    }

    void signInOnANewDevice() {
        using State = app::AppController::State;
        // carol's second device: a third window signs in with her username and passphrase.
        auto laptop =
            std::make_unique<AppWindow>(m_profiles.filePath(QStringLiteral("carol-2")),
                                        m_fixture.server().endpoint(), options(), m_screenshots);
        QVERIFY(laptop->open(QSize(940, 720), QPoint(480, 200)));
        QVERIFY(laptop->click(QStringLiteral("startSignInButton")));
        QVERIFY(laptop->typeInto(QStringLiteral("signInUsername"), QStringLiteral("carol")));
        QVERIFY(laptop->typeInto(QStringLiteral("signInPassphrase"), kWindowPassphrase));
        QVERIFY(laptop->click(QStringLiteral("signInButton")));
        // The policy is asked again on this device, and no history came along.
        QVERIFY(waitFor([&] { return laptop->controller()->state() == State::PolicyPending; }));
        QVERIFY(laptop->click(QStringLiteral("policyCheck")));
        QVERIFY(waitFor([&] {
            QQuickItem* button = laptop->find(QStringLiteral("acknowledgeButton"));
            return button != nullptr && button->isEnabled();
        }));
        QVERIFY(laptop->click(QStringLiteral("acknowledgeButton")));
        QVERIFY(waitFor([&] { return laptop->controller()->state() == State::Ready; }));
        QVERIFY(laptop->waitShown(QStringLiteral("conversationList")));
        QVERIFY(laptop->listTitles().isEmpty());

        // What alice writes now reaches both of carol's devices.
        QVERIFY(m_alice->click([&] { return conversationRow(*m_alice, QStringLiteral("carol")); },
                               QStringLiteral("carol")));
        const QString both = QStringLiteral("this reaches both of your devices");
        QVERIFY(m_alice->typeInto(QStringLiteral("composerInput"), both));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(
            waitFor([&] { return conversationRow(*laptop, QStringLiteral("alice")) != nullptr; }));
        QVERIFY(laptop->click([&] { return conversationRow(*laptop, QStringLiteral("alice")); },
                              QStringLiteral("alice")));
        QVERIFY(waitFor([&] { return laptop->shownTexts() == QStringList{both}; }));
        QVERIFY(waitFor(
            [&] { return m_carol->storeTexts(conversationIdFromHex(m_direct)).contains(both); }));
        QVERIFY(laptop->screenshot(QStringLiteral("two-12-carol-second-device")));
    }

private:
    // Every send looks at the contact's devices again, so a new device is seen at once.
    static client::SessionOptions options() {
        client::SessionOptions options = fastOptions();
        options.deviceListMaxAgeMs = 0;
        return options;
    }

    crypto::ConversationId room() const { return conversationIdFromHex(m_room); }

    // An object of the verification page (not an item, so not found by find()): the nearest
    // one of that name around the page's scan button.
    template <typename T>
    static T* nearScanButton(AppWindow& app, const QString& name) {
        for (QQuickItem* item = app.find(QStringLiteral("scanImageButton")); item != nullptr;
             item = item->parentItem()) {
            if (auto* found = item->findChild<T*>(name)) {
                return found;
            }
        }
        return nullptr;
    }
    static VerificationController* verifier(AppWindow& app) {
        return nearScanButton<VerificationController>(app, QStringLiteral("verifier"));
    }

    // In the picture chooser alice's click opened (Qt Quick's own file dialog here, there being
    // no desktop's), goes to the picture's folder, clicks the picture and then "Open".
    bool chooseImage(const QString& path) {
        QObject* dialog = nullptr;
        if (!waitFor([&] {
                dialog = nearScanButton<QObject>(*m_alice, QStringLiteral("qrImageDialog"));
                return dialog != nullptr && dialog->property("visible").toBool();
            })) {
            qWarning() << "the picture chooser did not open";
            return false;
        }
        const QUrl file = QUrl::fromLocalFile(path);
        dialog->setProperty("currentFolder", QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
        const auto entry = [&]() -> QQuickItem* {
            const QList<QQuickItem*> entries = m_alice->findWhere([&](QQuickItem* item) {
                return item->objectName().startsWith(QStringLiteral("fileDialogDelegate")) &&
                       item->property("file").toUrl() == file;
            });
            return entries.isEmpty() ? nullptr : entries.constFirst();
        };
        if (!m_alice->click(entry, path)) {
            return false;
        }
        if (dialog->property("visible").toBool()) {
            const auto open = [&]() -> QQuickItem* {
                const QList<QQuickItem*> buttons = m_alice->findWhere([](QQuickItem* item) {
                    return item->inherits("QQuickAbstractButton") &&
                           item->property("text").toString() == QStringLiteral("Open");
                });
                return buttons.isEmpty() ? nullptr : buttons.constFirst();
            };
            if (!m_alice->click(open, QStringLiteral("the chooser's Open button"))) {
                return false;
            }
        }
        return waitFor([&] { return !dialog->property("visible").toBool(); });
    }

    static int memberRows(AppWindow& app) {
        int rows = 0;
        for (const QString& name :
             {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}) {
            rows += app.findAll(QStringLiteral("member:") + name).size();
        }
        return rows;
    }
    static QQuickItem* memberControl(AppWindow& app, const QString& username,
                                     const QString& control) {
        QQuickItem* row = app.find(QStringLiteral("member:") + username);
        return row ? AppWindow::findWithin(row, control) : nullptr;
    }
    static bool hasBadge(AppWindow& app, const QString& username) {
        return memberControl(app, username, QStringLiteral("managerBadge")) != nullptr;
    }

    SessionFixture m_fixture;
    QTemporaryDir m_profiles;
    QDir m_screenshots;
    std::unique_ptr<AppWindow> m_alice;
    std::unique_ptr<AppWindow> m_carol;
    std::unique_ptr<client::Session> m_bob;
    QString m_direct;
    QString m_room;
};

QTEST_MAIN(GuiTwoWindowsTest)
#include "tst_gui_two_windows.moc"
