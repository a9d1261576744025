// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The server an account lives on and the SHA-256 fingerprint of its certificate (pinned),
// prefilled from the command line. A prefilled server shows as one line with "Change", so the
// form's button stays in view on a short window.
ColumnLayout {
    id: fields

    readonly property bool complete: address.text.trim().length > 0
    property bool editing: true
    signal accepted()

    // Hands the values to AppController before creating or signing in.
    function apply() {
        const host = address.text.trim();
        const pin = fingerprint.text.trim();
        AppController.serverAddress = host;
        AppController.serverFingerprint = pin;
    }

    // Filled once: a binding would overwrite what the user typed whenever the server changes.
    Component.onCompleted: {
        address.text = AppController.serverAddress;
        fingerprint.text = AppController.serverFingerprint;
        fingerprint.input.cursorPosition = 0;
        editing = address.text.length === 0;
    }

    spacing: Theme.spacingL

    RowLayout {
        objectName: "serverSummary"
        Layout.fillWidth: true
        visible: !fields.editing
        spacing: Theme.spacingS
        Icon {
            Layout.preferredWidth: 16
            Layout.preferredHeight: 16
            name: "shield"
            color: Theme.textSecondary
        }
        PlainLabel {
            Layout.fillWidth: true
            text: fingerprint.text.trim().length > 0
                  ? qsTr("Server %1, certificate pinned").arg(address.text.trim())
                  : qsTr("Server %1").arg(address.text.trim())
            color: Theme.textSecondary
            font.pixelSize: Theme.fontCaption
            elide: Text.ElideMiddle
        }
        AppButton {
            objectName: "changeServerButton"
            tone: "secondary"
            text: qsTr("Change")
            Accessible.name: qsTr("Change server")
            onClicked: {
                fields.editing = true;
                address.focusField();
            }
        }
    }
    FormField {
        id: address
        visible: fields.editing
        Layout.fillWidth: true
        label: qsTr("Server")
        placeholderText: qsTr("host:port")
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhUrlCharactersOnly
        onAccepted: fields.accepted()
    }
    FormField {
        id: fingerprint
        visible: fields.editing
        Layout.fillWidth: true
        label: qsTr("Server certificate fingerprint")
        placeholderText: qsTr("SHA-256, hex")
        input.font.family: "monospace"
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        onAccepted: fields.accepted()
    }
}
