// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Cinder

// The state of an outgoing message: a clock while it waits in this device's outbox (offline,
// or held back by a contact's changed key), one tick once the server has it, two ticks in the
// accent colour once a recipient has seen it, a warning when sending was given up.
Icon {
    id: ticks

    property string readState: "read"
    property color baseColor: Theme.textTertiary
    property color seenColor: Theme.accent

    width: 14
    height: 14
    strokeWidth: readState === "sending" || readState === "failed" ? 2 : 2.4
    name: readState === "sending" ? "clock"
        : readState === "failed" ? "warning"
        : readState === "seen" ? "checks" : "check"
    color: readState === "seen" ? seenColor
         : readState === "failed" ? Theme.danger : baseColor
    Accessible.ignored: false
    Accessible.role: Accessible.StaticText
    Accessible.name: readState === "seen" ? qsTr("Seen")
                   : readState === "sending" ? qsTr("Waiting to be sent")
                   : readState === "failed" ? qsTr("Not sent") : qsTr("Sent")
}
