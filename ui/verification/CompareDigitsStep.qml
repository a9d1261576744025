// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Compare the safety code with the contact (in person or on a call), then mark them verified.
SectionCard {
    id: step

    required property VerificationController verification

    title: qsTr("Compare the safety code")

    Label {
        Layout.fillWidth: true
        text: qsTr("Ask %1 to open this page too. If both of you see the same numbers, your conversation is private.").arg(step.verification.username)
        textFormat: Text.PlainText
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
    SafetyCodeGrid {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacingS
        Layout.bottomMargin: Theme.spacingS
        code: step.verification.safetyCode
    }
    Label {
        text: qsTr("Their key fingerprint")
        color: Theme.textSecondary
        font.pixelSize: Theme.fontCaption
        font.weight: Font.DemiBold
    }
    SafetyCodeGrid {
        Layout.fillWidth: true
        code: step.verification.fingerprint
        pixelSize: Theme.fontCaption + 1
        spacing: Theme.spacingS
    }
    AppButton {
        objectName: "markVerified"
        Layout.topMargin: Theme.spacingS
        visible: !step.verification.verified
        text: qsTr("Mark as verified")
        onClicked: step.verification.markVerified()
    }
}
