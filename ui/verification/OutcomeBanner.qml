// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The state of the verification: verified, a code that does not match, or a picture without a
// readable code.
Rectangle {
    id: banner

    property int outcome: VerificationController.None
    property bool verified: false
    property string username

    readonly property bool failed: outcome === VerificationController.Mismatch
                                   || outcome === VerificationController.Unreadable

    visible: verified || failed
    implicitHeight: row.implicitHeight + 2 * Theme.spacingL
    radius: Theme.radiusL
    color: failed ? Theme.dangerSoft : Theme.successSoft
    Accessible.role: Accessible.AlertMessage
    Accessible.name: title.text + ". " + body.text

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM
        Icon {
            Layout.preferredWidth: 28
            Layout.preferredHeight: 28
            name: banner.failed ? "warning" : "shield"
            color: banner.failed ? Theme.danger : Theme.success
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                id: title
                Layout.fillWidth: true
                text: banner.outcome === VerificationController.Mismatch ? qsTr("The codes do not match")
                    : banner.outcome === VerificationController.Unreadable ? qsTr("No code found in that picture")
                    : qsTr("Verified")
                color: banner.failed ? Theme.danger : Theme.success
                font.weight: Font.Bold
                font.pixelSize: Theme.fontLarge
            }
            Label {
                id: body
                Layout.fillWidth: true
                textFormat: Text.PlainText
                text: banner.outcome === VerificationController.Mismatch
                      ? qsTr("That code is not %1's current key. Nothing was changed. Do not trust this conversation until you find out why.").arg(banner.username)
                    : banner.outcome === VerificationController.Unreadable
                      ? qsTr("Try a sharper picture with the whole code in it.")
                      : qsTr("You have verified %1's security key. You will be warned if it changes.").arg(banner.username)
                color: Theme.textSecondary
                wrapMode: Text.Wrap
            }
        }
    }
}
