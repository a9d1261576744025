// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The members of a room. Managers add, remove, promote and rename; everyone can leave.
Page {
    id: page

    required property string conversationId

    signal back()
    signal leftRoom()

    background: Rectangle { color: Theme.window }

    RoomMemberModel {
        id: members
        objectName: "roomMembers"
        host: AppController.host
        conversationId: page.conversationId
    }

    header: PageHeader {
        title: members.title.length > 0 ? members.title : qsTr("Room")
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

            ErrorBanner {
                Layout.fillWidth: true
                text: members.lastError
                dismissable: false
            }

            SectionCard {
                Layout.fillWidth: true
                title: qsTr("Room name")
                visible: members.canManage
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacingS
                    FormField {
                        id: renameField
                        Layout.fillWidth: true
                        text: members.title
                        onAccepted: members.rename(text.trim())
                    }
                    AppButton {
                        Layout.alignment: Qt.AlignBottom
                        tone: "secondary"
                        text: qsTr("Rename")
                        enabled: renameField.text.trim().length > 0 && renameField.text.trim() !== members.title
                        onClicked: members.rename(renameField.text.trim())
                    }
                }
            }

            SectionCard {
                Layout.fillWidth: true
                title: qsTr("%n member(s)", "", memberList.count)

                RowLayout {
                    Layout.fillWidth: true
                    visible: members.canManage
                    spacing: Theme.spacingS
                    FormField {
                        id: addField
                        objectName: "addMemberField"
                        Layout.fillWidth: true
                        placeholderText: qsTr("Add a member by username")
                        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                        onAccepted: addButton.clicked()
                    }
                    AppButton {
                        id: addButton
                        objectName: "addMemberButton"
                        text: qsTr("Add")
                        enabled: addField.text.trim().length > 0
                        onClicked: {
                            members.addMember(addField.text.trim());
                            addField.text = "";
                        }
                    }
                }
                Repeater {
                    id: memberList
                    model: members
                    delegate: MemberDelegate {
                        Layout.fillWidth: true
                        canManage: members.canManage
                        onPromoteRequested: members.promote(username)
                        onRemoveRequested: members.removeMember(username)
                    }
                }
                Label {
                    objectName: "managersOnlyNote"
                    Layout.fillWidth: true
                    visible: !members.canManage
                    text: qsTr("Only managers can change who is in this room.")
                    color: Theme.textTertiary
                    font.pixelSize: Theme.fontCaption
                    wrapMode: Text.Wrap
                }
            }

            AppButton {
                objectName: "leaveRoomButton"
                tone: "danger"
                visible: members.isMember
                text: qsTr("Leave room")
                onClicked: {
                    members.leave();
                    page.leftRoom();
                }
            }
        }
    }
}
