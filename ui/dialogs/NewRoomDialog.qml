// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// Create a room: a title and its first members. You become its manager.
AppDialog {
    id: dialog

    required property ContactsController contacts
    property bool submitted: false

    function submit() {
        if (!actionEnabled || contacts.busy)
            return;
        submitted = true;
        contacts.createRoom(titleField.text.trim(), members.text);
    }

    title: qsTr("New room")
    actionText: qsTr("Create room")
    actionEnabled: titleField.text.trim().length > 0
    busy: contacts.busy
    errorText: submitted ? contacts.lastError : ""

    onOpened: {
        submitted = false;
        titleField.text = "";
        members.text = "";
        titleField.focusField();
    }
    onActionTriggered: submit()

    Connections {
        target: dialog.contacts
        function onConversationOpened() {
            if (dialog.submitted)
                dialog.close();
        }
    }

    FormField {
        id: titleField
        objectName: "newRoomTitle"
        Layout.fillWidth: true
        label: qsTr("Room name")
        placeholderText: qsTr("e.g. Weekend trip")
        onAccepted: members.focusField()
    }
    FormField {
        id: members
        objectName: "newRoomMembers"
        Layout.fillWidth: true
        label: qsTr("Members")
        placeholderText: qsTr("alice, bob")
        hint: qsTr("Usernames separated by commas or spaces. You can add more later.")
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        onAccepted: dialog.submit()
    }
}
