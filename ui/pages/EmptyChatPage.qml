// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The right pane when no conversation is open.
Rectangle {
    id: page

    signal newChatRequested()

    color: Theme.window

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(360, parent.width - 48)
        spacing: Theme.spacingL

        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            implicitWidth: 88
            implicitHeight: 88
            radius: 44
            color: Theme.accentSoft
            Icon {
                anchors.centerIn: parent
                width: 40
                height: 40
                name: "flame"
                color: Theme.accent
            }
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("No conversation open")
            color: Theme.text
            font.pixelSize: Theme.fontTitle
            font.weight: Font.DemiBold
            horizontalAlignment: Text.AlignHCenter
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("Pick a conversation on the left, or start a new one. Press Ctrl+K to jump to a conversation.")
            color: Theme.textSecondary
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            lineHeight: 1.2
        }
        AppButton {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("New chat")
            onClicked: page.newChatRequested()
        }
    }
}
