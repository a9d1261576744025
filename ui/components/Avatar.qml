// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// A round badge with the first letter of a name; rooms get a group icon.
Rectangle {
    id: avatar

    property string name
    property bool room: false
    property int size: 44

    implicitWidth: size
    implicitHeight: size
    radius: size / 2
    color: Theme.avatarColors[(name.length > 0 ? name.charCodeAt(0) : 0) % Theme.avatarColors.length]
    Accessible.ignored: true

    Label {
        anchors.centerIn: parent
        visible: !avatar.room
        text: avatar.name.length > 0 ? avatar.name.charAt(0).toUpperCase() : "?"
        textFormat: Text.PlainText
        color: "#ffffff"
        font.pixelSize: Math.round(avatar.size * 0.42)
        font.weight: Font.DemiBold
    }

    Icon {
        anchors.centerIn: parent
        visible: avatar.room
        width: Math.round(avatar.size * 0.5)
        height: width
        name: "users"
        color: "#ffffff"
    }
}
