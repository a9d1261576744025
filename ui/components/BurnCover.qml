// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// What a burn-on-read message shows until it is revealed; revealing starts its burn.
AbstractButton {
    id: cover

    property bool onAccent: false

    implicitWidth: row.implicitWidth + 24
    implicitHeight: row.implicitHeight + 16
    hoverEnabled: true
    focusPolicy: Qt.StrongFocus
    Accessible.role: Accessible.Button
    Accessible.name: qsTr("Tap to reveal. The message burns after it is shown.")

    background: Rectangle {
        radius: Theme.radiusM
        color: cover.onAccent ? Theme.quoteOutgoing : (cover.hovered ? Theme.selected : Theme.quoteIncoming)
        border.width: cover.visualFocus ? 2 : 0
        border.color: Theme.accent
    }
    contentItem: Item {
        RowLayout {
            id: row
            anchors.centerIn: parent
            spacing: Theme.spacingS
            Icon {
                Layout.preferredWidth: 18
                Layout.preferredHeight: 18
                name: "flame"
                color: cover.onAccent ? "#ffffff" : Theme.accent
            }
            ColumnLayout {
                spacing: 0
                Label {
                    text: qsTr("Tap to reveal")
                    color: cover.onAccent ? Theme.bubbleOutgoingText : Theme.text
                    font.weight: Font.DemiBold
                }
                Label {
                    text: qsTr("Burns after reading")
                    color: cover.onAccent ? Theme.bubbleOutgoingMeta : Theme.textSecondary
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }
}
