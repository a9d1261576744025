// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// A titled, rounded group of settings or details.
ColumnLayout {
    id: section

    property string title
    default property alias content: body.data

    spacing: Theme.spacingS

    Label {
        text: section.title
        color: Theme.textSecondary
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        font.capitalization: Font.AllUppercase
        font.letterSpacing: 0.6
        visible: text.length > 0
        Accessible.role: Accessible.Heading
    }
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: body.implicitHeight + 2 * Theme.spacingL
        radius: Theme.radiusL
        color: Theme.sidebar
        border.width: 1
        border.color: Theme.divider

        ColumnLayout {
            id: body
            anchors.fill: parent
            anchors.margins: Theme.spacingL
            spacing: Theme.spacingM
        }
    }
}
