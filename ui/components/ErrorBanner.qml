// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// An inline error message with an optional dismiss button. The text may come from the network,
// so it is plain text.
Rectangle {
    id: banner

    property string text
    property bool dismissable: true

    signal dismissed()

    visible: text.length > 0
    implicitHeight: row.implicitHeight + 2 * Theme.spacingS
    radius: Theme.radiusM
    color: Theme.dangerSoft
    Accessible.role: Accessible.AlertMessage
    Accessible.name: text

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingM
        anchors.rightMargin: Theme.spacingXs
        spacing: Theme.spacingS

        Icon {
            Layout.preferredWidth: 18
            Layout.preferredHeight: 18
            name: "warning"
            color: Theme.danger
        }
        PlainLabel {
            Layout.fillWidth: true
            text: banner.text
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        IconButton {
            visible: banner.dismissable
            size: 30
            iconName: "close"
            iconColor: Theme.danger
            tip: qsTr("Dismiss")
            onClicked: banner.dismissed()
        }
    }
}
