// SPDX-License-Identifier: Apache-2.0
#include "AppWindow.h"

#include "SessionFixture.h"

#include "app/SessionHost.h"

#include <QAbstractItemModel>
#include <QFileInfo>
#include <QQmlComponent>
#include <QTest>

#include <algorithm>
#include <functional>
#include <optional>

namespace cinder::test {

namespace {

constexpr int kScreenshotWidth = 800;
constexpr qint64 kScreenshotMaxBytes = 100 * 1024;

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

bool transitionRunning(QQuickItem* root) {
    if (root->inherits("QQuickStackView") && root->property("busy").toBool()) {
        return true;
    }
    const QList<QQuickItem*> children = root->childItems();
    return std::any_of(children.cbegin(), children.cend(), &transitionRunning);
}

// Scrolls the Flickables around the item until all of it is in view.
void scrollIntoView(QQuickItem* item) {
    for (QQuickItem* it = item->parentItem(); it != nullptr; it = it->parentItem()) {
        if (!it->inherits("QQuickFlickable")) {
            continue;
        }
        const QPointF centre = item->mapToItem(it, QPointF(item->width() / 2, item->height() / 2));
        if (centre.y() - item->height() / 2 < 0 || centre.y() + item->height() / 2 > it->height()) {
            const qreal contentY = it->property("contentY").toReal();
            const qreal maxY =
                std::max<qreal>(0, it->property("contentHeight").toReal() - it->height());
            it->setProperty("contentY",
                            std::clamp(contentY + centre.y() - it->height() / 2, qreal(0), maxY));
        }
    }
}

QStringList roleTexts(QAbstractItemModel* model, const QByteArray& roleName) {
    QStringList out;
    if (model == nullptr) {
        return out;
    }
    const int role = model->roleNames().key(roleName, -1);
    for (int row = 0; row < model->rowCount(); ++row) {
        out.append(model->index(row, 0).data(role).toString());
    }
    return out;
}

} // namespace

QDir screenshotDirectory() {
    QDir directory(qEnvironmentVariable("CINDER_SCREENSHOT_DIR",
                                        QStringLiteral(CINDER_SCREENSHOT_DEFAULT_DIR)));
    directory.mkpath(QStringLiteral("."));
    return directory;
}

crypto::ConversationId conversationIdFromHex(const QString& hex) {
    return app::SessionHost::idFromHex<crypto::kConversationIdSize>(hex).value_or(
        crypto::ConversationId{});
}

AppWindow::AppWindow(const QString& profileDirectory, const net::ServerEndpoint& server,
                     client::SessionOptions options, const QDir& screenshots)
    : m_controller(std::make_unique<app::AppController>(nullptr)),
      m_engine(std::make_unique<QQmlApplicationEngine>()), m_screenshots(screenshots) {
    m_controller->configure(profileDirectory, server, std::move(options));
    app::AppController::attach(m_engine.get(), m_controller.get());
}

AppWindow::~AppWindow() {
    // The window and its view models go before the controller whose host they use.
    m_engine.reset();
    m_controller.reset();
}

bool AppWindow::open(QSize size, QPoint position) {
    m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/Cinder/Main.qml")));
    if (m_engine->rootObjects().isEmpty()) {
        return false;
    }
    m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().constFirst());
    if (m_window == nullptr) {
        return false;
    }
    m_window->resize(size);
    m_window->setPosition(position);
    m_window->show();
    return QTest::qWaitForWindowExposed(m_window) && activate();
}

bool AppWindow::onboard(const QString& username, const QString& passphrase) {
    using State = app::AppController::State;
    if (!click(QStringLiteral("startCreateButton")) ||
        !typeInto(QStringLiteral("usernameField"), username) ||
        !typeInto(QStringLiteral("passphraseField"), passphrase) ||
        !typeInto(QStringLiteral("confirmField"), passphrase) ||
        !click(QStringLiteral("createButton"))) {
        return false;
    }
    if (!waitFor([&] { return m_controller->state() == State::PolicyPending; })) {
        qWarning() << "the account was not created:" << m_controller->errorText();
        return false;
    }
    return click(QStringLiteral("policyCheck")) && waitFor([&] {
               QQuickItem* button = find(QStringLiteral("acknowledgeButton"));
               return button != nullptr && button->isEnabled();
           }) &&
           click(QStringLiteral("acknowledgeButton")) &&
           waitFor([&] { return m_controller->state() == State::Ready; }) &&
           waitShown(QStringLiteral("newChatButton"));
}

QQuickItem* AppWindow::overlay() const {
    const QList<QQuickItem*> children = rootItem()->childItems();
    const auto it = std::find_if(children.cbegin(), children.cend(),
                                 [](QQuickItem* item) { return item->inherits("QQuickOverlay"); });
    return it == children.cend() ? nullptr : *it;
}

// A popup (or its dimming) is shown, or still closing.
bool AppWindow::popupShown() const {
    QQuickItem* layer = overlay();
    if (layer == nullptr) {
        return false;
    }
    const QList<QQuickItem*> children = layer->childItems();
    return std::any_of(children.cbegin(), children.cend(),
                       [](QQuickItem* item) { return item->isVisible(); });
}

QList<QQuickItem*> AppWindow::findAll(const QString& name) const {
    QList<QQuickItem*> out;
    collectVisible(rootItem(), name, out);
    return out;
}

QQuickItem* AppWindow::find(const QString& name) const {
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

QQuickItem* AppWindow::findWithin(QQuickItem* root, const QString& name) {
    QList<QQuickItem*> out;
    collectVisible(root, name, out);
    return out.isEmpty() ? nullptr : out.constFirst();
}

QList<QQuickItem*> AppWindow::findWhere(const std::function<bool(QQuickItem*)>& match) const {
    QList<QQuickItem*> out;
    std::function<void(QQuickItem*)> walk = [&](QQuickItem* item) {
        if (!item->isVisible()) {
            return;
        }
        if (match(item)) {
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

QList<QQuickItem*> AppWindow::findOfType(const QString& component) const {
    const QString prefix = component + QStringLiteral("_QMLTYPE_");
    return findWhere([&](QQuickItem* item) {
        return QString::fromLatin1(item->metaObject()->className()).startsWith(prefix);
    });
}

bool AppWindow::waitShown(const QString& name) {
    if (!waitFor([&] { return find(name) != nullptr; })) {
        qWarning() << "nothing shown is named" << name;
        return false;
    }
    return true;
}

bool AppWindow::waitGone(const QString& name) {
    if (!waitFor([&] { return findAll(name).isEmpty(); })) {
        qWarning() << name << "is still shown";
        return false;
    }
    return true;
}

bool AppWindow::waitFocused(const QString& name) {
    if (!ensureActive()) {
        return false;
    }
    if (!waitFor([&] {
            QQuickItem* item = find(name);
            return item != nullptr && inputOf(item)->hasActiveFocus();
        })) {
        qWarning() << name << "did not get the keyboard";
        return false;
    }
    return true;
}

bool AppWindow::ensureActive() {
    if (m_window->isActive() || activate()) {
        return true;
    }
    qWarning() << "the window did not become active";
    return false;
}

bool AppWindow::activate() {
    m_window->raise();
    m_window->requestActivate();
    return QTest::qWaitForWindowActive(m_window);
}

bool AppWindow::click(const QString& name) {
    return click([this, name] { return find(name); }, name);
}

bool AppWindow::click(const std::function<QQuickItem*()>& locate, const QString& what) {
    // A person clicking a window brings it to the front (no window manager does it here).
    if (!ensureActive()) {
        return false;
    }
    // Every wait runs the event loop, which may replace what was found: look again after each.
    QQuickItem* item = nullptr;
    if (!waitFor([&] { return (item = locate()) != nullptr; })) {
        qWarning() << "nothing shown is" << what;
        return false;
    }
    // Nothing may lie over it: a dialog still fading out catches the click.
    const QQuickItem* layer = overlay();
    if (layer != nullptr && !layer->isAncestorOf(item) && !waitFor([&] { return !popupShown(); })) {
        qWarning() << "a popup stays open over" << what;
        return false;
    }
    if ((item = locate()) == nullptr) {
        qWarning() << what << "went away";
        return false;
    }
    scrollIntoView(item);
    waitForFrames();
    if ((item = locate()) == nullptr) {
        qWarning() << what << "went away before the click";
        return false;
    }
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    // Away from the button, so no tool tip stays up in the screenshots.
    QTest::mouseMove(m_window, QPoint(m_window->width() - 4, m_window->height() / 2));
    return true;
}

bool AppWindow::typeInto(const QString& name, const QString& text) {
    QQuickItem* item = nullptr;
    if (!waitFor([&] { return (item = find(name)) != nullptr; })) {
        qWarning() << "nothing shown is named" << name;
        return false;
    }
    if (!ensureActive()) {
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
void AppWindow::keyClicks(const QString& text) {
    for (const QChar c : text) {
        QTest::keyClick(m_window, c.toLatin1());
    }
}

void AppWindow::keyClick(Qt::Key key) {
    QTest::keyClick(m_window, key);
}

void AppWindow::waitForFrames() {
    // frameSwapped is emitted on the render thread. A QSignalSpy there is a direct connection
    // to an object on this stack: an emission racing its destruction crashed the suite. A
    // queued connection to a context object on this thread makes the render thread only post
    // an event, and the context's destruction drops any still pending.
    QObject context;
    int swapped = 0;
    QObject::connect(
        m_window, &QQuickWindow::frameSwapped, &context, [&swapped] { ++swapped; },
        Qt::QueuedConnection);
    m_window->update();
    if (!waitFor([&] { return swapped >= 1; }, 2000)) {
        qWarning() << "the window rendered no frame in 2 s";
    }
}

app::ConversationController* AppWindow::chatController() const {
    QQuickItem* page = find(QStringLiteral("chatPage"));
    return page ? page->findChild<app::ConversationController*>(QStringLiteral("chatController"))
                : nullptr;
}

// Only the delegates of current rows: the view keeps removed ones hidden for reuse.
QStringList AppWindow::shownTexts() const {
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

QStringList AppWindow::messageRole(const QByteArray& role) const {
    QQuickItem* list = find(QStringLiteral("messageList"));
    return roleTexts(list ? list->property("model").value<QAbstractItemModel*>() : nullptr, role);
}

QStringList AppWindow::listPreviews() const {
    QQuickItem* list = find(QStringLiteral("conversationList"));
    return roleTexts(list ? list->property("model").value<QAbstractItemModel*>() : nullptr,
                     "preview");
}

QStringList AppWindow::listTitles() const {
    QQuickItem* list = find(QStringLiteral("conversationList"));
    return roleTexts(list ? list->property("model").value<QAbstractItemModel*>() : nullptr,
                     "title");
}

QStringList AppWindow::storeTexts(const crypto::ConversationId& conversation) {
    auto result = std::make_shared<std::optional<QStringList>>();
    m_controller->host()->run<QStringList>(
        [conversation](client::Session& session) { return texts(session, conversation); }, this,
        [result](QStringList got) { *result = std::move(got); });
    waitFor([&] { return result->has_value(); });
    return result->value_or(QStringList{QStringLiteral("<no answer from the session>")});
}

std::unique_ptr<QQuickItem> AppWindow::createChatPage(const QString& conversationId) {
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

QImage AppWindow::grab() {
    waitForFrames();
    return m_window->grabWindow();
}

QImage AppWindow::grab(QQuickItem* item) {
    const QImage whole = grab();
    const qreal scale = whole.width() / std::max<qreal>(1, m_window->width());
    const QRectF area = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    return whole.copy(QRectF(area.topLeft() * scale, area.size() * scale).toAlignedRect());
}

bool AppWindow::screenshot(const QString& name) {
    QImage image = grab();
    if (image.isNull()) {
        return false;
    }
    image = image.scaledToWidth(kScreenshotWidth, Qt::SmoothTransformation)
                .convertToFormat(QImage::Format_RGB32);
    const QString path = m_screenshots.filePath(name + QStringLiteral(".png"));
    if (!image.save(path)) {
        return false;
    }
    if (QFileInfo(path).size() > kScreenshotMaxBytes &&
        // Fewer colours keep the file small; the text stays readable.
        !image.convertToFormat(QImage::Format_Indexed8, Qt::ThresholdDither).save(path)) {
        return false;
    }
    qInfo().noquote() << "screenshot" << path;
    return true;
}

} // namespace cinder::test
