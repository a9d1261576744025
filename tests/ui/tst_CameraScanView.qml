// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import QtMultimedia
import Cinder

// The camera view of the verification flow. On a computer without a camera (CI, this test's
// usual home) it shows the "No camera found" message instead of an empty picture.
TestCase {
    id: testCase
    name: "CameraScanView"
    width: 480
    height: 480
    visible: true
    when: windowShown

    Component {
        id: viewComponent
        CameraScanView { width: 400 }
    }

    MediaDevices {
        id: devices
    }

    function test_messageInsteadOfAPictureWithoutACamera() {
        const view = createTemporaryObject(viewComponent, testCase, { open: true });
        verify(view);
        const hasCamera = devices.videoInputs.length > 0;
        compare(view.cameraAvailable, hasCamera);
        const message = findChild(view, "noCamera");
        const picture = findChild(view, "cameraPicture");
        const hint = findChild(view, "cameraHint");
        verify(message);
        verify(picture);
        verify(hint);
        compare(message.visible, !hasCamera);
        compare(picture.visible, hasCamera);
        compare(hint.visible, hasCamera);
        if (!hasCamera) {
            verify(message.text.startsWith("No camera found"), message.text);
            verify(message.height > 0);
        }
    }

    function test_scansOnlyWhileOpenAndShown() {
        const view = createTemporaryObject(viewComponent, testCase);
        verify(view);
        verify(!view.scanning);
        view.open = true;
        verify(view.scanning);
        view.visible = false; // the page went away
        verify(!view.scanning);
        view.visible = true;
        verify(view.scanning);
        view.open = false;
        verify(!view.scanning);
    }
}
