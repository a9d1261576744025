// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// A new account: username, a passphrase with its strength and a confirmation, and the server.
OnboardingCard {
    id: page

    readonly property bool matches: confirmField.text === passphraseField.text
    readonly property bool ready: usernameField.text.trim().length > 0 && strength.acceptable
                                  && matches && serverFields.complete
                                  && !AppController.busy

    heading: qsTr("Create your account")
    subheading: qsTr("Your passphrase unlocks the keys on this device. It cannot be recovered, so choose one you will remember.")
    showBack: true

    function submit() {
        if (!ready)
            return;
        serverFields.apply();
        AppController.createAccount(usernameField.text.trim(), passphraseField.text);
    }

    PassphraseStrength {
        id: strength
        passphrase: passphraseField.text
    }

    FormField {
        id: usernameField
        objectName: "usernameField"
        Layout.fillWidth: true
        label: qsTr("Username")
        placeholderText: qsTr("e.g. alice")
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        onAccepted: passphraseField.focusField()
    }
    ColumnLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingS
        FormField {
            id: passphraseField
            objectName: "passphraseField"
            Layout.fillWidth: true
            label: qsTr("Passphrase")
            echoMode: TextInput.Password
            placeholderText: qsTr("At least %n characters", "", 10)
            onAccepted: confirmField.focusField()
        }
        StrengthMeter {
            Layout.fillWidth: true
            score: strength.score
            label: passphraseField.text.length > 0 ? strength.label : ""
        }
    }
    FormField {
        id: confirmField
        objectName: "confirmField"
        Layout.fillWidth: true
        label: qsTr("Confirm passphrase")
        echoMode: TextInput.Password
        hint: text.length > 0 && !page.matches ? qsTr("The passphrases do not match.") : ""
        hintColor: Theme.danger
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
        objectName: "createButton"
        Layout.fillWidth: true
        text: AppController.busy ? qsTr("Creating account…") : qsTr("Create account")
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
