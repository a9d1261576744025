// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// The frame of every onboarding step: a centred column with the mark, a title, a subtitle and
// the step's content, scrolling when the window is short.
Page {
    id: card

    property string heading
    property string subheading
    property bool showBack: false
    default property alias content: body.data

    signal back()

    background: Rectangle { color: Theme.window }

    Flickable {
        id: flick
        anchors.fill: parent
        contentWidth: width
        contentHeight: Math.max(height, column.implicitHeight + 2 * Theme.spacingXxl)
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            width: Math.min(Theme.formWidth + 40, flick.width - 2 * Theme.spacingXl)
            anchors.horizontalCenter: parent.horizontalCenter
            y: Math.max(Theme.spacingXxl, (flick.contentHeight - implicitHeight) / 2)
            spacing: Theme.spacingL

            BrandMark {
                Layout.alignment: Qt.AlignHCenter
                Layout.bottomMargin: Theme.spacingS
            }
            Label {
                Layout.fillWidth: true
                text: card.heading
                textFormat: Text.PlainText
                color: Theme.text
                font.pixelSize: Theme.fontHeadline
                font.weight: Font.Bold
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                Accessible.role: Accessible.Heading
            }
            Label {
                Layout.fillWidth: true
                text: card.subheading
                visible: text.length > 0
                color: Theme.textSecondary
                font.pixelSize: Theme.fontBody + 1
                lineHeight: 1.2
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
            ColumnLayout {
                id: body
                Layout.fillWidth: true
                Layout.topMargin: Theme.spacingS
                spacing: Theme.spacingL
            }
        }
    }

    IconButton {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: Theme.spacingM
        visible: card.showBack
        iconName: "back"
        tip: qsTr("Back")
        onClicked: card.back()
    }
}
