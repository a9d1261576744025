// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// A setting: its name and an explanation on the left; the control declared inside it follows
// on the right (a RowLayout appends it after the labels).
//
// The labels sit in a Column, not a ColumnLayout: a wrapped label's height depends on the width
// the row gives it, and a nested ColumnLayout kept the height measured during the first, narrow
// pass, which pushed the control below the row (or under the next row's control). A Column
// follows the labels' heights; the row then lays out again.
RowLayout {
    id: row

    property string label
    property string description

    spacing: Theme.spacingL

    Column {
        Layout.fillWidth: true
        Layout.preferredWidth: 1 // take what the control leaves, never squeeze it
        Layout.alignment: Qt.AlignVCenter
        spacing: 2
        Label {
            width: parent.width
            text: row.label
            color: Theme.text
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
        }
        Label {
            width: parent.width
            text: row.description
            visible: text.length > 0
            color: Theme.textSecondary
            font.pixelSize: Theme.fontCaption + 1
            wrapMode: Text.Wrap
        }
    }
}
