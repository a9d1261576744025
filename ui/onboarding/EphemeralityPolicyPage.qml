// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The ephemerality policy, which must be acknowledged on this device before anything can be
// sent. AppController stores the acknowledgement; a reinstall asks again.
OnboardingCard {
    id: page

    heading: qsTr("Messages in Cinder burn")
    subheading: qsTr("Before you start, please read how Cinder treats what you send.")

    PolicyPoint {
        Layout.fillWidth: true
        iconName: "clock"
        title: qsTr("Every message expires")
        body: qsTr("Each conversation has a timer. When it runs out, the message is deleted from every device, yours included.")
    }
    PolicyPoint {
        Layout.fillWidth: true
        iconName: "flame"
        title: qsTr("Burn on read")
        body: qsTr("Messages can burn a short time after they are opened. Until then they stay hidden behind a cover.")
    }
    PolicyPoint {
        Layout.fillWidth: true
        iconName: "devices"
        title: qsTr("No history on new devices")
        body: qsTr("Signing in on another device does not bring old messages along. The server only relays encrypted packets.")
    }
    PolicyPoint {
        Layout.fillWidth: true
        iconName: "eye"
        title: qsTr("People can still copy what they see")
        body: qsTr("Cinder cannot stop screenshots or cameras. Only send what you would trust the other person with.")
    }

    CheckBox {
        id: understood
        objectName: "policyCheck"
        Layout.fillWidth: true
        text: qsTr("I understand that my messages expire")
        Accessible.name: text
        focus: true
    }
    ErrorBanner {
        Layout.fillWidth: true
        text: AppController.errorText
        onDismissed: AppController.clearError()
    }
    AppButton {
        objectName: "acknowledgeButton"
        Layout.fillWidth: true
        text: qsTr("Continue")
        enabled: understood.checked && !AppController.busy
        onClicked: AppController.acknowledgePolicy()
    }

    Component.onCompleted: understood.forceActiveFocus()
}
