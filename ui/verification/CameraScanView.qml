// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtMultimedia
import Cinder

// The camera's picture while it looks for the contact's QR code, or a plain message when this
// computer has no camera. The camera runs only while the view is open and shown; QrFrameScanner
// reads the frames and stops once it has read a code.
ColumnLayout {
    id: view

    // Opened by the step; the step closes it again when a code is found.
    property bool open: false
    readonly property bool cameraAvailable: scanner.cameraAvailable
    // Frames are being read: open, shown, and no code found yet.
    readonly property bool scanning: scanner.active

    // payload: the raw bytes of the code, for VerificationController.verifyScannedCode().
    signal found(var payload)

    spacing: Theme.spacingS

    QrFrameScanner {
        id: scanner
        videoSink: picture.videoSink
        active: view.open && view.visible
        onFound: payload => view.found(payload)
    }
    CaptureSession {
        camera: Camera {
            id: camera
            active: scanner.active && scanner.cameraAvailable
        }
        videoOutput: picture
    }

    VideoOutput {
        id: picture
        objectName: "cameraPicture"
        Layout.fillWidth: true
        Layout.preferredHeight: width * 3 / 4
        visible: scanner.cameraAvailable
        fillMode: VideoOutput.PreserveAspectFit
        Accessible.role: Accessible.Graphic
        Accessible.name: qsTr("Camera picture")
    }
    Label {
        objectName: "cameraHint"
        Layout.fillWidth: true
        visible: scanner.cameraAvailable
        text: qsTr("Hold their QR code in front of the camera.")
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
    Label {
        objectName: "noCamera"
        Layout.fillWidth: true
        visible: !scanner.cameraAvailable
        text: qsTr("No camera found. Connect a camera, or open a picture of their code instead.")
        color: Theme.textSecondary
        wrapMode: Text.Wrap
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }
}
