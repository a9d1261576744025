// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// A file in a message: its (display-only) name and size, download or save, and the progress of
// a transfer.
ColumnLayout {
    id: file

    property string fileName
    property real fileSize: 0
    property bool downloaded: false
    property real transfer: -1
    property bool onAccent: false

    signal downloadRequested()
    signal saveRequested()

    readonly property color ink: onAccent ? Theme.bubbleOutgoingText : Theme.text
    readonly property color subInk: onAccent ? Theme.bubbleOutgoingMeta : Theme.textSecondary

    spacing: Theme.spacingS

    RowLayout {
        spacing: Theme.spacingM
        Rectangle {
            implicitWidth: 40
            implicitHeight: 40
            radius: Theme.radiusM
            color: file.onAccent ? Theme.quoteOutgoing : Theme.accentSoft
            Icon {
                anchors.centerIn: parent
                width: 20
                height: 20
                name: "file"
                color: file.onAccent ? "#ffffff" : Theme.accent
            }
        }
        ColumnLayout {
            spacing: 1
            Layout.maximumWidth: 240
            PlainLabel {
                objectName: "fileName"
                Layout.fillWidth: true
                text: file.fileName
                color: file.ink
                font.weight: Font.DemiBold
                elide: Text.ElideMiddle
            }
            Label {
                text: Qt.locale().formattedDataSize(file.fileSize)
                color: file.subInk
                font.pixelSize: Theme.fontCaption
            }
        }
        IconButton {
            visible: file.transfer < 0
            iconName: file.downloaded ? "folder" : "download"
            iconColor: file.ink
            tip: file.downloaded ? qsTr("Save to a folder…") : qsTr("Download")
            onClicked: file.downloaded ? file.saveRequested() : file.downloadRequested()
        }
    }
    ProgressBar {
        objectName: "transferProgress"
        Layout.fillWidth: true
        visible: file.transfer >= 0
        value: file.transfer
        Accessible.name: qsTr("Transfer progress")
    }
}
