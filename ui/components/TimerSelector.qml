// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The conversation's timers: how long new messages live (choices from
// ConversationController.timerChoices()) and whether they burn after reading.
AbstractButton {
    id: selector

    property var choices: []
    property int ttlSeconds: 0
    property bool burnOnRead: false
    property int burnSeconds: 0

    signal timersChosen(int ttlSeconds, bool burnOnRead, int burnSeconds)

    readonly property string currentLabel: {
        for (let i = 0; i < choices.length; ++i) {
            if (choices[i].seconds === ttlSeconds)
                return choices[i].label;
        }
        return hint.label;
    }

    implicitHeight: 36
    implicitWidth: row.implicitWidth + 20
    hoverEnabled: true
    focusPolicy: Qt.StrongFocus
    Accessible.role: Accessible.ButtonMenu
    Accessible.name: qsTr("Disappearing messages: %1%2").arg(currentLabel)
                     .arg(burnOnRead ? qsTr(", burn on read") : "")
    ToolTip.visible: hovered
    ToolTip.delay: 600
    ToolTip.text: qsTr("Disappearing messages")

    onClicked: menu.open()

    background: Rectangle {
        radius: height / 2
        color: selector.down || menu.visible ? Theme.selected
              : selector.hovered || selector.visualFocus ? Theme.hover : "transparent"
        border.width: selector.visualFocus ? 2 : 0
        border.color: Theme.accent
    }
    contentItem: Item {
        RowLayout {
            id: row
            anchors.centerIn: parent
            spacing: 4
            TimerHint {
                id: hint
                ttlSeconds: selector.ttlSeconds
                burnOnRead: selector.burnOnRead
                color: Theme.textSecondary
                visible: true
            }
        }
    }

    Menu {
        id: menu
        y: -height - 4
        title: qsTr("Disappearing messages")

        Instantiator {
            model: selector.choices
            delegate: MenuItem {
                required property var modelData
                text: modelData.label
                checkable: true
                checked: modelData.seconds === selector.ttlSeconds
                onTriggered: selector.timersChosen(modelData.seconds, selector.burnOnRead,
                                                   selector.burnSeconds)
            }
            onObjectAdded: (index, object) => menu.insertItem(index, object)
            onObjectRemoved: (index, object) => menu.removeItem(object)
        }
        MenuSeparator {}
        MenuItem {
            text: qsTr("Burn after reading")
            checkable: true
            checked: selector.burnOnRead
            onTriggered: selector.timersChosen(selector.ttlSeconds, !selector.burnOnRead,
                                               selector.burnSeconds)
        }
    }
}
