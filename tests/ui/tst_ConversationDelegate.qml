// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Cinder

TestCase {
    id: testCase
    name: "ConversationDelegate"
    width: 340
    height: 100
    visible: true
    when: windowShown

    Component {
        id: rowComponent
        ConversationDelegate { width: 320 }
    }
    Component {
        id: ticksComponent
        ReadTicks {}
    }

    function row(overrides) {
        const base = {
            index: 0, conversationId: "c1", title: "bob", isRoom: false, unread: 0,
            lastActivity: new Date(), preview: "hi", ttlSeconds: 86400, burnOnRead: false,
            identityChanged: false
        };
        for (const key in overrides)
            base[key] = overrides[key];
        return createTemporaryObject(rowComponent, testCase, base);
    }

    function labelWithText(item, text) {
        for (let i = 0; i < item.children.length; ++i) {
            const child = item.children[i];
            if (child.text === text && child.textFormat !== undefined)
                return child;
            const found = labelWithText(child, text);
            if (found)
                return found;
        }
        if (item.contentItem && item.contentItem !== item)
            return labelWithText(item.contentItem, text);
        return null;
    }

    function test_previewAndTitleArePlain() {
        const item = row({ title: "<b>eve</b>", preview: "<img src=x>" });
        const title = labelWithText(item, "<b>eve</b>");
        verify(title);
        compare(title.textFormat, Text.PlainText);
        const preview = labelWithText(item, "<img src=x>");
        verify(preview);
        compare(preview.textFormat, Text.PlainText);
    }

    function test_identityChangedWarns() {
        const item = row({ identityChanged: true });
        verify(labelWithText(item, "Security key changed"));
        verify(item.Accessible.name.indexOf("security key changed") >= 0);
    }

    function test_accessibleNameCountsUnread() {
        compare(row({ unread: 3 }).Accessible.name, "bob, 3 unread");
    }

    function test_ticks_data() {
        return [
            { tag: "waiting", state: "sending", icon: "clock", name: "Waiting to be sent" },
            { tag: "sent", state: "read", icon: "check", name: "Sent" },
            { tag: "seen", state: "seen", icon: "checks", name: "Seen" },
            { tag: "failed", state: "failed", icon: "warning", name: "Not sent" }
        ];
    }

    function test_ticks(data) {
        const ticks = createTemporaryObject(ticksComponent, testCase, { readState: data.state });
        compare(ticks.name, data.icon);
        compare(ticks.Accessible.name, data.name);
        compare(Qt.colorEqual(ticks.color, ticks.seenColor), data.state === "seen");
    }
}
