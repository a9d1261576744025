// SPDX-License-Identifier: Apache-2.0
import QtQuick

// Puts plain text on the clipboard (QML has no clipboard API of its own).
TextEdit {
    visible: false
    textFormat: TextEdit.PlainText

    function copyText(value) {
        text = value;
        selectAll();
        copy();
        text = "";
    }
}
