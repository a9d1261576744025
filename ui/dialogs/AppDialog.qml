// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtQuick.Templates as T
import Cinder

// A centred modal dialog with the app's look: a title, content, and a primary action. Esc
// closes it.
Dialog {
    id: dialog

    property string actionText
    property bool actionEnabled: true
    property bool busy: false
    property string errorText
    default property alias content: body.data

    signal actionTriggered()

    parent: T.Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(440, parent ? parent.width - 48 : 440)
    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    padding: Theme.spacingXl
    topPadding: Theme.spacingL

    T.Overlay.modal: Rectangle { color: Theme.scrim }

    background: Rectangle {
        radius: Theme.radiusL
        color: Theme.raised
        border.width: Theme.dark ? 1 : 0
        border.color: Theme.divider
    }

    header: Label {
        text: dialog.title
        color: Theme.text
        font.pixelSize: Theme.fontTitle
        font.weight: Font.DemiBold
        padding: Theme.spacingXl
        bottomPadding: 0
        Accessible.role: Accessible.Heading
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacingL

        ColumnLayout {
            id: body
            Layout.fillWidth: true
            spacing: Theme.spacingM
        }
        ErrorBanner {
            Layout.fillWidth: true
            text: dialog.errorText
            dismissable: false
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS
            BusyIndicator {
                running: dialog.busy
                visible: running
                implicitWidth: 32
                implicitHeight: 32
            }
            Item { Layout.fillWidth: true }
            AppButton {
                tone: "secondary"
                text: qsTr("Cancel")
                onClicked: dialog.close()
            }
            AppButton {
                objectName: "dialogAction"
                text: dialog.actionText
                enabled: dialog.actionEnabled && !dialog.busy
                onClicked: dialog.actionTriggered()
            }
        }
    }
}
