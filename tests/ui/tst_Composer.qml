// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Cinder

TestCase {
    id: testCase
    name: "Composer"
    width: 640
    height: 300
    visible: true
    when: windowShown

    Component {
        id: fakeComponent
        FakeConversation {}
    }
    Component {
        id: composerComponent
        Composer { width: 600 }
    }

    property QtObject fake
    property Item composer
    property Item input

    function init() {
        fake = createTemporaryObject(fakeComponent, testCase);
        composer = createTemporaryObject(composerComponent, testCase, { controller: fake });
        verify(composer);
        input = findChild(composer, "composerInput");
        verify(input);
        input.forceActiveFocus();
        verify(input.activeFocus);
    }

    function type(text) {
        for (let i = 0; i < text.length; ++i)
            keyClick(text[i]);
    }

    function test_enterSends() {
        type("hi");
        keyClick(Qt.Key_Return);
        compare(fake.sent, ["hi"]);
        compare(input.text, "");
    }

    function test_keypadEnterSends() {
        type("yo");
        keyClick(Qt.Key_Enter);
        compare(fake.sent, ["yo"]);
    }

    function test_ctrlEnterSends() {
        type("x");
        keyClick(Qt.Key_Return, Qt.ControlModifier);
        compare(fake.sent, ["x"]);
    }

    function test_shiftEnterInsertsNewline() {
        type("a");
        keyClick(Qt.Key_Return, Qt.ShiftModifier);
        type("b");
        compare(fake.sent, []);
        compare(input.text, "a\nb");
        keyClick(Qt.Key_Return);
        compare(fake.sent, ["a\nb"]);
    }

    function test_blankIsNotSent() {
        type("   ");
        keyClick(Qt.Key_Return);
        compare(fake.sent, []);
    }

    function test_disabledWhenCannotSend() {
        fake.blockedReason = "Acknowledge the ephemerality policy before sending.";
        fake.canSend = false;
        verify(!input.enabled);
        const reason = findChild(composer, "blockedReason");
        verify(reason.visible);
        compare(reason.text, fake.blockedReason);
        compare(reason.textFormat, Text.PlainText);
        verify(!findChild(composer, "sendButton").enabled);
        verify(!findChild(composer, "attachButton").enabled);
        input.text = "blocked";
        verify(!composer.submit());
        compare(fake.sent, []);
    }

    function test_enabledHidesReason() {
        verify(input.enabled);
        verify(!findChild(composer, "blockedNotice").visible);
    }

    function test_replyCarriesTheId() {
        composer.startReply("m1", "the question");
        type("answer");
        keyClick(Qt.Key_Return);
        compare(fake.sent, ["answer"]);
        compare(fake.replies, ["m1"]);
        compare(composer.replyToId, "");
    }

    function test_editCallsEdit() {
        composer.startEdit("m2", "old");
        compare(input.text, "old");
        keyClick(Qt.Key_Backspace);
        keyClick(Qt.Key_Backspace);
        keyClick(Qt.Key_Backspace);
        type("new");
        keyClick(Qt.Key_Return);
        compare(fake.sent, []);
        compare(fake.edits, [["m2", "new"]]);
        compare(composer.editingId, "");
    }

    function test_escapeCancelsReply() {
        composer.startReply("m1", "q");
        keyClick(Qt.Key_Escape);
        compare(composer.replyToId, "");
    }

    function test_uploadProgress() {
        const bar = findChild(composer, "uploadProgress");
        verify(!bar.visible);
        fake.uploadProgress = 0.25;
        verify(bar.visible);
        compare(bar.value, 0.25);
    }
}
