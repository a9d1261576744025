// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// This account's devices. Removing one stops it from receiving new messages.
Page {
    id: page

    signal back()

    background: Rectangle { color: Theme.window }

    DeviceListModel {
        id: devices
        host: AppController.host
    }
    Component.onCompleted: devices.reload()

    header: PageHeader {
        title: qsTr("Devices")
        onBack: page.back()
    }

    Flickable {
        anchors.fill: parent
        contentHeight: column.implicitHeight + 2 * Theme.spacingXl
        clip: true
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            x: Theme.spacingXl
            y: Theme.spacingXl
            width: Math.min(640, parent.width - 2 * Theme.spacingXl)
            spacing: Theme.spacingXl

            ErrorBanner {
                Layout.fillWidth: true
                text: devices.lastError
                dismissable: false
            }
            SectionCard {
                Layout.fillWidth: true
                title: qsTr("Your devices")
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Every device below can read new messages sent to you. Remove any you do not recognise.")
                    color: Theme.textSecondary
                    wrapMode: Text.Wrap
                }
                Repeater {
                    model: devices
                    delegate: DeviceDelegate {
                        Layout.fillWidth: true
                        onRemoveRequested: {
                            confirm.nodeId = nodeId;
                            confirm.shortId = shortId;
                            confirm.open();
                        }
                    }
                }
            }
        }
    }

    AppDialog {
        id: confirm
        property string nodeId
        property string shortId
        title: qsTr("Remove this device?")
        actionText: qsTr("Remove")
        onActionTriggered: {
            devices.remove(nodeId);
            close();
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("Device %1 will no longer receive your messages. To use it again, sign in on it anew.").arg(confirm.shortId)
            textFormat: Text.PlainText
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
    }
}
