// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Above the composer while replying to or editing a message: what, and a cancel button.
Rectangle {
    id: bar

    property string title
    property string quote
    property string iconName: "reply"

    signal cancelled()

    implicitHeight: layout.implicitHeight + 2 * Theme.spacingS
    radius: Theme.radiusM
    color: Theme.field

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingM
        anchors.rightMargin: Theme.spacingXs
        spacing: Theme.spacingM

        Icon {
            Layout.preferredWidth: 18
            Layout.preferredHeight: 18
            name: bar.iconName
            color: Theme.accent
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                text: bar.title
                color: Theme.accent
                font.pixelSize: Theme.fontCaption
                font.weight: Font.DemiBold
            }
            PlainLabel {
                Layout.fillWidth: true
                text: bar.quote.replace(/\s+/g, " ")
                color: Theme.textSecondary
                font.pixelSize: Theme.fontCaption + 1
                elide: Text.ElideRight
                maximumLineCount: 1
            }
        }
        IconButton {
            size: 30
            iconName: "close"
            tip: qsTr("Cancel")
            onClicked: bar.cancelled()
        }
    }
}
