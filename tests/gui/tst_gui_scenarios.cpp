// SPDX-License-Identifier: Apache-2.0
// Issue 5, "GUI scenario tests": the real window (module Cinder, Main.qml, loaded as main.cpp
// loads it) against a real cinder-server, driven like a person would: typing into fields,
// clicking buttons, reading what the window shows. The other side of every conversation is
// bob, a headless client::Session in this thread. Each scenario saves a small PNG into
// $CINDER_SCREENSHOT_DIR (default: <build dir>/screenshots).
#include "AppWindow.h"
#include "SessionFixture.h"

#include "app/AppController.h"
#include "app/ContactsController.h"
#include "app/ConversationController.h"

#include <QApplication>
#include <QDir>
#include <QQuickItem>
#include <QSignalSpy>
#include <QtQml/QQmlExtensionPlugin>

#include <algorithm>
#include <memory>

Q_IMPORT_QML_PLUGIN(CinderPlugin)

using namespace cinder;
using namespace cinder::test;
using app::AppController;

namespace {

const QString kAlicePassphrase = QStringLiteral("violet Harbor 7 crane tumble");

QRectF sceneRect(QQuickItem* item) {
    return item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
}

} // namespace

class GuiScenariosTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_screenshots = screenshotDirectory();
        QVERIFY(m_screenshots.exists());

        QVERIFY2(m_fixture.start(), "cinder-server did not start");
        m_bob = m_fixture.create("bob");
        QVERIFY(m_bob);

        // As main.cpp does, with a temporary profile, the test server and fast scrypt costs.
        // Every send checks the contact's devices again, so an identity change shows at once.
        client::SessionOptions options = fastOptions();
        options.deviceListMaxAgeMs = 0;
        m_alice =
            std::make_unique<AppWindow>(m_profile.filePath(QStringLiteral("alice")),
                                        m_fixture.server().endpoint(), options, m_screenshots);
        QVERIFY(m_alice->open(QSize(1040, 700)));
        QCOMPARE(m_alice->controller()->state(), AppController::State::NoAccount);
    }

    void cleanupTestCase() { m_alice.reset(); }

    void onboardingThenAcknowledgementBeforeSending() {
        QVERIFY(m_alice->click(QStringLiteral("startCreateButton")));
        QVERIFY(m_alice->typeInto(QStringLiteral("usernameField"), QStringLiteral("alice")));
        QVERIFY(m_alice->typeInto(QStringLiteral("passphraseField"), kAlicePassphrase));
        QVERIFY(m_alice->typeInto(QStringLiteral("confirmField"), kAlicePassphrase));
        QVERIFY(m_alice->screenshot(QStringLiteral("01-create-account")));
        QVERIFY(m_alice->click(QStringLiteral("createButton")));
        QVERIFY(waitFor(
            [&] { return m_alice->controller()->state() == AppController::State::PolicyPending; }));
        QVERIFY(
            waitFor([&] { return m_alice->find(QStringLiteral("acknowledgeButton")) != nullptr; }));

        // The policy screen stands before the conversations: no composer anywhere yet, and the
        // Continue button waits for the box to be ticked.
        QVERIFY(m_alice->find(QStringLiteral("composerInput")) == nullptr);
        QVERIFY(!m_alice->find(QStringLiteral("acknowledgeButton"))->isEnabled());
        QVERIFY(m_alice->screenshot(QStringLiteral("02-policy")));

        // A conversation opened behind the policy screen (as a notification click could):
        // its composer is disabled, with the reason, and neither Enter nor the send button
        // lets anything out.
        // (Once the new account's session is logged in: looking bob up needs the server.)
        QVERIFY(waitFor([&] { return m_alice->controller()->online(); }));
        app::ContactsController contacts;
        contacts.setHost(m_alice->controller()->host());
        QSignalSpy opened(&contacts, &app::ContactsController::conversationOpened);
        contacts.startChat(QStringLiteral("bob"));
        QVERIFY(waitFor([&] { return !opened.isEmpty(); }));
        m_direct = opened.constFirst().constFirst().toString();
        {
            std::unique_ptr<QQuickItem> page = m_alice->createChatPage(m_direct);
            QVERIFY(page);
            QVERIFY(
                waitFor([&] { return m_alice->find(QStringLiteral("blockedReason")) != nullptr; }));
            QVERIFY(!m_alice->find(QStringLiteral("blockedReason"))
                         ->property("text")
                         .toString()
                         .isEmpty());
            QQuickItem* input = m_alice->find(QStringLiteral("composerInput"));
            QVERIFY(input);
            QVERIFY(!input->isEnabled());
            // A disabled field takes no focus: what is typed lands on the page.
            page->forceActiveFocus();
            m_alice->keyClicks(QStringLiteral("too early"));
            m_alice->keyClick(Qt::Key_Return);
            QVERIFY(!m_alice->find(QStringLiteral("sendButton"))->isEnabled());
            QVERIFY(m_alice->click(QStringLiteral("sendButton")));
            QVERIFY(m_alice->screenshot(QStringLiteral("03-composer-before-policy")));
        }
        QVERIFY(m_bob->waitUntilIdle(kWaitMs));
        QVERIFY(texts(*m_bob, directId()).isEmpty());

        QVERIFY(!m_alice->find(QStringLiteral("policyCheck"))->property("checked").toBool());
        QVERIFY(m_alice->click(QStringLiteral("policyCheck")));
        QVERIFY(waitFor(
            [&] { return m_alice->find(QStringLiteral("acknowledgeButton"))->isEnabled(); }));
        QVERIFY(m_alice->click(QStringLiteral("acknowledgeButton")));
        QVERIFY(
            waitFor([&] { return m_alice->controller()->state() == AppController::State::Ready; }));
        QVERIFY(waitFor([&] { return m_alice->find(QStringLiteral("newChatButton")) != nullptr; }));
        QVERIFY(m_alice->screenshot(QStringLiteral("04-conversations")));
    }

    void chatWithThePeer() {
        QVERIFY(!m_direct.isEmpty());
        // New chat (the pencil), type the name, Enter.
        QVERIFY(m_alice->click(QStringLiteral("newChatButton")));
        QVERIFY(m_alice->waitFocused(QStringLiteral("newChatUsername")));
        QVERIFY(m_alice->typeInto(QStringLiteral("newChatUsername"), QStringLiteral("bob")));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(waitFor([&] {
            QQuickItem* input = m_alice->find(QStringLiteral("composerInput"));
            return input != nullptr && input->isEnabled() &&
                   m_alice->find(QStringLiteral("newChatUsername")) == nullptr;
        }));
        QCOMPARE(m_alice->chatController()->conversationId(), m_direct);
        // The header's title sits next to the avatar (it once drifted to the middle).
        QVERIFY(waitFor([&] {
            QQuickItem* title = m_alice->find(QStringLiteral("headerTitle"));
            return title && title->property("text").toString() == QStringLiteral("bob");
        }));
        QVERIFY(sceneRect(m_alice->find(QStringLiteral("headerTitle"))).left() -
                    sceneRect(m_alice->find(QStringLiteral("headerAvatar"))).right() <
                24);

        // Only what is typed after the acknowledgement ever reached bob.
        QVERIFY(m_alice->typeInto(QStringLiteral("composerInput"), QStringLiteral("hello bob")));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(
            waitFor([&] { return m_alice->shownTexts().contains(QStringLiteral("hello bob")); }));
        QVERIFY(
            m_alice->find(QStringLiteral("composerInput"))->property("text").toString().isEmpty());
        QVERIFY(waitFor(
            [&] { return texts(*m_bob, directId()) == QStringList{QStringLiteral("hello bob")}; }));

        // bob answers, with markup that must stay text; it shows in the list.
        const QString reply = QStringLiteral("hi alice <b>not bold</b>");
        QVERIFY(m_bob->sendText(directId(), reply.toStdString()));
        QVERIFY(waitFor([&] { return m_alice->shownTexts().contains(reply); }));
        QVERIFY(m_alice->modelTexts().contains(reply));

        // The send button works too.
        QVERIFY(m_alice->typeInto(QStringLiteral("composerInput"),
                                  QStringLiteral("sent by the button")));
        QVERIFY(waitFor([&] { return m_alice->find(QStringLiteral("sendButton"))->isEnabled(); }));
        QVERIFY(m_alice->click(QStringLiteral("sendButton")));
        QVERIFY(waitFor([&] {
            return texts(*m_bob, directId()).contains(QStringLiteral("sent by the button"));
        }));
        QVERIFY(waitFor(
            [&] { return m_alice->shownTexts().contains(QStringLiteral("sent by the button")); }));
        QVERIFY(m_alice->screenshot(QStringLiteral("05-chat")));
    }

    void settingsPage() {
        QVERIFY(!m_direct.isEmpty());
        QVERIFY(m_alice->click(QStringLiteral("settingsButton")));
        QVERIFY(waitFor([&] { return m_alice->find(QStringLiteral("settingsPage")) != nullptr; }));
        m_alice->waitForFrames();
        // Every setting's control sits inside its own row (it once fell below it).
        const QList<QQuickItem*> rows = m_alice->findOfType(QStringLiteral("SettingRow"));
        QVERIFY(rows.size() >= 6);
        for (QQuickItem* row : rows) {
            const QRectF rowArea = sceneRect(row).adjusted(-1, -1, 1, 1);
            const QList<QQuickItem*> parts = row->childItems();
            for (QQuickItem* part : parts) {
                QVERIFY2(!part->isVisible() || rowArea.contains(sceneRect(part)),
                         "a part of a setting row lies outside it");
            }
        }
        QVERIFY(m_alice->screenshot(QStringLiteral("06-settings")));
        m_alice->keyClick(Qt::Key_Escape);
        QVERIFY(waitFor([&] { return m_alice->find(QStringLiteral("settingsPage")) == nullptr; }));
        QVERIFY(waitFor([&] { return m_alice->find(QStringLiteral("composerInput")) != nullptr; }));
    }

    void ttlMessageDisappears() {
        QVERIFY(!m_direct.isEmpty());
        app::ConversationController* controller = m_alice->chatController();
        QVERIFY(controller);
        // The timer menu offers minutes and more; a test cannot wait that long, so the
        // conversation's timer is set as the menu would set it, to three seconds.
        controller->setTimers(3, false, 0);
        QVERIFY(waitFor([&] { return controller->ttlSeconds() == 3; }));

        const QString text = QStringLiteral("this one expires in seconds");
        QVERIFY(m_alice->typeInto(QStringLiteral("composerInput"), text));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(waitFor([&] { return m_alice->shownTexts().contains(text); }));
        QVERIFY(m_alice->find(QStringLiteral("countdown")) != nullptr);
        QVERIFY(m_alice->screenshot(QStringLiteral("07-ttl-before")));
        QVERIFY(waitFor([&] { return texts(*m_bob, directId()).contains(text); }));

        // Gone from the window, from this device's store and from bob's.
        QVERIFY(waitFor([&] {
            return !m_alice->shownTexts().contains(text) && !m_alice->modelTexts().contains(text);
        }));
        QVERIFY(waitFor([&] { return !m_alice->storeTexts(directId()).contains(text); }));
        QVERIFY(waitFor([&] { return !texts(*m_bob, directId()).contains(text); }));
        QVERIFY(m_alice->shownTexts().contains(QStringLiteral("hello bob")));
        QVERIFY(m_alice->screenshot(QStringLiteral("08-ttl-after")));

        controller->setTimers(86400, false, 0);
        QVERIFY(waitFor([&] { return controller->ttlSeconds() == 86400; }));
    }

    void burnOnReadIsCoveredUntilRevealed() {
        QVERIFY(!m_direct.isEmpty());
        crypto::Ephemerality burning{3600, true, 4};
        QVERIFY(m_bob->setConversationTimers(directId(), burning));
        const QString secret = QStringLiteral("for your eyes only");
        QVERIFY(m_bob->sendText(directId(), secret.toStdString()));

        QVERIFY(waitFor([&] { return m_alice->find(QStringLiteral("burnCover")) != nullptr; }));
        QVERIFY(m_alice->modelTexts().contains(secret));
        QVERIFY(!m_alice->shownTexts().contains(secret)); // covered: the text is not on screen
        QVERIFY(waitFor([&] { return !m_alice->listPreviews().isEmpty(); }));
        QVERIFY(!m_alice->listPreviews().contains(secret)); // nor in the conversation list
        QVERIFY(m_alice->screenshot(QStringLiteral("09-burn-covered")));

        QVERIFY(m_alice->click(QStringLiteral("burnCover")));
        QVERIFY(waitFor([&] { return m_alice->shownTexts().contains(secret); }));
        QVERIFY(m_alice->find(QStringLiteral("burnCover")) == nullptr);
        QVERIFY(m_alice->screenshot(QStringLiteral("10-burn-revealed")));

        QVERIFY(waitFor([&] { return !m_alice->modelTexts().contains(secret); }));
        QVERIFY(!m_alice->shownTexts().contains(secret));
        QVERIFY(waitFor([&] { return !m_alice->storeTexts(directId()).contains(secret); }));
        QVERIFY(m_alice->screenshot(QStringLiteral("11-burn-gone")));

        QVERIFY(m_bob->setConversationTimers(directId(), crypto::Ephemerality{86400, false, 0}));
    }

    void fileSendShowsProgress() {
        QVERIFY(!m_direct.isEmpty());
        QTemporaryDir files;
        const QString path = files.filePath(QStringLiteral("holiday plans.bin"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QByteArray chunk(1 << 20, '\0');
            for (int mib = 0; mib < 16; ++mib) {
                for (qsizetype i = 0; i < chunk.size(); ++i) {
                    chunk[i] = static_cast<char>((i * 31 + mib * 7) & 0xff);
                }
                QVERIFY(file.write(chunk) == chunk.size());
            }
        }
        app::ConversationController* controller = m_alice->chatController();
        QVERIFY(controller);
        QList<double> progress;
        QObject::connect(controller, &app::ConversationController::uploadProgressChanged, this,
                         [&] { progress.append(controller->uploadProgress()); });

        // The file dialog is the platform's; files arrive the way it (or a drop) hands them.
        QVERIFY(controller->sendFiles({QUrl::fromLocalFile(path)}));
        bool barShown = false;
        bool barSaved = false;
        QVERIFY(waitFor([&] {
            if (!barShown && m_alice->find(QStringLiteral("uploadProgress")) != nullptr) {
                barShown = true;
                barSaved = m_alice->screenshot(QStringLiteral("12-file-progress"));
            }
            return !progress.isEmpty() && controller->uploadProgress() < 0;
        }));
        QObject::disconnect(controller, &app::ConversationController::uploadProgressChanged, this,
                            nullptr);
        QVERIFY(barSaved);
        QVERIFY2(std::any_of(progress.cbegin(), progress.cend(),
                             [](double value) { return value >= 0 && value < 1; }),
                 "no progress was reported");
        QCOMPARE(progress.constLast(), -1.0);
        QVERIFY(m_alice->find(QStringLiteral("uploadProgress")) == nullptr);
        QVERIFY(waitFor([&] {
            const QList<QQuickItem*> names = m_alice->findAll(QStringLiteral("fileName"));
            return std::any_of(names.cbegin(), names.cend(), [](QQuickItem* item) {
                return item->property("text").toString() == QStringLiteral("holiday plans.bin");
            });
        }));
        QVERIFY(waitFor([&] { return bobHasFile(QStringLiteral("holiday plans.bin")); }));
        QVERIFY(m_alice->screenshot(QStringLiteral("13-file-sent")));
    }

    void identityChangeShowsTheBannerAndBlocksTheComposer() {
        QVERIFY(!m_direct.isEmpty());
        QVERIFY(m_alice->find(QStringLiteral("identityBanner")) == nullptr);
        // bob's root key changes on the server (a reinstall, or a server swapping keys).
        QVERIFY(m_fixture.replaceRootKey(m_bob->rootId()));

        // The next message makes alice's session look at bob's keys: it is held back, the
        // banner shows and the composer is locked.
        const QString held = QStringLiteral("is this still you?");
        QVERIFY(m_alice->typeInto(QStringLiteral("composerInput"), held));
        m_alice->keyClick(Qt::Key_Return);
        QVERIFY(
            waitFor([&] { return m_alice->find(QStringLiteral("identityBanner")) != nullptr; }));
        QVERIFY(
            waitFor([&] { return !m_alice->find(QStringLiteral("composerInput"))->isEnabled(); }));
        QVERIFY(!m_alice->find(QStringLiteral("sendButton"))->isEnabled());
        // The held message says it is waiting (a clock), not sent like the ones before it.
        QVERIFY(waitFor([&] {
            const QStringList states = m_alice->messageRole("readState");
            return !states.isEmpty() && states.constLast() == QStringLiteral("sending");
        }));
        QCOMPARE(m_alice->messageRole("readState").count(QStringLiteral("sending")), 1);
        // The way out is on the banner, where it can be seen and clicked.
        QQuickItem* accept = m_alice->find(QStringLiteral("acceptNewKey"));
        QVERIFY(accept);
        QVERIFY(waitFor([&] {
            return sceneRect(m_alice->find(QStringLiteral("identityBanner")))
                .contains(sceneRect(accept));
        }));
        QVERIFY(
            !m_alice->find(QStringLiteral("blockedReason"))->property("text").toString().isEmpty());
        QVERIFY(m_alice->screenshot(QStringLiteral("14-identity-changed")));

        QVERIFY(m_bob->waitUntilIdle(kWaitMs));
        QVERIFY(!texts(*m_bob, directId()).contains(held));
    }

private:
    crypto::ConversationId directId() const {
        return app::SessionHost::idFromHex<crypto::kConversationIdSize>(m_direct).value();
    }

    bool bobHasFile(const QString& name) {
        auto page = m_bob->messagePage(directId(), std::nullopt, 50);
        if (!page) {
            return false;
        }
        return std::any_of(page->cbegin(), page->cend(), [&](const client::Message& message) {
            return std::any_of(message.attachments.cbegin(), message.attachments.cend(),
                               [&](const client::Attachment& file) {
                                   return QString::fromStdString(file.fileName) == name;
                               });
        });
    }

    SessionFixture m_fixture;
    QTemporaryDir m_profile;
    QDir m_screenshots;
    std::unique_ptr<AppWindow> m_alice;
    std::unique_ptr<client::Session> m_bob;
    QString m_direct;
};

QTEST_MAIN(GuiScenariosTest)
#include "tst_gui_scenarios.moc"
