// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import Cinder

// A small clock (or flame, for burn-on-read) with the timer new messages of a conversation get.
RowLayout {
    id: hint

    property int ttlSeconds: 0
    property bool burnOnRead: false
    property color color: Theme.textTertiary

    // "30s", "5m", "1h", "1d", "1w": the largest whole unit.
    function shortDuration(seconds) {
        if (seconds <= 0)
            return "";
        if (seconds % 604800 === 0)
            return qsTr("%1w").arg(seconds / 604800);
        if (seconds >= 86400)
            return qsTr("%1d").arg(Math.round(seconds / 86400));
        if (seconds >= 3600)
            return qsTr("%1h").arg(Math.round(seconds / 3600));
        if (seconds >= 60)
            return qsTr("%1m").arg(Math.round(seconds / 60));
        return qsTr("%1s").arg(seconds);
    }

    readonly property string label: shortDuration(ttlSeconds)

    visible: label.length > 0 || burnOnRead
    spacing: 2
    Accessible.role: Accessible.StaticText
    Accessible.name: burnOnRead ? qsTr("Burn on read, expires after %1").arg(label)
                                : qsTr("Messages expire after %1").arg(label)

    Icon {
        Layout.preferredWidth: 12
        Layout.preferredHeight: 12
        name: hint.burnOnRead ? "flame" : "clock"
        color: hint.burnOnRead ? Theme.accent : hint.color
    }
    Label {
        text: hint.label
        visible: text.length > 0
        color: hint.color
        font.pixelSize: Theme.fontSmall
    }
}
