// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Cinder

// The read state of an outgoing message: one tick when sent, two when delivered and read on
// this side, two in the accent colour once a recipient has seen it.
Icon {
    id: ticks

    property string readState: "unread"
    property color baseColor: Theme.textTertiary
    property color seenColor: Theme.accent

    width: 14
    height: 14
    strokeWidth: 2.4
    name: readState === "unread" ? "check" : "checks"
    color: readState === "seen" ? seenColor : baseColor
    Accessible.ignored: false
    Accessible.role: Accessible.StaticText
    Accessible.name: readState === "seen" ? qsTr("Seen")
                   : readState === "read" ? qsTr("Delivered") : qsTr("Sent")
}
