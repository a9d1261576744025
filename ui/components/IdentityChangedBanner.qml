// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The loud warning when a contact's identity key changed: sending stays blocked until the
// user accepts the new key (ideally after verifying it).
Rectangle {
    id: banner

    property string username
    property bool showVerify: true

    signal acceptRequested()
    signal verifyRequested()

    implicitHeight: layout.implicitHeight + 2 * Theme.spacingM
    color: Theme.danger
    Accessible.role: Accessible.AlertMessage
    Accessible.name: qsTr("Warning: the security key of %1 changed").arg(username)

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingL
        anchors.rightMargin: Theme.spacingL
        spacing: Theme.spacingM

        Icon {
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            name: "warning"
            color: "#ffffff"
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            PlainLabel {
                Layout.fillWidth: true
                text: qsTr("%1's security key changed").arg(banner.username)
                color: "#ffffff"
                font.weight: Font.Bold
                elide: Text.ElideRight
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("This can mean a new device, or someone in the middle. Sending is blocked until you accept the new key. Verify it with them first.")
                color: "#ffe9e7"
                font.pixelSize: Theme.fontCaption + 1
                wrapMode: Text.Wrap
            }
        }
        Button {
            text: qsTr("Verify")
            visible: banner.showVerify
            flat: true
            Material.foreground: "#ffffff"
            Accessible.name: qsTr("Verify the new key")
            onClicked: banner.verifyRequested()
        }
        Button {
            objectName: "acceptNewKey"
            text: qsTr("Accept new key")
            Material.background: "#ffffff"
            Material.foreground: Theme.danger
            Accessible.name: text
            onClicked: banner.acceptRequested()
        }
    }
}
