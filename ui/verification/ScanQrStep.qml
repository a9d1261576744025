// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Cinder

// Or use QR codes: show yours, and read theirs with the camera or from a picture of it.
SectionCard {
    id: step

    required property VerificationController verification

    title: qsTr("Or scan QR codes")

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingXl

        Rectangle {
            implicitWidth: 184
            implicitHeight: 184
            radius: Theme.radiusM
            color: "#ffffff"
            Image {
                objectName: "ownQrCode"
                anchors.centerIn: parent
                width: 168
                height: 168
                source: step.verification.ownQrCode
                fillMode: Image.PreserveAspectFit
                smooth: false
                cache: false
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("Your verification QR code")
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM
            Label {
                Layout.fillWidth: true
                text: qsTr("This is your code. Let your contact scan it.")
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("To check theirs, hold it in front of your camera, or open a picture or screenshot of it.")
                color: Theme.textSecondary
                wrapMode: Text.Wrap
            }
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacingS
                AppButton {
                    objectName: "scanWithCamera"
                    tone: "secondary"
                    text: cameraView.open ? qsTr("Stop camera") : qsTr("Scan with camera")
                    onClicked: cameraView.open = !cameraView.open
                }
                AppButton {
                    objectName: "scanImageButton"
                    tone: "secondary"
                    text: qsTr("Scan QR image…")
                    onClicked: imageDialog.open()
                }
            }
        }
    }

    CameraScanView {
        id: cameraView
        Layout.fillWidth: true
        visible: cameraView.open
        onFound: payload => {
            cameraView.open = false;
            step.verification.verifyScannedCode(payload);
        }
    }

    FileDialog {
        id: imageDialog
        objectName: "qrImageDialog"
        title: qsTr("Choose a picture of their QR code")
        nameFilters: [qsTr("Images (*.png *.jpg *.jpeg *.bmp *.gif)")]
        onAccepted: step.verification.scanImage(selectedFile)
    }
}
