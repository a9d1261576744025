// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// The conversation search: a rounded field with a magnifier; Esc clears it.
TextField {
    id: field

    signal downPressed()

    implicitHeight: 38
    leftPadding: 36
    rightPadding: Theme.spacingM
    topPadding: 0
    bottomPadding: 0
    verticalAlignment: TextInput.AlignVCenter
    placeholderText: qsTr("Search (Ctrl+K)")
    placeholderTextColor: Theme.textTertiary
    color: Theme.text
    selectByMouse: true
    font.pixelSize: Theme.fontBody
    Accessible.name: qsTr("Search conversations")

    Keys.onEscapePressed: event => {
        if (text.length > 0) {
            clear();
            event.accepted = true;
        } else {
            event.accepted = false;
        }
    }
    Keys.onDownPressed: downPressed()

    background: Rectangle {
        radius: height / 2
        color: Theme.field
        border.width: field.activeFocus ? 2 : 0
        border.color: Theme.accent
        Icon {
            anchors.verticalCenter: parent.verticalCenter
            x: 12
            width: 16
            height: 16
            name: "search"
            color: Theme.textTertiary
        }
    }
}
