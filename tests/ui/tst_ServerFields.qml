// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Cinder

// A server proposed on the command line shows as one line until "Change"; with none, the
// fields are open. Either way the values reach AppController on apply().
TestCase {
    id: testCase
    name: "ServerFields"
    width: 420
    height: 300
    visible: true
    when: windowShown

    Component {
        id: fieldsComponent
        ServerFields { width: 400 }
    }

    function cleanup() {
        AppController.serverAddress = "";
        AppController.serverFingerprint = "";
    }

    function test_noServerOpensTheFields() {
        const fields = createTemporaryObject(fieldsComponent, testCase);
        verify(fields.editing);
        verify(!findChild(fields, "serverSummary").visible);
        verify(!fields.complete);
    }

    function test_proposedServerIsOneLineUntilChanged() {
        AppController.serverAddress = "chat.example.org:8443";
        const fields = createTemporaryObject(fieldsComponent, testCase);
        verify(!fields.editing);
        verify(fields.complete);
        const summary = findChild(fields, "serverSummary");
        verify(summary.visible);
        const button = findChild(fields, "changeServerButton");
        mouseClick(button);
        verify(fields.editing);
        verify(!summary.visible);
        fields.apply();
        compare(AppController.serverAddress, "chat.example.org:8443");
    }
}
