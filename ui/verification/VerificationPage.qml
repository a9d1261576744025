// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Verifying a contact's key: the outcome so far, comparing the safety code, and QR codes.
Page {
    id: page

    required property string username

    signal back()

    background: Rectangle { color: Theme.window }

    VerificationController {
        id: verifier
        objectName: "verifier"
        host: AppController.host
        username: page.username
    }

    header: PageHeader {
        title: qsTr("Verify %1").arg(page.username)
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

            OutcomeBanner {
                objectName: "outcomeBanner"
                Layout.fillWidth: true
                outcome: verifier.outcome
                verified: verifier.verified
                username: page.username
            }
            IdentityChangedBanner {
                Layout.fillWidth: true
                visible: verifier.identityChanged
                radius: Theme.radiusL
                username: page.username
                onAcceptRequested: verifier.acceptIdentityChange()
                showVerify: false
            }
            CompareDigitsStep {
                Layout.fillWidth: true
                verification: verifier
            }
            ScanQrStep {
                Layout.fillWidth: true
                verification: verifier
            }
        }
    }
}
