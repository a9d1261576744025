// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// The window: follows AppController.state through onboarding, unlock, the ephemerality policy
// and the conversations.
ApplicationWindow {
    id: window

    width: 1120
    height: 740
    minimumWidth: 760
    minimumHeight: 500
    visible: true
    title: qsTr("Cinder")
    color: Theme.window

    Material.theme: Theme.dark ? Material.Dark : Material.Light
    Material.accent: Theme.accent
    Material.primary: Theme.accent
    Material.background: Theme.window
    Material.foreground: Theme.text
    font.pixelSize: Theme.fontBody

    SettingsController {
        id: appSettings
        host: AppController.host
    }
    Binding {
        target: Theme
        property: "dark"
        value: appSettings.darkMode
    }

    Loader {
        id: screen
        anchors.fill: parent
        focus: true
        sourceComponent: {
            switch (AppController.state) {
            case AppController.Locked:
                return unlockScreen;
            case AppController.PolicyPending:
                return policyScreen;
            case AppController.Ready:
                return mainScreen;
            default:
                return onboardingScreen;
            }
        }
    }

    Component {
        id: onboardingScreen
        OnboardingFlow {}
    }
    Component {
        id: unlockScreen
        UnlockPage {}
    }
    Component {
        id: policyScreen
        EphemeralityPolicyPage {}
    }
    Component {
        id: mainScreen
        MainPage { settings: appSettings }
    }
}
