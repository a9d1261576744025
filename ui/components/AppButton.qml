// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// The app's text button: "primary" (filled with the accent), "secondary" (tinted) or
// "danger" (red text), rounded, at least 40 px high.
Button {
    id: button

    property string tone: "primary"
    readonly property bool filled: tone === "primary"

    implicitHeight: 44
    topInset: 0
    bottomInset: 0
    leftInset: 0
    rightInset: 0
    leftPadding: Theme.spacingL + 4
    rightPadding: Theme.spacingL + 4
    font.pixelSize: Theme.fontBody
    font.weight: Font.DemiBold
    font.capitalization: Font.MixedCase
    hoverEnabled: true
    Accessible.name: text

    contentItem: Label {
        text: button.text
        font: button.font
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
        color: !button.enabled ? Theme.textTertiary
              : button.filled ? Theme.textOnAccent
              : button.tone === "danger" ? Theme.danger : Theme.accent
    }

    background: Rectangle {
        radius: Theme.radiusM
        color: {
            if (button.filled)
                return !button.enabled ? Theme.field
                     : button.down ? Theme.accentPressed : Theme.accent;
            if (button.tone === "danger")
                return button.down || button.hovered ? Theme.dangerSoft : Theme.field;
            return button.down || button.hovered ? Theme.accentSoft : Theme.field;
        }
        opacity: button.filled && button.hovered && !button.down ? 0.92 : 1
        border.width: button.visualFocus ? 2 : 0
        border.color: button.filled ? Theme.text : Theme.accent
    }
}
