// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The rounded bubble of one message (MessageDelegate passes itself as `message`): the quoted
// reply, the body (text, file, burn-on-read cover or deleted marker) and a footer with the
// edited marker, the countdown, the time and the read ticks.
Rectangle {
    id: bubble

    required property Item message
    property real maximumWidth: 480
    readonly property bool mine: message.outgoing
    readonly property real innerMax: maximumWidth - 2 * padding
    readonly property int padding: 12
    readonly property color meta: mine ? Theme.bubbleOutgoingMeta : Theme.textTertiary

    signal revealRequested()
    signal downloadRequested()
    signal saveRequested()
    signal menuRequested(real x, real y)

    implicitWidth: Math.min(maximumWidth, content.implicitWidth + 2 * padding)
    implicitHeight: content.implicitHeight + 2 * padding - 4
    radius: Theme.radiusBubble
    color: message.deleted ? "transparent" : mine ? Theme.bubbleOutgoing : Theme.bubbleIncoming
    border.width: message.deleted || message.current ? 1 : 0
    border.color: message.current ? Theme.accent : Theme.divider

    // The corner towards the sender is tighter inside a group.
    Rectangle {
        visible: !bubble.message.firstInGroup && !bubble.message.deleted
        width: bubble.radius
        height: bubble.radius
        color: bubble.color
        anchors.top: parent.top
        anchors.left: bubble.mine ? undefined : parent.left
        anchors.right: bubble.mine ? parent.right : undefined
        radius: 4
    }

    ColumnLayout {
        id: content
        x: bubble.padding
        y: bubble.padding - 2
        width: bubble.width - 2 * bubble.padding
        spacing: Theme.spacingXs

        ReplyQuote {
            visible: bubble.message.replyToText.length > 0 && !bubble.message.deleted
            text: bubble.message.replyToText
            onAccent: bubble.mine
            maximumWidth: bubble.innerMax
        }
        PlainLabel {
            objectName: "body"
            Layout.preferredWidth: Math.min(implicitWidth, bubble.innerMax)
            Layout.fillWidth: true
            visible: !bubble.message.deleted && !bubble.message.covered
                     && bubble.message.contentType !== "file"
            text: visible ? bubble.message.text : ""
            color: bubble.mine ? Theme.bubbleOutgoingText : Theme.bubbleIncomingText
            wrapMode: Text.Wrap
            lineHeight: 1.15
        }
        Label {
            visible: bubble.message.deleted
            text: qsTr("This message was deleted")
            color: Theme.textTertiary
            font.italic: true
        }
        BurnCover {
            objectName: "burnCover"
            visible: bubble.message.covered
            onAccent: bubble.mine
            onClicked: bubble.revealRequested()
        }
        FileAttachment {
            visible: bubble.message.contentType === "file" && !bubble.message.deleted
                     && !bubble.message.covered
            fileName: bubble.message.fileName
            fileSize: bubble.message.fileSize
            downloaded: bubble.message.downloaded
            transfer: bubble.message.transfer
            onAccent: bubble.mine
            onDownloadRequested: bubble.downloadRequested()
            onSaveRequested: bubble.saveRequested()
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            spacing: Theme.spacingXs

            Label {
                visible: bubble.message.edited && !bubble.message.deleted
                text: qsTr("edited")
                color: bubble.meta
                font.pixelSize: Theme.fontSmall
                font.italic: true
            }
            Icon {
                visible: bubble.message.remainingLabel.length > 0
                Layout.preferredWidth: 11
                Layout.preferredHeight: 11
                name: bubble.message.burnOnRead ? "flame" : "clock"
                color: bubble.meta
            }
            Label {
                objectName: "countdown"
                visible: bubble.message.remainingLabel.length > 0
                text: bubble.message.remainingLabel
                color: bubble.meta
                font.pixelSize: Theme.fontSmall
                Accessible.name: qsTr("Disappears in %1").arg(text)
            }
            Label {
                text: bubble.message.timeLabel
                color: bubble.meta
                font.pixelSize: Theme.fontSmall
            }
            ReadTicks {
                visible: bubble.mine && !bubble.message.deleted
                readState: bubble.message.readState
                baseColor: bubble.meta
                seenColor: "#ffffff"
            }
        }
    }

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: eventPoint => bubble.menuRequested(eventPoint.position.x, eventPoint.position.y)
    }
    TapHandler {
        acceptedDevices: PointerDevice.TouchScreen
        onLongPressed: bubble.menuRequested(point.position.x, point.position.y)
    }
}
