// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The left pane: who is signed in, search, new chat / new room, and the conversations.
Rectangle {
    id: pane

    property alias model: list.model
    property string currentConversationId
    readonly property string filterText: search.text

    signal conversationSelected(string conversationId)
    signal newChatRequested()
    signal newRoomRequested()
    signal settingsRequested()

    function focusSearch() {
        search.forceActiveFocus();
        search.selectAll();
    }
    function openRow(row) {
        if (row >= 0 && row < list.count)
            conversationSelected(list.model.conversationIdAt(row));
    }

    color: Theme.sidebar

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        AccountHeader {
            Layout.fillWidth: true
            onSettingsRequested: pane.settingsRequested()
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingL
            Layout.rightMargin: Theme.spacingM
            Layout.bottomMargin: Theme.spacingS
            spacing: Theme.spacingXs

            SearchField {
                id: search
                objectName: "conversationSearch"
                Layout.fillWidth: true
                onAccepted: pane.openRow(Math.max(0, list.currentIndex))
                onDownPressed: {
                    list.currentIndex = 0;
                    list.forceActiveFocus();
                }
            }
            IconButton {
                objectName: "newChatButton"
                iconName: "compose"
                tip: qsTr("New chat (Ctrl+N)")
                onClicked: pane.newChatRequested()
            }
            IconButton {
                objectName: "newRoomButton"
                iconName: "userPlus"
                tip: qsTr("New room")
                onClicked: pane.newRoomRequested()
            }
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            keyNavigationEnabled: true
            currentIndex: -1
            boundsBehavior: Flickable.StopAtBounds
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Conversations")
            ScrollBar.vertical: ScrollBar {}

            delegate: ConversationDelegate {
                width: ListView.view.width
                selected: conversationId === pane.currentConversationId
                onClicked: pane.conversationSelected(conversationId)
            }

            Keys.onReturnPressed: pane.openRow(currentIndex)
            Keys.onEnterPressed: pane.openRow(currentIndex)

            Label {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXl
                visible: list.count === 0
                text: pane.filterText.length > 0 ? qsTr("No conversation matches.")
                                                 : qsTr("No conversations yet.\nStart one with the pencil button.")
                color: Theme.textTertiary
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
        }
    }
}
