// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// One conversation in the list: avatar, title, plain-text preview, time, unread count, the
// timer new messages get, and a warning when the contact's key changed.
ItemDelegate {
    id: row

    required property int index
    required property string conversationId
    required property string title
    required property bool isRoom
    required property int unread
    required property var lastActivity
    required property string preview
    required property int ttlSeconds
    required property bool burnOnRead
    required property bool identityChanged
    property bool selected: false

    readonly property string timeLabel: {
        if (!lastActivity || isNaN(lastActivity.getTime()))
            return "";
        const today = new Date();
        return lastActivity.toDateString() === today.toDateString()
            ? lastActivity.toLocaleTimeString(Qt.locale(), Locale.ShortFormat)
            : lastActivity.toLocaleDateString(Qt.locale(), Locale.ShortFormat);
    }

    objectName: "conversation:" + title
    implicitHeight: 72
    leftPadding: Theme.spacingM
    rightPadding: Theme.spacingM
    hoverEnabled: true
    highlighted: ListView.isCurrentItem
    Accessible.name: identityChanged ? qsTr("%1, security key changed").arg(title)
                   : unread > 0 ? qsTr("%1, %n unread", "", unread).arg(title) : title

    background: Rectangle {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingS
        anchors.rightMargin: Theme.spacingS
        radius: Theme.radiusM
        color: row.selected ? Theme.selected
             : row.hovered || row.highlighted ? Theme.hover : "transparent"
        border.width: row.visualFocus || (row.highlighted && row.ListView.view.activeFocus) ? 2 : 0
        border.color: Theme.accent
    }

    contentItem: RowLayout {
        spacing: Theme.spacingM

        Avatar {
            Layout.leftMargin: Theme.spacingXs
            name: row.title
            room: row.isRoom
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 3

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingXs
                PlainLabel {
                    Layout.fillWidth: true
                    text: row.title
                    font.weight: row.unread > 0 ? Font.Bold : Font.DemiBold
                    elide: Text.ElideRight
                }
                Icon {
                    visible: row.identityChanged
                    Layout.preferredWidth: 16
                    Layout.preferredHeight: 16
                    name: "warning"
                    color: Theme.danger
                }
                Label {
                    text: row.timeLabel
                    color: row.unread > 0 ? Theme.accent : Theme.textTertiary
                    font.pixelSize: Theme.fontSmall
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingXs
                PlainLabel {
                    Layout.fillWidth: true
                    text: row.identityChanged ? qsTr("Security key changed")
                        : row.preview.length > 0 ? row.preview.replace(/\s+/g, " ")
                        : qsTr("No messages")
                    color: row.identityChanged ? Theme.danger : Theme.textSecondary
                    font.pixelSize: Theme.fontCaption + 1
                    font.italic: row.preview.length === 0 && !row.identityChanged
                    elide: Text.ElideRight
                    maximumLineCount: 1
                }
                TimerHint {
                    ttlSeconds: row.ttlSeconds
                    burnOnRead: row.burnOnRead
                }
                UnreadBadge { count: row.unread }
            }
        }
    }
}
