// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// One statement of the ephemerality policy: an icon, a title and an explanation.
RowLayout {
    id: point

    property string iconName
    property string title
    property string body

    spacing: Theme.spacingM
    Accessible.role: Accessible.StaticText
    Accessible.name: title + ". " + body

    Rectangle {
        Layout.alignment: Qt.AlignTop
        implicitWidth: 40
        implicitHeight: 40
        radius: 12
        color: Theme.accentSoft
        Icon {
            anchors.centerIn: parent
            width: 20
            height: 20
            name: point.iconName
            color: Theme.accent
        }
    }
    ColumnLayout {
        Layout.fillWidth: true
        spacing: 2
        Label {
            Layout.fillWidth: true
            text: point.title
            color: Theme.text
            font.pixelSize: Theme.fontBody
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            text: point.body
            color: Theme.textSecondary
            font.pixelSize: Theme.fontBody - 1
            lineHeight: 1.15
            wrapMode: Text.Wrap
        }
    }
}
