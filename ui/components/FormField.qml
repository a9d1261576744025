// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// A caption over a rounded, filled text field. The caption is the field's accessible name.
ColumnLayout {
    id: root

    property string label
    property alias text: input.text
    property alias placeholderText: input.placeholderText
    property alias echoMode: input.echoMode
    property alias readOnly: input.readOnly
    property alias input: input
    property string hint
    property color hintColor: Theme.textSecondary

    signal accepted()

    spacing: Theme.spacingXs

    function focusField() {
        input.forceActiveFocus();
    }

    Label {
        text: root.label
        color: Theme.textSecondary
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
        visible: text.length > 0
    }

    TextField {
        id: input
        Layout.fillWidth: true
        implicitHeight: 44
        leftPadding: Theme.spacingM
        rightPadding: Theme.spacingM
        topPadding: 0
        bottomPadding: 0
        verticalAlignment: TextInput.AlignVCenter
        color: Theme.text
        placeholderTextColor: Theme.textTertiary
        selectByMouse: true
        font.pixelSize: Theme.fontBody
        Accessible.name: root.label.length > 0 ? root.label : placeholderText
        onAccepted: root.accepted()
        background: Rectangle {
            radius: Theme.radiusM
            color: input.readOnly ? "transparent" : Theme.field
            border.width: input.activeFocus && !input.readOnly ? 2 : 1
            border.color: input.activeFocus && !input.readOnly ? Theme.accent : Theme.divider
        }
    }

    Label {
        Layout.fillWidth: true
        text: root.hint
        visible: text.length > 0
        color: root.hintColor
        font.pixelSize: Theme.fontCaption
        wrapMode: Text.Wrap
    }
}
