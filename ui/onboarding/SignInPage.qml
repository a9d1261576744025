// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// An existing account on this new device: its keys come back from the recovery bundle the
// passphrase opens. History is not copied.
OnboardingCard {
    id: page

    readonly property bool ready: usernameField.text.trim().length > 0
                                  && passphraseField.text.length > 0
                                  && serverFields.complete && !AppController.busy

    heading: qsTr("Sign in on this device")
    subheading: qsTr("This device becomes one of your account's devices. Messages sent before now are not copied here.")
    showBack: true

    function submit() {
        if (!ready)
            return;
        serverFields.apply();
        AppController.signIn(usernameField.text.trim(), passphraseField.text);
    }

    FormField {
        id: usernameField
        objectName: "signInUsername"
        Layout.fillWidth: true
        label: qsTr("Username")
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        onAccepted: passphraseField.focusField()
    }
    FormField {
        id: passphraseField
        objectName: "signInPassphrase"
        Layout.fillWidth: true
        label: qsTr("Passphrase")
        echoMode: TextInput.Password
        onAccepted: page.submit()
    }
    ServerFields {
        id: serverFields
        Layout.fillWidth: true
        onAccepted: page.submit()
    }
    ErrorBanner {
        Layout.fillWidth: true
        text: AppController.errorText
        onDismissed: AppController.clearError()
    }
    AppButton {
        objectName: "signInButton"
        Layout.fillWidth: true
        text: AppController.busy ? qsTr("Signing in…") : qsTr("Sign in")
        enabled: page.ready
        onClicked: page.submit()
    }
    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        running: AppController.busy
        visible: running
    }

    Component.onCompleted: usernameField.focusField()
}
