// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Cinder

// Cinder's mark: an ember flame on an accent tile.
Rectangle {
    property int size: 64

    implicitWidth: size
    implicitHeight: size
    radius: size * 0.28
    gradient: Gradient {
        GradientStop { position: 0; color: "#ff8a50" }
        GradientStop { position: 1; color: "#d9431e" }
    }
    Accessible.ignored: true

    Icon {
        anchors.centerIn: parent
        width: parent.size * 0.56
        height: width
        name: "flame"
        color: "#ffffff"
        strokeWidth: 1.8
    }
}
