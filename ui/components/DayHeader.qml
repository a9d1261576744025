// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// "Today", "Yesterday" or a date, centred between the messages of two days.
Item {
    property string label

    implicitHeight: pill.height + 2 * Theme.spacingM
    Accessible.role: Accessible.Heading
    Accessible.name: label

    Rectangle {
        id: pill
        anchors.centerIn: parent
        width: text.implicitWidth + 2 * Theme.spacingM
        height: 24
        radius: 12
        color: Theme.field
        Label {
            id: text
            anchors.centerIn: parent
            text: parent.parent.label
            color: Theme.textSecondary
            font.pixelSize: Theme.fontSmall
            font.weight: Font.DemiBold
        }
    }
}
