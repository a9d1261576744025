// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// A short message at the bottom of the chat that fades out by itself.
Popup {
    id: toast

    property string text

    function show(message) {
        text = message;
        open();
        timer.restart();
    }

    x: (parent.width - width) / 2
    y: parent.height - height - 96
    padding: Theme.spacingM
    closePolicy: Popup.CloseOnEscape
    background: Rectangle {
        radius: Theme.radiusM
        color: Theme.dark ? "#eceef1" : "#1f2126"
    }
    contentItem: Label {
        text: toast.text
        textFormat: Text.PlainText
        color: Theme.dark ? "#17181b" : "#ffffff"
        wrapMode: Text.Wrap
    }
    Timer {
        id: timer
        interval: 3500
        onTriggered: toast.close()
    }
}
