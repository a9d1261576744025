// SPDX-License-Identifier: Apache-2.0
pragma Singleton
import QtQuick

// Colours, spacing, radii and type sizes of the light and dark themes. Main.qml sets `dark`
// from SettingsController.darkMode; everything else binds to these names.
QtObject {
    id: theme

    property bool dark: false

    // Surfaces
    readonly property color window: dark ? "#121316" : "#ffffff"
    readonly property color sidebar: dark ? "#1a1b1f" : "#f6f6f8"
    readonly property color surface: dark ? "#1f2126" : "#ffffff"
    readonly property color raised: dark ? "#272a30" : "#ffffff"
    readonly property color field: dark ? "#2a2d33" : "#eef0f3"
    readonly property color hover: dark ? "#24262b" : "#eceef1"
    readonly property color selected: dark ? "#2e3139" : "#e3e6ea"
    readonly property color divider: dark ? "#2c2f35" : "#e4e6ea"
    readonly property color scrim: dark ? "#99000000" : "#66000000"

    // Text
    readonly property color text: dark ? "#eceef1" : "#17181b"
    readonly property color textSecondary: dark ? "#a3a7b0" : "#5e636d"
    readonly property color textTertiary: dark ? "#7b808a" : "#8a8f98"
    readonly property color textOnAccent: "#ffffff"

    // Brand: an ember orange
    readonly property color accent: dark ? "#ff7a45" : "#e8562a"
    readonly property color accentPressed: dark ? "#ff9166" : "#c9441c"
    readonly property color accentSoft: dark ? "#3a2a24" : "#fdebe4"

    // Bubbles
    readonly property color bubbleOutgoing: dark ? "#c9502a" : "#e8562a"
    readonly property color bubbleIncoming: dark ? "#2a2d33" : "#eff1f4"
    readonly property color bubbleOutgoingText: "#ffffff"
    readonly property color bubbleIncomingText: text
    readonly property color bubbleOutgoingMeta: "#ffe3d8"
    readonly property color quoteOutgoing: "#33ffffff"
    readonly property color quoteIncoming: dark ? "#353940" : "#e2e5ea"

    // States
    readonly property color danger: dark ? "#ff5c5c" : "#d92d20"
    readonly property color dangerSoft: dark ? "#3b1e1e" : "#fdecea"
    readonly property color success: dark ? "#4cc38a" : "#1f9d55"
    readonly property color successSoft: dark ? "#1d3328" : "#e6f6ec"
    readonly property color warning: dark ? "#f5b84a" : "#b7791f"
    readonly property color online: "#34c759"

    // Strength meter: score 0 (none) .. 4 (strong)
    readonly property var strengthColors: [divider, "#e5484d", "#f08c2e", "#e5b92e", success]
    function strengthColor(score) {
        return strengthColors[Math.max(0, Math.min(4, score))];
    }

    // Avatars: a colour per first letter
    readonly property var avatarColors: ["#e8562a", "#3a76f0", "#2e9f6e", "#9b51e0", "#d6336c",
                                         "#0f9fb0", "#c77d14", "#5c6ac4"]

    // Spacing (a 4 px grid)
    readonly property int spacingXs: 4
    readonly property int spacingS: 8
    readonly property int spacingM: 12
    readonly property int spacingL: 16
    readonly property int spacingXl: 24
    readonly property int spacingXxl: 32

    // Radii
    readonly property int radiusS: 6
    readonly property int radiusM: 10
    readonly property int radiusL: 16
    readonly property int radiusBubble: 18

    // Type
    readonly property int fontSmall: 11
    readonly property int fontCaption: 12
    readonly property int fontBody: 14
    readonly property int fontLarge: 16
    readonly property int fontTitle: 20
    readonly property int fontHeadline: 28

    // Layout
    readonly property int sidebarWidth: 320
    readonly property int headerHeight: 60
    readonly property int bubbleMaxWidth: 520
    readonly property int formWidth: 380
    readonly property int animationFast: 120
}
