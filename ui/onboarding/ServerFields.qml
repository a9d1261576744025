// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The server an account lives on and the SHA-256 fingerprint of its certificate (pinned),
// prefilled from the command line.
ColumnLayout {
    id: fields

    readonly property bool complete: address.text.trim().length > 0
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
    }

    spacing: Theme.spacingL

    FormField {
        id: address
        Layout.fillWidth: true
        label: qsTr("Server")
        placeholderText: qsTr("host:port")
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhUrlCharactersOnly
        onAccepted: fields.accepted()
    }
    FormField {
        id: fingerprint
        Layout.fillWidth: true
        label: qsTr("Server certificate fingerprint")
        placeholderText: qsTr("SHA-256, hex")
        input.font.family: "monospace"
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        onAccepted: fields.accepted()
    }
}
