// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// First start: create an account, or sign in with an existing one on this new device.
OnboardingCard {
    id: page

    signal createAccount()
    signal signIn()

    heading: qsTr("Welcome to Cinder")
    subheading: qsTr("End-to-end encrypted messages that burn. Every message expires, and nothing stays on a server.")

    AppButton {
        id: createButton
        objectName: "startCreateButton"
        Layout.fillWidth: true
        text: qsTr("Create account")
        focus: true
        onClicked: page.createAccount()
    }
    AppButton {
        objectName: "startSignInButton"
        Layout.fillWidth: true
        tone: "secondary"
        text: qsTr("Sign in on this device")
        onClicked: page.signIn()
    }
    Label {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacingS
        text: qsTr("Signing in on a new device does not copy your message history.")
        color: Theme.textTertiary
        font.pixelSize: Theme.fontCaption
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
    }

    Component.onCompleted: createButton.forceActiveFocus()
}
