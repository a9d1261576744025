// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Settings: theme, notifications, default timers, devices, the server, and locking.
Page {
    id: page
    objectName: "settingsPage"

    required property SettingsController settings

    signal back()
    signal devicesRequested()

    background: Rectangle { color: Theme.window }

    header: PageHeader {
        title: qsTr("Settings")
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

            SectionCard {
                Layout.fillWidth: true
                title: qsTr("Appearance")
                SettingRow {
                    Layout.fillWidth: true
                    label: qsTr("Theme")
                    ThemeChoice {
                        settings: page.settings
                    }
                }
            }
            SectionCard {
                Layout.fillWidth: true
                title: qsTr("Notifications")
                SettingRow {
                    Layout.fillWidth: true
                    label: qsTr("Show notifications")
                    description: qsTr("When a message arrives while Cinder is in the background.")
                    Switch {
                        checked: page.settings.notifications
                        Accessible.name: qsTr("Show notifications")
                        onToggled: page.settings.notifications = checked
                    }
                }
                SettingRow {
                    Layout.fillWidth: true
                    label: qsTr("Show message text")
                    description: qsTr("Off: notifications only say who wrote. The text never leaves Cinder.")
                    Switch {
                        checked: page.settings.notificationPreviews
                        enabled: page.settings.notifications
                        Accessible.name: qsTr("Show message text in notifications")
                        onToggled: page.settings.notificationPreviews = checked
                    }
                }
            }
            DefaultTimersSection {
                Layout.fillWidth: true
                settings: page.settings
                choices: page.settings.timerChoices()
            }
            SectionCard {
                Layout.fillWidth: true
                title: qsTr("Account")
                SettingRow {
                    Layout.fillWidth: true
                    label: qsTr("Devices")
                    description: qsTr("See and remove the devices signed in to your account.")
                    AppButton {
                        tone: "secondary"
                        text: qsTr("Manage")
                        Accessible.name: qsTr("Manage devices")
                        onClicked: page.devicesRequested()
                    }
                }
                SettingRow {
                    Layout.fillWidth: true
                    label: qsTr("Lock Cinder")
                    description: qsTr("Signs out of this session and removes the keys from memory. Your passphrase unlocks it again.")
                    AppButton {
                        objectName: "lockButton"
                        tone: "danger"
                        text: qsTr("Lock")
                        Accessible.name: qsTr("Lock Cinder")
                        onClicked: AppController.lock()
                    }
                }
            }
            SectionCard {
                Layout.fillWidth: true
                title: qsTr("Server")
                FormField {
                    Layout.fillWidth: true
                    label: qsTr("Address")
                    text: AppController.serverAddress
                    readOnly: true
                }
                FormField {
                    Layout.fillWidth: true
                    label: qsTr("Certificate fingerprint (SHA-256)")
                    text: AppController.serverFingerprint
                    readOnly: true
                    input.font.family: "monospace"
                    input.font.pixelSize: Theme.fontCaption
                    visible: text.length > 0
                }
            }
        }
    }
}
