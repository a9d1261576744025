// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// Welcome -> create an account or sign in. When the account exists, AppController moves on to
// the ephemerality policy and Main.qml replaces this flow.
StackView {
    id: flow

    function back() {
        AppController.clearError();
        if (depth > 1)
            pop();
    }

    initialItem: WelcomePage {
        onCreateAccount: flow.push(createPage)
        onSignIn: flow.push(signInPage)
    }

    Component {
        id: createPage
        CreateAccountPage { onBack: flow.back() }
    }
    Component {
        id: signInPage
        SignInPage { onBack: flow.back() }
    }

    Shortcut {
        sequence: StandardKey.Cancel
        enabled: flow.depth > 1
        onActivated: flow.back()
    }
}
