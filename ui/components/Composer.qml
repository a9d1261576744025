// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Cinder

// Writing a message: Enter (or Ctrl+Enter) sends, Shift+Enter starts a new line; attach files;
// pick the conversation's timers. Disabled, with the reason, while the conversation cannot send
// (policy not acknowledged, identity change not accepted, no longer a member).
// `controller` is a ConversationController (tests pass a stand-in with the same members).
Rectangle {
    id: composer

    required property QtObject controller
    property var timerChoices: []
    property string replyToId
    property string replyToText
    property string editingId
    readonly property bool canSend: controller ? controller.canSend : false
    property alias text: input.text
    property alias input: input

    function focusInput() {
        input.forceActiveFocus();
    }
    function startReply(messageId, text) {
        editingId = "";
        replyToId = messageId;
        replyToText = text;
        focusInput();
    }
    function startEdit(messageId, text) {
        replyToId = "";
        replyToText = "";
        editingId = messageId;
        input.text = text;
        input.cursorPosition = input.length;
        focusInput();
    }
    function cancelContext() {
        if (editingId.length > 0)
            input.clear();
        editingId = "";
        replyToId = "";
        replyToText = "";
    }
    function submit() {
        if (!canSend || input.text.trim().length === 0)
            return false;
        if (editingId.length > 0) {
            controller.edit(editingId, input.text);
        } else if (!controller.send(input.text, replyToId)) {
            return false;
        }
        input.clear();
        editingId = "";
        replyToId = "";
        replyToText = "";
        return true;
    }

    implicitHeight: layout.implicitHeight + 2 * Theme.spacingM
    color: Theme.window

    Rectangle {
        width: parent.width
        height: 1
        color: Theme.divider
    }

    ColumnLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.spacingM
        anchors.leftMargin: Theme.spacingL
        anchors.rightMargin: Theme.spacingL
        spacing: Theme.spacingS

        RowLayout {
            objectName: "blockedNotice"
            Layout.fillWidth: true
            visible: !composer.canSend && composer.controller !== null
            spacing: Theme.spacingS
            Icon {
                Layout.preferredWidth: 16
                Layout.preferredHeight: 16
                name: "lock"
                color: Theme.danger
            }
            PlainLabel {
                objectName: "blockedReason"
                Layout.fillWidth: true
                text: composer.controller ? composer.controller.blockedReason : ""
                color: Theme.danger
                font.pixelSize: Theme.fontCaption + 1
                wrapMode: Text.Wrap
            }
        }
        ComposerContextBar {
            Layout.fillWidth: true
            visible: composer.replyToId.length > 0 || composer.editingId.length > 0
            iconName: composer.editingId.length > 0 ? "edit" : "reply"
            title: composer.editingId.length > 0 ? qsTr("Editing message") : qsTr("Replying to")
            quote: composer.editingId.length > 0 ? "" : composer.replyToText
            onCancelled: composer.cancelContext()
        }
        ProgressBar {
            objectName: "uploadProgress"
            Layout.fillWidth: true
            visible: composer.controller ? composer.controller.uploadProgress >= 0 : false
            value: composer.controller ? Math.max(0, composer.controller.uploadProgress) : 0
            Accessible.name: qsTr("Upload progress")
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingXs

            IconButton {
                objectName: "attachButton"
                Layout.alignment: Qt.AlignBottom
                Layout.bottomMargin: 3
                iconName: "attach"
                tip: qsTr("Attach files")
                enabled: composer.canSend
                onClicked: fileDialog.open()
            }
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: Math.min(160, Math.max(42, input.implicitHeight))
                radius: 21
                color: Theme.field
                border.width: input.activeFocus ? 2 : 0
                border.color: Theme.accent

                ScrollView {
                    anchors.fill: parent
                    anchors.leftMargin: 4
                    anchors.rightMargin: 4

                    TextArea {
                        id: input
                        objectName: "composerInput"
                        enabled: composer.canSend
                        wrapMode: TextEdit.Wrap
                        textFormat: TextEdit.PlainText
                        selectByMouse: true
                        color: Theme.text
                        placeholderText: composer.canSend ? qsTr("Message")
                                         : composer.controller ? composer.controller.blockedReason : ""
                        placeholderTextColor: Theme.textTertiary
                        font.pixelSize: Theme.fontBody
                        topPadding: 11
                        bottomPadding: 11
                        leftPadding: Theme.spacingM
                        rightPadding: Theme.spacingM
                        background: null
                        Accessible.name: qsTr("Message")

                        Keys.onPressed: event => {
                            const enter = event.key === Qt.Key_Return || event.key === Qt.Key_Enter;
                            if (enter && (event.modifiers & Qt.ShiftModifier)) {
                                input.insert(input.cursorPosition, "\n");
                                event.accepted = true;
                            } else if (enter) {
                                composer.submit();
                                event.accepted = true;
                            } else if (event.key === Qt.Key_Escape
                                       && (composer.replyToId.length > 0 || composer.editingId.length > 0)) {
                                composer.cancelContext();
                                event.accepted = true;
                            }
                        }
                    }
                }
            }
            TimerSelector {
                Layout.alignment: Qt.AlignBottom
                Layout.bottomMargin: 3
                enabled: composer.canSend
                choices: composer.timerChoices
                ttlSeconds: composer.controller ? composer.controller.ttlSeconds : 0
                burnOnRead: composer.controller ? composer.controller.burnOnRead : false
                burnSeconds: composer.controller ? composer.controller.burnSeconds : 0
                onTimersChosen: (ttl, burn, burnAfter) => composer.controller.setTimers(ttl, burn, burnAfter)
            }
            AbstractButton {
                id: sendButton
                objectName: "sendButton"
                Layout.alignment: Qt.AlignBottom
                implicitWidth: 42
                implicitHeight: 42
                enabled: composer.canSend && input.text.trim().length > 0
                focusPolicy: Qt.StrongFocus
                Accessible.role: Accessible.Button
                Accessible.name: composer.editingId.length > 0 ? qsTr("Save edit") : qsTr("Send")
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: qsTr("Send (Enter)")
                hoverEnabled: true
                onClicked: composer.submit()
                background: Rectangle {
                    radius: width / 2
                    color: sendButton.enabled ? (sendButton.down ? Theme.accentPressed : Theme.accent)
                                              : Theme.field
                    border.width: sendButton.visualFocus ? 2 : 0
                    border.color: Theme.text
                }
                contentItem: Item {
                    Icon {
                        anchors.centerIn: parent
                        anchors.horizontalCenterOffset: composer.editingId.length > 0 ? 0 : -1
                        width: 20
                        height: 20
                        name: composer.editingId.length > 0 ? "check" : "send"
                        color: sendButton.enabled ? Theme.textOnAccent : Theme.textTertiary
                    }
                }
            }
        }
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Attach files")
        fileMode: FileDialog.OpenFiles
        onAccepted: composer.controller.sendFiles(selectedFiles)
    }
}
