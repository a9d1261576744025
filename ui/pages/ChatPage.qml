// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// One conversation: header, the identity-change banner when needed, the messages and the
// composer. Files dropped anywhere on it are sent.
Page {
    id: page
    objectName: "chatPage"

    required property string conversationId

    signal membersRequested()
    signal verificationRequested(string username)

    function focusComposer() {
        composer.focusInput();
    }

    background: Rectangle { color: Theme.window }

    ConversationController {
        id: chatController
        objectName: "chatController"
        host: AppController.host
        conversationId: page.conversationId
        onSavedTo: path => toast.show(qsTr("Saved to %1").arg(path))
        onLastErrorChanged: if (lastError.length > 0) toast.show(lastError)
    }
    MessageListModel {
        id: messageModel
        host: AppController.host
        conversationId: page.conversationId
    }
    onConversationIdChanged: composer.cancelContext()

    header: ChatHeader {
        title: chatController.title
        isRoom: chatController.isRoom
        verified: chatController.verified
        ttlSeconds: chatController.ttlSeconds
        burnOnRead: chatController.burnOnRead
        onMembersRequested: page.membersRequested()
        onVerificationRequested: page.verificationRequested(chatController.peerUsername)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        IdentityChangedBanner {
            objectName: "identityBanner"
            Layout.fillWidth: true
            visible: chatController.identityChanged
            username: chatController.peerUsername.length > 0 ? chatController.peerUsername : chatController.title
            onAcceptRequested: chatController.acceptIdentityChange()
            onVerifyRequested: page.verificationRequested(chatController.peerUsername)
        }
        MessageList {
            id: list
            objectName: "messageList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            messages: messageModel
            controller: chatController
            showSenders: chatController.isRoom
            onReplyRequested: (messageId, text) => composer.startReply(messageId, text)
            onEditRequested: (messageId, text) => composer.startEdit(messageId, text)

            Label {
                anchors.centerIn: parent
                width: Math.min(parent.width - 64, 360)
                visible: list.count === 0 && !messageModel.loading
                text: qsTr("No messages yet. Messages you send here disappear when their timer runs out.")
                color: Theme.textTertiary
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
        }
        Composer {
            id: composer
            Layout.fillWidth: true
            controller: chatController
            timerChoices: chatController.timerChoices()
        }
    }

    DropArea {
        id: drop
        anchors.fill: parent
        enabled: chatController.canSend
        onEntered: drag => drag.accepted = drag.hasUrls
        onDropped: drop => {
            if (drop.hasUrls) {
                chatController.sendFiles(drop.urls);
                drop.acceptProposedAction();
            }
        }
    }
    DropOverlay {
        anchors.fill: parent
        visible: drop.containsDrag
    }
    Toast { id: toast }

    Component.onCompleted: composer.focusInput()
}
