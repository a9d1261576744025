// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// Digits in groups (the code arrives as groups separated by spaces), in a monospaced grid that
// is easy to read aloud.
Flow {
    id: grid

    property string code
    property int pixelSize: 20

    spacing: Theme.spacingM
    Accessible.role: Accessible.StaticText
    Accessible.name: code

    Repeater {
        model: grid.code.split(/\s+/).filter(group => group.length > 0)
        Label {
            required property string modelData
            text: modelData
            textFormat: Text.PlainText
            color: Theme.text
            font.family: "monospace"
            font.pixelSize: grid.pixelSize
            font.letterSpacing: 1.5
            width: implicitWidth
        }
    }
}
