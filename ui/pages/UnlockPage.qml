// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Later starts (and after Lock): the passphrase opens this device's keys.
OnboardingCard {
    id: page

    function submit() {
        if (passphraseField.text.length === 0 || AppController.busy)
            return;
        AppController.unlock(passphraseField.text);
        passphraseField.text = "";
    }

    heading: AppController.username.length > 0 ? qsTr("Welcome back, %1").arg(AppController.username)
                                               : qsTr("Welcome back")
    subheading: qsTr("Enter your passphrase to unlock Cinder.")

    FormField {
        id: passphraseField
        objectName: "unlockPassphrase"
        Layout.fillWidth: true
        label: qsTr("Passphrase")
        echoMode: TextInput.Password
        onAccepted: page.submit()
    }
    ErrorBanner {
        objectName: "unlockError"
        Layout.fillWidth: true
        text: AppController.errorText
        onDismissed: AppController.clearError()
    }
    AppButton {
        objectName: "unlockButton"
        Layout.fillWidth: true
        text: AppController.busy ? qsTr("Unlocking…") : qsTr("Unlock")
        enabled: passphraseField.text.length > 0 && !AppController.busy
        onClicked: page.submit()
    }
    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        running: AppController.busy
        visible: running
    }

    Component.onCompleted: passphraseField.focusField()
}
