// SPDX-License-Identifier: Apache-2.0
// Issue 5, "GUI scenario tests": the real window (module Cinder, Main.qml, loaded as main.cpp
// loads it) against a real cinder-server, driven like a person would: typing into fields,
// clicking buttons, reading what the window shows. The other side of every conversation is
// bob, a headless client::Session in this thread. Each scenario saves a small PNG into
// $CINDER_SCREENSHOT_DIR (default: <build dir>/screenshots).
#include "SessionFixture.h"

#include "app/AppController.h"
#include "app/ContactsController.h"
#include "app/ConversationController.h"
#include "crypto/NodeIdentity.h"
#include "crypto/RootIdentity.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QtQml/QQmlExtensionPlugin>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

Q_IMPORT_QML_PLUGIN(CinderPlugin)

using namespace cinder;
using namespace cinder::test;
using app::AppController;

namespace {

constexpr int kScreenshotWidth = 800;
constexpr qint64 kScreenshotMaxBytes = 100 * 1024;
const QString kAlicePassphrase = QStringLiteral("violet Harbor 7 crane tumble");

// Every item under root (depth first) whose objectName is name and that is shown.
void collectVisible(QQuickItem* root, const QString& name, QList<QQuickItem*>& out) {
    if (root == nullptr || !root->isVisible()) {
        return;
    }
    if (root->objectName() == name) {
        out.append(root);
    }
    const QList<QQuickItem*> children = root->childItems();
    for (QQuickItem* child : children) {
        collectVisible(child, name, out);
    }
}

// The text item inside a FormField gets the keys; a TextArea is its own.
QQuickItem* inputOf(QQuickItem* item) {
    if (auto* input = item->property("input").value<QQuickItem*>()) {
        return input;
    }
    return item;
}

QRectF sceneRect(QQuickItem* item) {
    return item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
}

} // namespace

class GuiScenariosTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_screenshots.setPath(qEnvironmentVariable("CINDER_SCREENSHOT_DIR",
                                                   QStringLiteral(CINDER_SCREENSHOT_DEFAULT_DIR)));
        QVERIFY(m_screenshots.mkpath(QStringLiteral(".")));

        QVERIFY2(m_fixture.start(), "cinder-server did not start");
        m_bob = m_fixture.create("bob");
        QVERIFY(m_bob);

        // As main.cpp does, with a temporary profile, the test server and fast scrypt costs.
        // Every send checks the contact's devices again, so an identity change shows at once.
        client::SessionOptions options = fastOptions();
        options.deviceListMaxAgeMs = 0;
        m_controller = new AppController(qApp);
        m_controller->configure(m_profile.filePath(QStringLiteral("alice")),
                                m_fixture.server().endpoint(), options);
        AppController::setInstance(m_controller);

        m_engine = std::make_unique<QQmlApplicationEngine>();
        m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/Cinder/Main.qml")));
        QVERIFY(!m_engine->rootObjects().isEmpty());
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().constFirst());
        QVERIFY(m_window);
        m_window->resize(1040, 700);
        m_window->show();
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QCOMPARE(m_controller->state(), AppController::State::NoAccount);
    }

    void cleanupTestCase() {
        m_engine.reset();
        AppController::setInstance(nullptr);
        delete m_controller;
    }

    void onboardingThenAcknowledgementBeforeSending() {
        QVERIFY(click(QStringLiteral("startCreateButton")));
        QVERIFY(typeInto(QStringLiteral("usernameField"), QStringLiteral("alice")));
        QVERIFY(typeInto(QStringLiteral("passphraseField"), kAlicePassphrase));
        QVERIFY(typeInto(QStringLiteral("confirmField"), kAlicePassphrase));
        screenshot(QStringLiteral("01-create-account"));
        QVERIFY(click(QStringLiteral("createButton")));
        QVERIFY(
            waitFor([&] { return m_controller->state() == AppController::State::PolicyPending; }));
        QVERIFY(waitFor([&] { return find(QStringLiteral("acknowledgeButton")) != nullptr; }));

        // The policy screen stands before the conversations: no composer anywhere yet, and the
        // Continue button waits for the box to be ticked.
        QVERIFY(find(QStringLiteral("composerInput")) == nullptr);
        QVERIFY(!find(QStringLiteral("acknowledgeButton"))->isEnabled());
        screenshot(QStringLiteral("02-policy"));

        // A conversation opened behind the policy screen (as a notification click could):
        // its composer is disabled, with the reason, and neither Enter nor the send button
        // lets anything out.
        app::ContactsController contacts;
        contacts.setHost(m_controller->host());
        QSignalSpy opened(&contacts, &app::ContactsController::conversationOpened);
        contacts.startChat(QStringLiteral("bob"));
        QVERIFY(waitFor([&] { return !opened.isEmpty(); }));
        m_direct = opened.constFirst().constFirst().toString();
        {
            std::unique_ptr<QQuickItem> page = createChatPage(m_direct);
            QVERIFY(page);
            QVERIFY(waitFor([&] { return find(QStringLiteral("blockedReason")) != nullptr; }));
            QVERIFY(!find(QStringLiteral("blockedReason"))->property("text").toString().isEmpty());
            QQuickItem* input = find(QStringLiteral("composerInput"));
            QVERIFY(input);
            QVERIFY(!input->isEnabled());
            // A disabled field takes no focus: what is typed lands on the page.
            page->forceActiveFocus();
            keyClicks(QStringLiteral("too early"));
            QTest::keyClick(m_window, Qt::Key_Return);
            QVERIFY(!find(QStringLiteral("sendButton"))->isEnabled());
            QVERIFY(click(QStringLiteral("sendButton")));
            screenshot(QStringLiteral("03-composer-before-policy"));
        }
        QVERIFY(m_bob->waitUntilIdle(kWaitMs));
        QVERIFY(texts(*m_bob, directId()).isEmpty());

        QVERIFY(!find(QStringLiteral("policyCheck"))->property("checked").toBool());
        QVERIFY(click(QStringLiteral("policyCheck")));
        QVERIFY(waitFor([&] { return find(QStringLiteral("acknowledgeButton"))->isEnabled(); }));
        QVERIFY(click(QStringLiteral("acknowledgeButton")));
        QVERIFY(waitFor([&] { return m_controller->state() == AppController::State::Ready; }));
        QVERIFY(waitFor([&] { return find(QStringLiteral("newChatButton")) != nullptr; }));
        screenshot(QStringLiteral("04-conversations"));
    }

    void chatWithThePeer() {
        QVERIFY(!m_direct.isEmpty());
        // New chat (the pencil), type the name, Enter.
        QVERIFY(click(QStringLiteral("newChatButton")));
        QVERIFY(waitFor([&] { return find(QStringLiteral("newChatUsername")) != nullptr; }));
        QVERIFY(typeInto(QStringLiteral("newChatUsername"), QStringLiteral("bob")));
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(waitFor([&] {
            QQuickItem* input = find(QStringLiteral("composerInput"));
            return input != nullptr && input->isEnabled() &&
                   find(QStringLiteral("newChatUsername")) == nullptr;
        }));
        QCOMPARE(chatController()->conversationId(), m_direct);
        // The header's title sits next to the avatar (it once drifted to the middle).
        QVERIFY(waitFor([&] {
            QQuickItem* title = find(QStringLiteral("headerTitle"));
            return title && title->property("text").toString() == QStringLiteral("bob");
        }));
        QVERIFY(sceneRect(find(QStringLiteral("headerTitle"))).left() -
                    sceneRect(find(QStringLiteral("headerAvatar"))).right() <
                24);

        // Only what is typed after the acknowledgement ever reached bob.
        QVERIFY(typeInto(QStringLiteral("composerInput"), QStringLiteral("hello bob")));
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(waitFor([&] { return shownTexts().contains(QStringLiteral("hello bob")); }));
        QVERIFY(find(QStringLiteral("composerInput"))->property("text").toString().isEmpty());
        QVERIFY(waitFor(
            [&] { return texts(*m_bob, directId()) == QStringList{QStringLiteral("hello bob")}; }));

        // bob answers, with markup that must stay text; it shows in the list.
        const QString reply = QStringLiteral("hi alice <b>not bold</b>");
        QVERIFY(m_bob->sendText(directId(), reply.toStdString()));
        QVERIFY(waitFor([&] { return shownTexts().contains(reply); }));
        QVERIFY(modelTexts().contains(reply));

        // The send button works too.
        QVERIFY(typeInto(QStringLiteral("composerInput"), QStringLiteral("sent by the button")));
        QVERIFY(waitFor([&] { return find(QStringLiteral("sendButton"))->isEnabled(); }));
        QVERIFY(click(QStringLiteral("sendButton")));
        QVERIFY(waitFor([&] {
            return texts(*m_bob, directId()).contains(QStringLiteral("sent by the button"));
        }));
        QVERIFY(
            waitFor([&] { return shownTexts().contains(QStringLiteral("sent by the button")); }));
        screenshot(QStringLiteral("05-chat"));
    }

    void settingsPage() {
        QVERIFY(!m_direct.isEmpty());
        QVERIFY(click(QStringLiteral("settingsButton")));
        QVERIFY(waitFor([&] { return find(QStringLiteral("settingsPage")) != nullptr; }));
        waitForFrames();
        // Every setting's control sits inside its own row (it once fell below it).
        const QList<QQuickItem*> rows = findOfType(QStringLiteral("SettingRow"));
        QVERIFY(rows.size() >= 6);
        for (QQuickItem* row : rows) {
            const QRectF rowArea = sceneRect(row).adjusted(-1, -1, 1, 1);
            const QList<QQuickItem*> parts = row->childItems();
            for (QQuickItem* part : parts) {
                QVERIFY2(!part->isVisible() || rowArea.contains(sceneRect(part)),
                         "a part of a setting row lies outside it");
            }
        }
        screenshot(QStringLiteral("06-settings"));
        QTest::keyClick(m_window, Qt::Key_Escape);
        QVERIFY(waitFor([&] { return find(QStringLiteral("settingsPage")) == nullptr; }));
        QVERIFY(waitFor([&] { return find(QStringLiteral("composerInput")) != nullptr; }));
    }

    void ttlMessageDisappears() {
        QVERIFY(!m_direct.isEmpty());
        app::ConversationController* controller = chatController();
        QVERIFY(controller);
        // The timer menu offers minutes and more; a test cannot wait that long, so the
        // conversation's timer is set as the menu would set it, to three seconds.
        controller->setTimers(3, false, 0);
        QVERIFY(waitFor([&] { return controller->ttlSeconds() == 3; }));

        const QString text = QStringLiteral("this one expires in seconds");
        QVERIFY(typeInto(QStringLiteral("composerInput"), text));
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(waitFor([&] { return shownTexts().contains(text); }));
        QVERIFY(find(QStringLiteral("countdown")) != nullptr);
        screenshot(QStringLiteral("07-ttl-before"));
        QVERIFY(waitFor([&] { return texts(*m_bob, directId()).contains(text); }));

        // Gone from the window, from this device's store and from bob's.
        QVERIFY(
            waitFor([&] { return !shownTexts().contains(text) && !modelTexts().contains(text); }));
        QVERIFY(waitFor([&] { return !aliceTexts().contains(text); }));
        QVERIFY(waitFor([&] { return !texts(*m_bob, directId()).contains(text); }));
        QVERIFY(shownTexts().contains(QStringLiteral("hello bob")));
        screenshot(QStringLiteral("08-ttl-after"));

        controller->setTimers(86400, false, 0);
        QVERIFY(waitFor([&] { return controller->ttlSeconds() == 86400; }));
    }

    void burnOnReadIsCoveredUntilRevealed() {
        QVERIFY(!m_direct.isEmpty());
        crypto::Ephemerality burning{3600, true, 4};
        QVERIFY(m_bob->setConversationTimers(directId(), burning));
        const QString secret = QStringLiteral("for your eyes only");
        QVERIFY(m_bob->sendText(directId(), secret.toStdString()));

        QVERIFY(waitFor([&] { return find(QStringLiteral("burnCover")) != nullptr; }));
        QVERIFY(modelTexts().contains(secret));
        QVERIFY(!shownTexts().contains(secret)); // covered: the text is not on screen
        QVERIFY(waitFor([&] { return !listPreviews().isEmpty(); }));
        QVERIFY(!listPreviews().contains(secret)); // nor in the conversation list
        screenshot(QStringLiteral("09-burn-covered"));

        QVERIFY(click(QStringLiteral("burnCover")));
        QVERIFY(waitFor([&] { return shownTexts().contains(secret); }));
        QVERIFY(find(QStringLiteral("burnCover")) == nullptr);
        screenshot(QStringLiteral("10-burn-revealed"));

        QVERIFY(waitFor([&] { return !modelTexts().contains(secret); }));
        QVERIFY(!shownTexts().contains(secret));
        QVERIFY(waitFor([&] { return !aliceTexts().contains(secret); }));
        screenshot(QStringLiteral("11-burn-gone"));

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
        app::ConversationController* controller = chatController();
        QVERIFY(controller);
        QList<double> progress;
        QObject::connect(controller, &app::ConversationController::uploadProgressChanged, this,
                         [&] { progress.append(controller->uploadProgress()); });

        // The file dialog is the platform's; files arrive the way it (or a drop) hands them.
        QVERIFY(controller->sendFiles({QUrl::fromLocalFile(path)}));
        bool barShown = false;
        QVERIFY(waitFor([&] {
            if (!barShown && find(QStringLiteral("uploadProgress")) != nullptr) {
                barShown = true;
                screenshot(QStringLiteral("12-file-progress"));
            }
            return !progress.isEmpty() && controller->uploadProgress() < 0;
        }));
        QObject::disconnect(controller, &app::ConversationController::uploadProgressChanged, this,
                            nullptr);
        QVERIFY2(std::any_of(progress.cbegin(), progress.cend(),
                             [](double value) { return value >= 0 && value < 1; }),
                 "no progress was reported");
        QCOMPARE(progress.constLast(), -1.0);
        QVERIFY(find(QStringLiteral("uploadProgress")) == nullptr);
        QVERIFY(waitFor([&] {
            const QList<QQuickItem*> names = findAll(QStringLiteral("fileName"));
            return std::any_of(names.cbegin(), names.cend(), [](QQuickItem* item) {
                return item->property("text").toString() == QStringLiteral("holiday plans.bin");
            });
        }));
        QVERIFY(waitFor([&] { return bobHasFile(QStringLiteral("holiday plans.bin")); }));
        screenshot(QStringLiteral("13-file-sent"));
    }

    void identityChangeShowsTheBannerAndBlocksTheComposer() {
        QVERIFY(!m_direct.isEmpty());
        QVERIFY(find(QStringLiteral("identityBanner")) == nullptr);
        // bob's root key changes on the server (a reinstall, or a server swapping keys).
        auto newKey = crypto::KeyPair::generate();
        QVERIFY(newKey);
        auto newRoot =
            crypto::RootIdentity::restore(m_bob->rootId(), std::move(newKey).value(),
                                          crypto::SecureBuffer(32), crypto::SecureBuffer(32));
        QVERIFY(newRoot);
        auto newNode = crypto::NodeIdentity::enroll(*newRoot, 1);
        QVERIFY(newNode);
        const std::vector<crypto::Bytes> certificates{newNode->certificate()};
        auto newList = newRoot->signDeviceList(1, certificates);
        QVERIFY(newList);
        const QString updated = m_fixture.serverSql(
            QStringLiteral("UPDATE accounts SET root_public_key = X'%2', device_list = X'%3', "
                           "device_list_version = 1 WHERE root_id = X'%1'; SELECT changes();")
                .arg(QString::fromStdString(hex(m_bob->rootId())),
                     QString::fromStdString(hex(newRoot->publicKey().bytes())),
                     QString::fromStdString(hex(*newList))));
        QCOMPARE(updated, QStringLiteral("1"));

        // The next message makes alice's session look at bob's keys: it is held back, the
        // banner shows and the composer is locked.
        const QString held = QStringLiteral("is this still you?");
        QVERIFY(typeInto(QStringLiteral("composerInput"), held));
        QTest::keyClick(m_window, Qt::Key_Return);
        QVERIFY(waitFor([&] { return find(QStringLiteral("identityBanner")) != nullptr; }));
        QVERIFY(waitFor([&] { return !find(QStringLiteral("composerInput"))->isEnabled(); }));
        QVERIFY(!find(QStringLiteral("sendButton"))->isEnabled());
        // The way out is on the banner, where it can be seen and clicked.
        QQuickItem* accept = find(QStringLiteral("acceptNewKey"));
        QVERIFY(accept);
        QVERIFY(waitFor([&] {
            return sceneRect(find(QStringLiteral("identityBanner"))).contains(sceneRect(accept));
        }));
        QVERIFY(!find(QStringLiteral("blockedReason"))->property("text").toString().isEmpty());
        screenshot(QStringLiteral("14-identity-changed"));

        QVERIFY(m_bob->waitUntilIdle(kWaitMs));
        QVERIFY(!texts(*m_bob, directId()).contains(held));
    }

private:
    crypto::ConversationId directId() const {
        return app::SessionHost::idFromHex<crypto::kConversationIdSize>(m_direct).value();
    }

    // The window's root item: ApplicationWindow's content and, above it, the overlay with
    // popups, dialogs and tool tips.
    QQuickItem* rootItem() const { return m_window->contentItem(); }
    QQuickItem* overlay() const {
        const QList<QQuickItem*> children = rootItem()->childItems();
        const auto it = std::find_if(children.cbegin(), children.cend(), [](QQuickItem* item) {
            return item->inherits("QQuickOverlay");
        });
        return it == children.cend() ? nullptr : *it;
    }
    // A popup (or its dimming) is shown, or still closing.
    bool popupShown() const {
        QQuickItem* layer = overlay();
        if (layer == nullptr) {
            return false;
        }
        const QList<QQuickItem*> children = layer->childItems();
        return std::any_of(children.cbegin(), children.cend(),
                           [](QQuickItem* item) { return item->isVisible(); });
    }
    static bool transitionRunning(QQuickItem* root) {
        if (root->inherits("QQuickStackView") && root->property("busy").toBool()) {
            return true;
        }
        const QList<QQuickItem*> children = root->childItems();
        return std::any_of(children.cbegin(), children.cend(), &transitionRunning);
    }

    QList<QQuickItem*> findAll(const QString& name) const {
        QList<QQuickItem*> out;
        collectVisible(rootItem(), name, out);
        return out;
    }
    // The first item of that name a person can see: shown, opaque, not in the middle of a
    // page transition.
    QQuickItem* find(const QString& name) const {
        if (transitionRunning(rootItem())) {
            return nullptr;
        }
        const QList<QQuickItem*> all = findAll(name);
        const auto seen = std::find_if(all.cbegin(), all.cend(), [](QQuickItem* item) {
            qreal opacity = 1;
            for (QQuickItem* it = item; it != nullptr; it = it->parentItem()) {
                opacity *= it->opacity();
            }
            return opacity > 0.99;
        });
        return seen == all.cend() ? nullptr : *seen;
    }
    // Shown instances of a component of module Cinder, by its file name.
    QList<QQuickItem*> findOfType(const QString& component) const {
        QList<QQuickItem*> out;
        const QString prefix = component + QStringLiteral("_QMLTYPE_");
        std::function<void(QQuickItem*)> walk = [&](QQuickItem* item) {
            if (!item->isVisible()) {
                return;
            }
            if (QString::fromLatin1(item->metaObject()->className()).startsWith(prefix)) {
                out.append(item);
            }
            const QList<QQuickItem*> children = item->childItems();
            for (QQuickItem* child : children) {
                walk(child);
            }
        };
        walk(rootItem());
        return out;
    }

    // Scrolls the Flickables around the item until all of it is in view.
    static void scrollIntoView(QQuickItem* item) {
        for (QQuickItem* it = item->parentItem(); it != nullptr; it = it->parentItem()) {
            if (!it->inherits("QQuickFlickable")) {
                continue;
            }
            const QPointF centre =
                item->mapToItem(it, QPointF(item->width() / 2, item->height() / 2));
            if (centre.y() - item->height() / 2 < 0 ||
                centre.y() + item->height() / 2 > it->height()) {
                const qreal contentY = it->property("contentY").toReal();
                const qreal maxY =
                    std::max<qreal>(0, it->property("contentHeight").toReal() - it->height());
                it->setProperty("contentY", std::clamp(contentY + centre.y() - it->height() / 2,
                                                       qreal(0), maxY));
            }
        }
    }

    bool click(const QString& name) {
        QQuickItem* item = nullptr;
        if (!waitFor([&] { return (item = find(name)) != nullptr; })) {
            qWarning() << "nothing shown is named" << name;
            return false;
        }
        // Nothing may lie over it: a dialog still fading out catches the click.
        const QQuickItem* layer = overlay();
        if (layer != nullptr && !layer->isAncestorOf(item) &&
            !waitFor([&] { return !popupShown(); })) {
            qWarning() << "a popup stays open over" << name;
            return false;
        }
        scrollIntoView(item);
        waitForFrames();
        const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
        // Away from the button, so no tool tip stays up in the screenshots.
        QTest::mouseMove(m_window, QPoint(m_window->width() - 4, m_window->height() / 2));
        return true;
    }

    bool typeInto(const QString& name, const QString& text) {
        QQuickItem* item = nullptr;
        if (!waitFor([&] { return (item = find(name)) != nullptr; })) {
            qWarning() << "nothing shown is named" << name;
            return false;
        }
        QQuickItem* input = inputOf(item);
        input->forceActiveFocus();
        if (!waitFor([&] { return input->hasActiveFocus(); })) {
            qWarning() << name << "did not take the focus";
            return false;
        }
        keyClicks(text);
        return input->property("text").toString().endsWith(text);
    }

    // QTest::keyClicks takes only a QWidget in Qt 6.4: one key per character (ASCII).
    void keyClicks(const QString& text) {
        for (const QChar c : text) {
            QTest::keyClick(m_window, c.toLatin1());
        }
    }

    // Lets the window lay out and render what changed.
    void waitForFrames() {
        QSignalSpy swapped(m_window, &QQuickWindow::frameSwapped);
        m_window->update();
        if (!waitFor([&] { return swapped.count() >= 1; }, 2000)) {
            qWarning() << "the window rendered no frame in 2 s";
        }
    }

    app::ConversationController* chatController() const {
        QQuickItem* page = find(QStringLiteral("chatPage"));
        return page
                   ? page->findChild<app::ConversationController*>(QStringLiteral("chatController"))
                   : nullptr;
    }

    // The message bodies the window shows (covered and file messages have none). Only the
    // delegates of current rows: the view keeps removed ones hidden for reuse.
    QStringList shownTexts() const {
        QStringList out;
        QQuickItem* list = find(QStringLiteral("messageList"));
        if (list == nullptr) {
            return out;
        }
        const int count = list->property("count").toInt();
        for (int row = 0; row < count; ++row) {
            QQuickItem* delegate = nullptr;
            QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem*, delegate),
                                      Q_ARG(int, row));
            QList<QQuickItem*> bodies;
            collectVisible(delegate, QStringLiteral("body"), bodies);
            for (QQuickItem* body : bodies) {
                out.append(body->property("text").toString());
            }
        }
        return out;
    }

    // The texts the open conversation's message model holds.
    QStringList modelTexts() const {
        QStringList out;
        QQuickItem* list = find(QStringLiteral("messageList"));
        auto* model = list ? list->property("model").value<QAbstractItemModel*>() : nullptr;
        if (model == nullptr) {
            return out;
        }
        const int role = model->roleNames().key("text", -1);
        for (int row = 0; row < model->rowCount(); ++row) {
            out.append(model->index(row, 0).data(role).toString());
        }
        return out;
    }

    // The previews the conversation list shows.
    QStringList listPreviews() const {
        QStringList out;
        QQuickItem* list = find(QStringLiteral("conversationList"));
        auto* model = list ? list->property("model").value<QAbstractItemModel*>() : nullptr;
        if (model == nullptr) {
            return out;
        }
        const int role = model->roleNames().key("preview", -1);
        for (int row = 0; row < model->rowCount(); ++row) {
            out.append(model->index(row, 0).data(role).toString());
        }
        return out;
    }

    // Texts of the conversation in alice's own store, read on the session's worker thread.
    QStringList aliceTexts() {
        auto result = std::make_shared<std::optional<QStringList>>();
        const crypto::ConversationId id = directId();
        m_controller->host()->run<QStringList>(
            [id](client::Session& session) { return texts(session, id); }, this,
            [result](QStringList got) { *result = std::move(got); });
        waitFor([&] { return result->has_value(); });
        return result->value_or(QStringList{QStringLiteral("<no answer from the session>")});
    }

    bool bobHasFile(const QString& name) {
        auto page = m_bob->messages(directId(), 50);
        if (!page) {
            return false;
        }
        return std::any_of(page->cbegin(), page->cend(), [&](const client::MessageView& view) {
            return view.content.has_file() &&
                   QString::fromStdString(view.content.file().file_name()) == name;
        });
    }

    // Creates a ChatPage over the window, as MainPage would, for a conversation.
    std::unique_ptr<QQuickItem> createChatPage(const QString& conversationId) {
        QQmlComponent component(m_engine.get());
        component.setData("import Cinder\nChatPage {}\n", QUrl());
        std::unique_ptr<QObject> object(component.createWithInitialProperties(
            {{QStringLiteral("conversationId"), conversationId}}));
        auto* page = qobject_cast<QQuickItem*>(object.get());
        if (page == nullptr) {
            qWarning() << component.errors();
            return nullptr;
        }
        object.release();
        page->setParentItem(m_window->contentItem());
        page->setSize(m_window->contentItem()->size());
        page->setZ(100);
        return std::unique_ptr<QQuickItem>(page);
    }

    void screenshot(const QString& name) {
        waitForFrames();
        QImage image = m_window->grabWindow();
        QVERIFY(!image.isNull());
        image = image.scaledToWidth(kScreenshotWidth, Qt::SmoothTransformation)
                    .convertToFormat(QImage::Format_RGB32);
        const QString path = m_screenshots.filePath(name + QStringLiteral(".png"));
        QVERIFY(image.save(path));
        if (QFileInfo(path).size() > kScreenshotMaxBytes) {
            // Fewer colours keep the file small; the text stays readable.
            QVERIFY(image.convertToFormat(QImage::Format_Indexed8, Qt::ThresholdDither).save(path));
        }
        qInfo().noquote() << "screenshot" << path;
    }

    SessionFixture m_fixture;
    QTemporaryDir m_profile;
    QDir m_screenshots;
    AppController* m_controller = nullptr;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    std::unique_ptr<client::Session> m_bob;
    QString m_direct;
};

QTEST_MAIN(GuiScenariosTest)
#include "tst_gui_scenarios.moc"
