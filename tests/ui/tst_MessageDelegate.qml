// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Cinder

TestCase {
    id: testCase
    name: "MessageDelegate"
    width: 640
    height: 400
    visible: true
    when: windowShown

    Component {
        id: delegateComponent
        MessageDelegate { width: 600 }
    }
    SignalSpy {
        id: revealSpy
        signalName: "revealRequested"
    }

    function message(overrides) {
        const base = {
            index: 0, messageId: "m1", text: "hello", sender: "bob", outgoing: false,
            timeLabel: "14:03", dayLabel: "", firstInGroup: true, remaining: -1,
            remainingLabel: "", burnOnRead: false, revealed: false, edited: false,
            deleted: false, readState: "unread", contentType: "text", replyToText: "",
            reactions: "", fileName: "", fileSize: 0, attachmentId: 0, downloaded: false,
            transfer: -1
        };
        for (const key in overrides)
            base[key] = overrides[key];
        const item = createTemporaryObject(delegateComponent, testCase, base);
        verify(item);
        return item;
    }

    function test_markupIsShownLiterally() {
        const rich = findChild(message({ text: "<b>x</b>" }), "body");
        const plain = findChild(message({ text: "x" }), "body");
        compare(rich.text, "<b>x</b>");
        compare(rich.textFormat, Text.PlainText);
        // The tags are drawn as characters, so the rich body is wider than the plain one.
        verify(rich.implicitWidth > plain.implicitWidth * 3);
    }

    function test_linkIsNotALink() {
        const body = findChild(message({ text: "<a href=\"https://example.org\">click</a>" }), "body");
        compare(body.textFormat, Text.PlainText);
        compare(body.hoveredLink, "");
        compare(body.linkAt(5, 5), "");
    }

    function test_burnOnReadIsCoveredUntilRevealed() {
        const item = message({ burnOnRead: true, text: "secret" });
        verify(item.covered);
        const body = findChild(item, "body");
        verify(!body.visible);
        compare(body.text, "");
        revealSpy.target = item;
        revealSpy.clear();
        item.revealRequested();
        compare(revealSpy.count, 1);
    }

    function test_revealedBurnShowsText() {
        const item = message({ burnOnRead: true, revealed: true, text: "secret",
                               remainingLabel: "30s" });
        verify(!item.covered);
        compare(findChild(item, "body").text, "secret");
        compare(findChild(item, "countdown").text, "30s");
        verify(findChild(item, "countdown").visible);
    }

    function test_ownBurnMessageIsNotCovered() {
        verify(!message({ burnOnRead: true, outgoing: true }).covered);
    }

    function test_deletedHidesBody() {
        const item = message({ deleted: true, text: "" });
        verify(!findChild(item, "body").visible);
    }

    function test_fileNameIsPlain() {
        const item = message({ contentType: "file", fileName: "<i>a</i>.txt", fileSize: 2048 });
        const name = findChild(item, "fileName");
        compare(name.text, "<i>a</i>.txt");
        compare(name.textFormat, Text.PlainText);
        verify(!findChild(item, "body").visible);
    }

    function test_reactionsArePlain() {
        const label = findChild(message({ reactions: "<b>👍</b> 2" }), "reactions");
        compare(label.text, "<b>👍</b> 2");
        compare(label.textFormat, Text.PlainText);
    }

    function test_noCountdownWithoutExpiry() {
        verify(!findChild(message({}), "countdown").visible);
    }
}
