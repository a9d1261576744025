// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The top bar of a page pushed over the chat: a back button and a title.
Rectangle {
    id: header

    property string title
    property bool showBack: true
    default property alias actions: trailing.data

    signal back()

    implicitHeight: Theme.headerHeight
    color: Theme.window

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingS
        anchors.rightMargin: Theme.spacingL
        spacing: Theme.spacingS

        IconButton {
            visible: header.showBack
            iconName: "back"
            tip: qsTr("Back")
            onClicked: header.back()
        }
        PlainLabel {
            Layout.fillWidth: true
            Layout.leftMargin: header.showBack ? 0 : Theme.spacingS
            text: header.title
            font.pixelSize: Theme.fontLarge
            font.weight: Font.DemiBold
            elide: Text.ElideRight
            Accessible.role: Accessible.Heading
        }
        RowLayout {
            id: trailing
            spacing: Theme.spacingXs
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.divider
    }
}
