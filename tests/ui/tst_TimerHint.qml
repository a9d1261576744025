// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Cinder

TestCase {
    id: testCase
    name: "TimerHint"
    width: 300
    height: 100
    visible: true
    when: windowShown

    Component {
        id: hintComponent
        TimerHint {}
    }
    Component {
        id: selectorComponent
        TimerSelector {}
    }

    function test_labels_data() {
        return [
            { tag: "none", seconds: 0, label: "" },
            { tag: "seconds", seconds: 30, label: "30s" },
            { tag: "minutes", seconds: 300, label: "5m" },
            { tag: "hour", seconds: 3600, label: "1h" },
            { tag: "day", seconds: 86400, label: "1d" },
            { tag: "week", seconds: 604800, label: "1w" },
            { tag: "30 days", seconds: 2592000, label: "30d" }
        ];
    }

    function test_labels(data) {
        const hint = createTemporaryObject(hintComponent, testCase, { ttlSeconds: data.seconds });
        compare(hint.label, data.label);
        compare(hint.visible, data.label.length > 0);
    }

    function test_burnShowsWithoutTtl() {
        verify(createTemporaryObject(hintComponent, testCase, { burnOnRead: true }).visible);
    }

    function test_selectorUsesChoiceLabels() {
        const selector = createTemporaryObject(selectorComponent, testCase, {
            choices: [{ label: "1 hour", seconds: 3600 }, { label: "1 day", seconds: 86400 }],
            ttlSeconds: 86400
        });
        compare(selector.currentLabel, "1 day");
        selector.ttlSeconds = 60;
        compare(selector.currentLabel, "1m");
    }
}
