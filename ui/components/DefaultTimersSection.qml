// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The timers new conversations start with (SettingsController's defaults).
SectionCard {
    id: section

    required property SettingsController settings
    property var choices: []

    title: qsTr("Disappearing messages")

    SettingRow {
        Layout.fillWidth: true
        label: qsTr("Default timer")
        description: qsTr("New conversations start with this. You can change it in each conversation.")
        ComboBox {
            id: ttlBox
            implicitWidth: 160
            model: section.choices
            textRole: "label"
            valueRole: "seconds"
            Accessible.name: qsTr("Default timer")
            Component.onCompleted: currentIndex = indexOfValue(section.settings.defaultTtlSeconds)
            Connections {
                target: section.settings
                function onDefaultsChanged() {
                    ttlBox.currentIndex = ttlBox.indexOfValue(section.settings.defaultTtlSeconds);
                }
            }
            onActivated: section.settings.setDefaultTimers(currentValue, section.settings.defaultBurnOnRead,
                                                           section.settings.defaultBurnSeconds)
        }
    }
    SettingRow {
        Layout.fillWidth: true
        label: qsTr("Burn after reading")
        description: qsTr("Messages are hidden until opened, then burn shortly after.")
        Switch {
            checked: section.settings.defaultBurnOnRead
            Accessible.name: qsTr("Burn after reading by default")
            onToggled: section.settings.setDefaultTimers(section.settings.defaultTtlSeconds, checked,
                                                         section.settings.defaultBurnSeconds)
        }
    }
}
