// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// One device of this account: its short id, when it was added, and remove (not this one).
ItemDelegate {
    id: row

    required property string nodeId
    required property string shortId
    required property var addedAt
    required property bool thisDevice

    signal removeRequested()

    implicitHeight: 64
    hoverEnabled: true
    Accessible.name: thisDevice ? qsTr("Device %1, this device").arg(shortId) : qsTr("Device %1").arg(shortId)
    background: Rectangle {
        radius: Theme.radiusM
        color: row.hovered || row.visualFocus ? Theme.hover : "transparent"
    }

    contentItem: RowLayout {
        spacing: Theme.spacingM
        Rectangle {
            implicitWidth: 40
            implicitHeight: 40
            radius: 20
            color: row.thisDevice ? Theme.accentSoft : Theme.field
            Icon {
                anchors.centerIn: parent
                width: 20
                height: 20
                name: "devices"
                color: row.thisDevice ? Theme.accent : Theme.textSecondary
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 1
            PlainLabel {
                text: row.thisDevice ? qsTr("%1 (this device)").arg(row.shortId) : row.shortId
                font.family: "monospace"
                font.weight: Font.DemiBold
            }
            Label {
                text: row.addedAt && !isNaN(row.addedAt.getTime())
                      ? qsTr("Added %1").arg(row.addedAt.toLocaleString(Qt.locale(), Locale.ShortFormat)) : ""
                visible: text.length > 0
                color: Theme.textSecondary
                font.pixelSize: Theme.fontCaption
            }
        }
        AppButton {
            visible: !row.thisDevice
            tone: "danger"
            text: qsTr("Remove")
            Accessible.name: qsTr("Remove device %1").arg(row.shortId)
            onClicked: row.removeRequested()
        }
    }
}
