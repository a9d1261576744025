// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Shown over the chat while files are dragged onto it.
Rectangle {
    color: Theme.dark ? "#cc121316" : "#ccffffff"
    Accessible.ignored: true

    Rectangle {
        anchors.fill: parent
        anchors.margins: Theme.spacingXl
        radius: Theme.radiusL
        color: "transparent"
        border.width: 2
        border.color: Theme.accent

        ColumnLayout {
            anchors.centerIn: parent
            spacing: Theme.spacingM
            Icon {
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: 40
                Layout.preferredHeight: 40
                name: "upload"
                color: Theme.accent
            }
            Label {
                text: qsTr("Drop files to send them")
                color: Theme.text
                font.pixelSize: Theme.fontLarge
                font.weight: Font.DemiBold
            }
        }
    }
}
