// SPDX-License-Identifier: Apache-2.0
#pragma once

// One instance of the desktop app inside a GUI test: its own AppController (profile folder,
// session on its worker thread), its own QML engine and the real window (module Cinder,
// Main.qml, loaded as main.cpp loads it), and the means to use it as a person would: find what
// is shown by objectName, click it, type into it, read the texts on screen, save screenshots.
// Two of them in one process are two accounts side by side, each with its own session.

#include "app/AppController.h"
#include "app/ConversationController.h"
#include "client/Session.h"
#include "crypto/Identifiers.h"
#include "net/ServerEndpoint.h"

#include <QDir>
#include <QImage>
#include <QObject>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace cinder::test {

class AppWindow : public QObject {
    Q_OBJECT

public:
    // Screenshots are saved as <screenshots>/<name>.png.
    AppWindow(const QString& profileDirectory, const net::ServerEndpoint& server,
              client::SessionOptions options, const QDir& screenshots);
    ~AppWindow() override;

    // Loads the window, shows it at `size` at `position` and waits until it is on screen.
    bool open(QSize size, QPoint position = {});
    // Creates the account through the onboarding pages and acknowledges the ephemerality
    // policy; true once the conversation list shows.
    bool onboard(const QString& username, const QString& passphrase);

    [[nodiscard]] app::AppController* controller() const { return m_controller.get(); }
    [[nodiscard]] QQuickWindow* window() const { return m_window; }
    [[nodiscard]] QQmlEngine* engine() const { return m_engine.get(); }

    // The first item of that name a person can see: shown, opaque, not in the middle of a page
    // transition (nullptr otherwise).
    [[nodiscard]] QQuickItem* find(const QString& name) const;
    // Every shown item of that name.
    [[nodiscard]] QList<QQuickItem*> findAll(const QString& name) const;
    // The first shown item of that name under root (root included).
    [[nodiscard]] static QQuickItem* findWithin(QQuickItem* root, const QString& name);
    // Every shown item that matches (popups and dialogs included).
    [[nodiscard]] QList<QQuickItem*> findWhere(const std::function<bool(QQuickItem*)>& match) const;
    // Shown instances of a component of module Cinder, by its file name.
    [[nodiscard]] QList<QQuickItem*> findOfType(const QString& component) const;
    // Waits until something of that name is shown (or gone).
    bool waitShown(const QString& name);
    bool waitGone(const QString& name);
    // Waits until that field has the keyboard (e.g. a dialog done opening has put it there).
    bool waitFocused(const QString& name);

    // Brings the window to the front and gives it the keyboard.
    bool activate();
    // Waits for the item, scrolls it into view and clicks its centre.
    bool click(const QString& name);
    // The same for the item `locate` finds. It is looked up again just before the click: while
    // the window renders, a list may replace the delegate found first.
    bool click(const std::function<QQuickItem*()>& locate, const QString& what);
    // Focuses the field (a FormField's text input) and types the text (ASCII).
    bool typeInto(const QString& name, const QString& text);
    void keyClicks(const QString& text);
    void keyClick(Qt::Key key);
    // Lets the window lay out and render what changed.
    void waitForFrames();

    // The controller of the open chat page.
    [[nodiscard]] app::ConversationController* chatController() const;
    // The message bodies shown in the open chat (covered and file messages have none).
    [[nodiscard]] QStringList shownTexts() const;
    // The texts the open chat's message model holds.
    [[nodiscard]] QStringList modelTexts() const { return messageRole("text"); }
    // One role of every row of the open chat's message model, as text.
    [[nodiscard]] QStringList messageRole(const QByteArray& role) const;
    // The previews and titles the conversation list shows.
    [[nodiscard]] QStringList listPreviews() const;
    [[nodiscard]] QStringList listTitles() const;
    // Texts of a conversation in this app's own store, read on the session's worker thread.
    [[nodiscard]] QStringList storeTexts(const crypto::ConversationId& conversation);

    // Creates a ChatPage over the window, as MainPage would, for a conversation.
    std::unique_ptr<QQuickItem> createChatPage(const QString& conversationId);

    // What the window shows, at its real pixel size; and the part under one item.
    [[nodiscard]] QImage grab();
    [[nodiscard]] QImage grab(QQuickItem* item);
    // Saves a small PNG (width 800, fewer colours when large); false if it could not.
    bool screenshot(const QString& name);

private:
    // activate() unless the window already has the keyboard.
    bool ensureActive();
    [[nodiscard]] QQuickItem* rootItem() const { return m_window->contentItem(); }
    [[nodiscard]] QQuickItem* overlay() const;
    [[nodiscard]] bool popupShown() const;

    std::unique_ptr<app::AppController> m_controller;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    QDir m_screenshots;
};

// $CINDER_SCREENSHOT_DIR, else <build dir>/screenshots; made if missing.
QDir screenshotDirectory();

// The conversation id of a hex string the view models hand out.
crypto::ConversationId conversationIdFromHex(const QString& hex);

} // namespace cinder::test
