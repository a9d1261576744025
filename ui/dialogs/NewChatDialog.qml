// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Start a 1:1 chat with a user by name; their key is pinned on first contact.
AppDialog {
    id: dialog

    required property ContactsController contacts
    property bool submitted: false

    function submit() {
        if (!actionEnabled || contacts.busy)
            return;
        submitted = true;
        contacts.startChat(username.text.trim());
    }

    title: qsTr("New chat")
    actionText: qsTr("Start chat")
    actionEnabled: username.text.trim().length > 0
    busy: contacts.busy
    errorText: submitted ? contacts.lastError : ""

    onOpened: {
        submitted = false;
        username.text = "";
        username.focusField();
    }
    onActionTriggered: submit()

    Connections {
        target: dialog.contacts
        function onConversationOpened() {
            if (dialog.submitted)
                dialog.close();
        }
    }

    Label {
        Layout.fillWidth: true
        text: qsTr("Enter the username of the person you want to talk to.")
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
    FormField {
        id: username
        objectName: "newChatUsername"
        Layout.fillWidth: true
        label: qsTr("Username")
        placeholderText: qsTr("e.g. bob")
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        onAccepted: dialog.submit()
    }
}
