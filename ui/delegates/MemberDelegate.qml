// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// One room member: name, a manager badge, and for managers the actions on other members.
ItemDelegate {
    id: row

    required property string username
    required property bool manager
    required property bool self
    property bool canManage: false

    signal promoteRequested()
    signal removeRequested()

    objectName: "member:" + username
    implicitHeight: 60
    hoverEnabled: true
    Accessible.name: username + (manager ? ", " + qsTr("manager") : "") + (self ? ", " + qsTr("you") : "")
    background: Rectangle {
        radius: Theme.radiusM
        color: row.hovered || row.visualFocus ? Theme.hover : "transparent"
    }

    contentItem: RowLayout {
        spacing: Theme.spacingM
        Avatar {
            size: 36
            name: row.username
        }
        PlainLabel {
            Layout.fillWidth: true
            text: row.self ? qsTr("%1 (you)").arg(row.username) : row.username
            font.weight: Font.DemiBold
            elide: Text.ElideRight
        }
        Rectangle {
            objectName: "managerBadge"
            visible: row.manager
            implicitWidth: badge.implicitWidth + 16
            implicitHeight: 22
            radius: 11
            color: Theme.accentSoft
            Label {
                id: badge
                anchors.centerIn: parent
                text: qsTr("Manager")
                color: Theme.accent
                font.pixelSize: Theme.fontSmall
                font.weight: Font.DemiBold
            }
        }
        IconButton {
            objectName: "promoteButton"
            visible: row.canManage && !row.self && !row.manager
            iconName: "star"
            tip: qsTr("Make %1 a manager").arg(row.username)
            onClicked: row.promoteRequested()
        }
        IconButton {
            objectName: "removeButton"
            visible: row.canManage && !row.self
            iconName: "trash"
            iconColor: Theme.danger
            tip: qsTr("Remove %1 from the room").arg(row.username)
            onClicked: row.removeRequested()
        }
    }
}
