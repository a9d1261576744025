// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// The number of unread messages in a pill; hidden at zero.
Rectangle {
    id: badge

    property int count: 0

    visible: count > 0
    implicitHeight: 20
    implicitWidth: Math.max(implicitHeight, number.implicitWidth + 12)
    radius: height / 2
    color: Theme.accent
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("%n unread", "", count)

    Label {
        id: number
        anchors.centerIn: parent
        text: badge.count > 99 ? "99+" : String(badge.count)
        color: Theme.textOnAccent
        font.pixelSize: Theme.fontSmall
        font.weight: Font.Bold
    }
}
