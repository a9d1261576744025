// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// The message a reply answers, quoted above it (plain text, two lines at most).
Rectangle {
    id: quote

    property string text
    property bool onAccent: false
    property real maximumWidth: 400

    implicitWidth: Math.min(maximumWidth, label.implicitWidth + 20)
    implicitHeight: label.implicitHeight + 12
    radius: Theme.radiusS
    color: onAccent ? Theme.quoteOutgoing : Theme.quoteIncoming
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("In reply to: %1").arg(text)

    Rectangle {
        width: 3
        height: parent.height
        radius: 1.5
        color: quote.onAccent ? "#ffffff" : Theme.accent
    }
    PlainLabel {
        id: label
        x: 12
        y: 6
        width: quote.width - 20
        text: quote.text
        color: quote.onAccent ? Theme.bubbleOutgoingText : Theme.textSecondary
        font.pixelSize: Theme.fontCaption + 1
        wrapMode: Text.Wrap
        maximumLineCount: 2
        elide: Text.ElideRight
    }
}
