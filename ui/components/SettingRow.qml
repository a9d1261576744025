// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// A setting: its name and an explanation on the left; the control declared inside it follows
// on the right (a RowLayout appends it after the labels).
RowLayout {
    id: row

    property string label
    property string description

    spacing: Theme.spacingL

    ColumnLayout {
        Layout.fillWidth: true
        spacing: 2
        Label {
            Layout.fillWidth: true
            text: row.label
            color: Theme.text
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            text: row.description
            visible: text.length > 0
            color: Theme.textSecondary
            font.pixelSize: Theme.fontCaption + 1
            wrapMode: Text.Wrap
        }
    }
}
