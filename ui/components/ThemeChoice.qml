// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// System / Light / Dark as a segmented control.
RowLayout {
    id: choice

    required property SettingsController settings
    readonly property var options: [
        { value: SettingsController.System, label: qsTr("System") },
        { value: SettingsController.Light, label: qsTr("Light") },
        { value: SettingsController.Dark, label: qsTr("Dark") }
    ]

    spacing: 0
    Accessible.role: Accessible.RadioButton

    Repeater {
        model: choice.options
        AbstractButton {
            id: segment
            required property var modelData
            required property int index
            readonly property bool selected: choice.settings.theme === modelData.value
            implicitWidth: 76
            implicitHeight: 34
            checkable: true
            checked: selected
            focusPolicy: Qt.StrongFocus
            hoverEnabled: true
            Accessible.role: Accessible.RadioButton
            Accessible.name: qsTr("%1 theme").arg(modelData.label)
            Accessible.checked: selected
            onClicked: choice.settings.theme = modelData.value
            background: Rectangle {
                radius: 8
                color: segment.selected ? Theme.accent
                      : segment.hovered ? Theme.hover : Theme.field
                border.width: segment.visualFocus ? 2 : 0
                border.color: Theme.text
            }
            contentItem: Label {
                text: segment.modelData.label
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                color: segment.selected ? Theme.textOnAccent : Theme.text
                font.weight: segment.selected ? Font.DemiBold : Font.Normal
            }
        }
    }
}
