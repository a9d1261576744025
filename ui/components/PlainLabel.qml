// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import Cinder

// A label for text that came from a user or the network: always plain text, never markup,
// never a link.
Label {
    textFormat: Text.PlainText
    color: Theme.text
    font.pixelSize: Theme.fontBody
}
