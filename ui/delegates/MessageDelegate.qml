// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// One message: an optional day header, the sender's name at the start of a group (rooms), the
// bubble and its reactions. Everything shown is plain text.
Item {
    id: row

    required property int index
    required property string messageId
    required property string text
    required property string sender
    required property bool outgoing
    required property string timeLabel
    required property string dayLabel
    required property bool firstInGroup
    required property int remaining
    required property string remainingLabel
    required property bool burnOnRead
    required property bool revealed
    required property bool edited
    required property bool deleted
    required property string readState
    required property string contentType
    required property string replyToText
    required property string reactions
    required property string fileName
    required property real fileSize
    required property real attachmentId
    required property bool downloaded
    required property real transfer

    property bool showSender: false
    property bool current: false
    readonly property bool covered: burnOnRead && !revealed && !deleted && !outgoing
    readonly property real bubbleMaxWidth: Math.min(Theme.bubbleMaxWidth, width * 0.72)

    signal revealRequested()
    signal downloadRequested()
    signal saveRequested()
    signal menuRequested(real x, real y)

    implicitHeight: column.implicitHeight
    Accessible.role: Accessible.ListItem
    Accessible.name: (outgoing ? qsTr("You") : sender) + ": "
                     + (deleted ? qsTr("deleted message") : covered ? qsTr("hidden message")
                        : contentType === "file" ? qsTr("file %1").arg(fileName) : text)
                     + ", " + timeLabel

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 2

        DayHeader {
            Layout.fillWidth: true
            visible: row.dayLabel.length > 0
            label: row.dayLabel
        }
        PlainLabel {
            Layout.leftMargin: 14
            Layout.topMargin: Theme.spacingS
            visible: row.showSender && !row.outgoing && row.firstInGroup
            text: row.sender
            color: Theme.avatarColors[(row.sender.length > 0 ? row.sender.charCodeAt(0) : 0)
                                      % Theme.avatarColors.length]
            font.pixelSize: Theme.fontCaption
            font.weight: Font.DemiBold
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: row.firstInGroup && !(row.showSender && !row.outgoing) ? Theme.spacingS : 0
            layoutDirection: row.outgoing ? Qt.RightToLeft : Qt.LeftToRight
            spacing: Theme.spacingXs

            MessageBubble {
                id: bubble
                message: row
                maximumWidth: row.bubbleMaxWidth
                onRevealRequested: row.revealRequested()
                onDownloadRequested: row.downloadRequested()
                onSaveRequested: row.saveRequested()
                onMenuRequested: (x, y) => {
                    const p = bubble.mapToItem(row, x, y);
                    row.menuRequested(p.x, p.y);
                }
            }
            IconButton {
                size: 28
                iconName: "more"
                tip: qsTr("Message actions")
                opacity: hover.hovered || row.current || activeFocus ? 1 : 0
                onClicked: row.menuRequested(x, y + height)
            }
            Item { Layout.fillWidth: true }
        }
        Rectangle {
            Layout.alignment: row.outgoing ? Qt.AlignRight : Qt.AlignLeft
            Layout.topMargin: -6
            Layout.leftMargin: 10
            Layout.rightMargin: 10
            visible: row.reactions.length > 0
            implicitWidth: reactionText.implicitWidth + 16
            implicitHeight: 24
            radius: 12
            color: Theme.raised
            border.width: 1
            border.color: Theme.divider
            PlainLabel {
                id: reactionText
                objectName: "reactions"
                anchors.centerIn: parent
                text: row.reactions
                font.pixelSize: Theme.fontCaption
            }
        }
    }

    HoverHandler { id: hover }
}
