// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The top of the conversation list: this account, whether it is online, and settings.
Item {
    id: header

    signal settingsRequested()

    implicitHeight: Theme.headerHeight + Theme.spacingS

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingL
        anchors.rightMargin: Theme.spacingM
        spacing: Theme.spacingM

        Item {
            implicitWidth: 36
            implicitHeight: 36
            Avatar {
                size: 36
                name: AppController.username
            }
            Rectangle {
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                width: 12
                height: 12
                radius: 6
                color: AppController.online ? Theme.online : Theme.textTertiary
                border.width: 2
                border.color: Theme.sidebar
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            PlainLabel {
                Layout.fillWidth: true
                text: AppController.username
                font.weight: Font.DemiBold
                elide: Text.ElideRight
            }
            Label {
                text: AppController.online ? qsTr("Online") : qsTr("Connecting…")
                color: Theme.textSecondary
                font.pixelSize: Theme.fontCaption
            }
        }
        IconButton {
            objectName: "settingsButton"
            iconName: "settings"
            tip: qsTr("Settings")
            onClicked: header.settingsRequested()
        }
    }
}
