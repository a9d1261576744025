// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Dialogs
import Cinder

// The messages of a conversation, oldest at the top. Older pages load when the view reaches the
// top; new messages scroll into view when the reader is at the bottom. Shown messages are
// marked read while the window is active.
ListView {
    id: list

    required property MessageListModel messages
    required property ConversationController controller
    property bool showSenders: false
    property bool atEnd: true

    signal replyRequested(string messageId, string text)
    signal editRequested(string messageId, string text)
    signal savedTo(string path)

    function markShownRead() {
        if (Qt.application.state === Qt.ApplicationActive && visible) {
            const ids = messages.unreadIds();
            if (ids.length > 0)
                controller.markRead(ids);
        }
    }
    function fetchOlder() {
        const root = messages.index(-1, -1);
        if (!messages.loading && messages.canFetchMore(root))
            messages.fetchMore(root);
    }

    model: messages
    clip: true
    spacing: 2
    topMargin: Theme.spacingL
    bottomMargin: Theme.spacingL
    leftMargin: Theme.spacingXl
    rightMargin: Theme.spacingXl
    currentIndex: -1
    keyNavigationEnabled: true
    boundsBehavior: Flickable.StopAtBounds
    reuseItems: true
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Messages")
    ScrollBar.vertical: ScrollBar {
        onPressedChanged: if (!pressed) list.atEnd = list.atYEnd
    }

    // Older pages load two screens before the top comes into view, so a reader scrolling up
    // never waits there (and one who got to the top while a page was loading is not stuck).
    function nearTop() {
        return count > 0 && contentY - originY < 2 * height;
    }
    onContentYChanged: if (nearTop()) fetchOlder()
    onAtYEndChanged: if (moving || flicking) atEnd = atYEnd
    onMovementEnded: atEnd = atYEnd
    onCountChanged: if (atEnd) Qt.callLater(positionViewAtEnd)

    Connections {
        target: list.messages
        function onMessagesAppended() {
            if (list.atEnd)
                Qt.callLater(list.positionViewAtEnd);
            list.markShownRead();
        }
        function onConversationIdChanged() {
            list.atEnd = true;
            list.currentIndex = -1;
        }
        function onLoadingChanged() {
            if (list.messages.loading)
                return;
            list.markShownRead();
            if (list.nearTop())
                list.fetchOlder();
        }
    }
    Connections {
        target: Qt.application
        function onStateChanged() { list.markShownRead(); }
    }

    delegate: MessageDelegate {
        id: message
        width: ListView.view.width - ListView.view.leftMargin - ListView.view.rightMargin
        showSender: list.showSenders
        current: ListView.isCurrentItem && list.activeFocus
        onRevealRequested: list.controller.reveal(messageId)
        onDownloadRequested: list.controller.download(attachmentId)
        onSaveRequested: {
            saveDialog.attachmentId = attachmentId;
            saveDialog.open();
        }
        onMenuRequested: (x, y) => menu.openFor(message, x, y, message)
    }

    Keys.onPressed: event => {
        if (currentItem && (event.key === Qt.Key_Menu
                            || (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier)))) {
            menu.openFor(currentItem, currentItem.width / 2, currentItem.height / 2, currentItem);
            event.accepted = true;
        }
    }

    MessageContextMenu {
        id: menu
        onReplyRequested: list.replyRequested(messageId, text)
        onReactRequested: emoji => list.controller.react(messageId, emoji)
        onEditRequested: list.editRequested(messageId, text)
        onDeleteRequested: list.controller.remove(messageId)
        onCopyRequested: clipboard.copyText(text)
    }
    Clipboard { id: clipboard }
    FolderDialog {
        id: saveDialog
        property real attachmentId: 0
        title: qsTr("Save the file to…")
        onAccepted: list.controller.saveAttachment(attachmentId, selectedFolder)
    }

    BusyIndicator {
        anchors.horizontalCenter: parent.horizontalCenter
        y: Theme.spacingS
        running: list.messages.loading
        visible: running
    }
}
