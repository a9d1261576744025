// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The actions on one message: react, reply, copy, and for your own text messages edit and
// delete.
Menu {
    id: menu

    property string messageId
    property string text
    property bool outgoing: false
    property bool deleted: false
    property bool isText: true
    property var emojis: ["👍", "❤️", "😂", "😮", "😢", "🔥"]

    width: 300

    signal replyRequested()
    signal reactRequested(string emoji)
    signal editRequested()
    signal deleteRequested()
    signal copyRequested()

    function openFor(item, x, y, message) {
        messageId = message.messageId;
        text = message.text;
        outgoing = message.outgoing;
        deleted = message.deleted;
        isText = message.contentType === "text";
        popup(item, x, y);
    }

    MenuItem {
        enabled: !menu.deleted
        height: enabled ? implicitHeight : 0
        contentItem: RowLayout {
            spacing: 2
            Repeater {
                model: menu.emojis
                ToolButton {
                    required property string modelData
                    text: modelData
                    font.pixelSize: 18
                    Accessible.name: qsTr("React with %1").arg(modelData)
                    onClicked: {
                        menu.reactRequested(modelData);
                        menu.close();
                    }
                }
            }
        }
        background: Item {}
    }
    MenuSeparator {}
    MenuItem {
        text: qsTr("Reply")
        enabled: !menu.deleted
        onTriggered: menu.replyRequested()
    }
    MenuItem {
        text: qsTr("Copy text")
        enabled: !menu.deleted && menu.isText
        onTriggered: menu.copyRequested()
    }
    MenuItem {
        text: qsTr("Edit")
        visible: menu.outgoing && menu.isText && !menu.deleted
        height: visible ? implicitHeight : 0
        onTriggered: menu.editRequested()
    }
    MenuItem {
        text: qsTr("Delete for everyone")
        visible: menu.outgoing && !menu.deleted
        height: visible ? implicitHeight : 0
        onTriggered: menu.deleteRequested()
    }
}
