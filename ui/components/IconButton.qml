// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// A round, borderless button showing one icon, with a tooltip that is also its accessible name.
AbstractButton {
    id: button

    property string iconName
    property string tip
    property color iconColor: Theme.textSecondary
    property int size: 36
    property bool highlighted: false

    implicitWidth: size
    implicitHeight: size
    focusPolicy: Qt.StrongFocus
    hoverEnabled: true

    Accessible.role: Accessible.Button
    Accessible.name: tip
    Accessible.onPressAction: button.clicked()

    ToolTip.visible: hovered && tip.length > 0
    ToolTip.delay: 600
    ToolTip.text: tip

    background: Rectangle {
        radius: width / 2
        color: button.highlighted ? Theme.accentSoft
              : button.down ? Theme.selected
              : button.hovered || button.visualFocus ? Theme.hover : "transparent"
        border.width: button.visualFocus ? 2 : 0
        border.color: Theme.accent
    }

    contentItem: Item {
        Icon {
            anchors.centerIn: parent
            width: Math.round(button.size * 0.52)
            height: width
            name: button.iconName
            color: !button.enabled ? Theme.textTertiary
                  : button.highlighted ? Theme.accent : button.iconColor
        }
    }
}
