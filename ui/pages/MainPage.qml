// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The signed-in window: the conversation list on the left, the open conversation (and the
// pages pushed over it: members, verification, settings, devices) on the right.
Item {
    id: main

    required property SettingsController settings
    property string currentConversationId

    function openConversation(conversationId) {
        currentConversationId = conversationId;
        pane.pop(null);
        if (pane.currentItem && pane.currentItem.focusComposer)
            pane.currentItem.focusComposer();
    }
    function openPage(component, properties) {
        pane.pop(null);
        pane.push(component, properties || {});
    }

    ConversationListModel {
        id: conversationModel
        host: AppController.host
    }
    ConversationFilterModel {
        id: filterModel
        sourceModel: conversationModel
    }
    ContactsController {
        id: contactsController
        host: AppController.host
        onConversationOpened: conversationId => {
            conversationModel.reload();
            main.openConversation(conversationId);
        }
    }
    DesktopIntegration {
        host: AppController.host
        window: main.Window.window
        unreadCount: conversationModel.unreadTotal
        notifications: main.settings.notifications
        previews: main.settings.notificationPreviews
        onActivated: conversationId => {
            if (conversationId.length > 0)
                main.openConversation(conversationId);
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationListPane {
            id: sidebar
            Layout.preferredWidth: Theme.sidebarWidth
            Layout.fillHeight: true
            model: filterModel
            currentConversationId: main.currentConversationId
            onConversationSelected: conversationId => main.openConversation(conversationId)
            onFilterTextChanged: filterModel.filterText = filterText
            onNewChatRequested: newChat.open()
            onNewRoomRequested: newRoom.open()
            onSettingsRequested: main.openPage(settingsPage)
        }
        Rectangle {
            Layout.fillHeight: true
            implicitWidth: 1
            color: Theme.divider
        }
        StackView {
            id: pane
            Layout.fillWidth: true
            Layout.fillHeight: true
            initialItem: chatArea
        }
    }

    Component {
        id: chatArea
        Loader {
            sourceComponent: main.currentConversationId.length > 0 ? chatPage : emptyPage
            function focusComposer() {
                if (item && item.focusComposer)
                    item.focusComposer();
            }
        }
    }
    Component {
        id: emptyPage
        EmptyChatPage { onNewChatRequested: newChat.open() }
    }
    Component {
        id: chatPage
        ChatPage {
            conversationId: main.currentConversationId
            onMembersRequested: main.openPage(membersPage, { conversationId: conversationId })
            onVerificationRequested: username => main.openPage(verificationPage, { username: username })
        }
    }
    Component {
        id: membersPage
        RoomMembersPage {
            onBack: pane.pop()
            onLeftRoom: {
                main.currentConversationId = "";
                pane.pop(null);
                conversationModel.reload();
            }
        }
    }
    Component {
        id: verificationPage
        VerificationPage { onBack: pane.pop() }
    }
    Component {
        id: settingsPage
        SettingsPage {
            settings: main.settings
            onBack: pane.pop()
            onDevicesRequested: pane.push(devicesPage)
        }
    }
    Component {
        id: devicesPage
        DevicesPage { onBack: pane.pop() }
    }

    NewChatDialog {
        id: newChat
        contacts: contactsController
    }
    NewRoomDialog {
        id: newRoom
        contacts: contactsController
    }

    Shortcut {
        sequence: "Ctrl+K"
        onActivated: sidebar.focusSearch()
    }
    Shortcut {
        sequence: StandardKey.New // Ctrl+N (Cmd+N on macOS); listing "Ctrl+N" too made it ambiguous
        onActivated: newChat.open()
    }
    Shortcut {
        sequence: StandardKey.Cancel
        enabled: pane.depth > 1
        onActivated: pane.pop()
    }
}
