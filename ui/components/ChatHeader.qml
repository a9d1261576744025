// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The top of a conversation: who, whether their key is verified, the timers, and the members
// (rooms) or verification (contacts).
Rectangle {
    id: header

    property string title
    property bool isRoom: false
    property bool verified: false
    property int ttlSeconds: 0
    property bool burnOnRead: false

    signal membersRequested()
    signal verificationRequested()

    implicitHeight: Theme.headerHeight
    color: Theme.window

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingL
        anchors.rightMargin: Theme.spacingM
        spacing: Theme.spacingM

        Avatar {
            objectName: "headerAvatar"
            size: 36
            name: header.title
            room: header.isRoom
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 1
            // A layout can grow only as far as its items can: without a filler these lines
            // could not, the column stayed narrow, and the header spread it into the middle.
            RowLayout {
                Layout.alignment: Qt.AlignLeft
                spacing: Theme.spacingXs
                PlainLabel {
                    objectName: "headerTitle"
                    Layout.maximumWidth: header.width - 260
                    text: header.title
                    font.pixelSize: Theme.fontLarge
                    font.weight: Font.DemiBold
                    elide: Text.ElideRight
                    Accessible.role: Accessible.Heading
                }
                Icon {
                    objectName: "verifiedBadge"
                    visible: header.verified && !header.isRoom
                    Layout.preferredWidth: 16
                    Layout.preferredHeight: 16
                    name: "shield"
                    color: Theme.success
                    Accessible.ignored: false
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Verified")
                }
                Item { Layout.fillWidth: true }
            }
            RowLayout {
                Layout.alignment: Qt.AlignLeft
                spacing: Theme.spacingS
                TimerHint {
                    ttlSeconds: header.ttlSeconds
                    burnOnRead: header.burnOnRead
                    color: Theme.textSecondary
                }
                Label {
                    text: header.isRoom ? qsTr("Room")
                        : header.verified ? qsTr("Verified") : qsTr("Not verified")
                    color: header.verified && !header.isRoom ? Theme.success : Theme.textSecondary
                    font.pixelSize: Theme.fontCaption
                }
                Item { Layout.fillWidth: true }
            }
        }
        IconButton {
            objectName: "membersButton"
            visible: header.isRoom
            iconName: "users"
            tip: qsTr("Members")
            onClicked: header.membersRequested()
        }
        IconButton {
            objectName: "verifyButton"
            visible: !header.isRoom
            iconName: "shield"
            tip: qsTr("Verify security key")
            onClicked: header.verificationRequested()
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.divider
    }
}
