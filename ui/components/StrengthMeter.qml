// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Four segments filled up to the passphrase's score (PassphraseStrength.score, 0..4) in the
// colour of that score, with its label.
ColumnLayout {
    id: meter

    property int score: 0
    property string label
    readonly property color barColor: Theme.strengthColor(score)

    spacing: Theme.spacingXs
    Accessible.role: Accessible.ProgressBar
    Accessible.name: qsTr("Passphrase strength: %1").arg(label)

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingXs
        Repeater {
            model: 4
            Rectangle {
                required property int index
                objectName: "segment" + index
                Layout.fillWidth: true
                implicitHeight: 6
                radius: 3
                color: index < meter.score ? meter.barColor : Theme.divider
            }
        }
    }
    Label {
        text: meter.label
        color: meter.score > 0 ? meter.barColor : Theme.textSecondary
        font.pixelSize: Theme.fontCaption
        visible: text.length > 0
    }
}
