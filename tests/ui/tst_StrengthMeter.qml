// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Cinder

TestCase {
    id: testCase
    name: "StrengthMeter"
    width: 400
    height: 100
    visible: true
    when: windowShown

    Component {
        id: meterComponent
        StrengthMeter { width: 300 }
    }

    function test_colours_data() {
        return [
            { tag: "none", score: 0, colour: Theme.divider },
            { tag: "weak", score: 1, colour: "#e5484d" },
            { tag: "fair", score: 2, colour: "#f08c2e" },
            { tag: "good", score: 3, colour: "#e5b92e" },
            { tag: "strong", score: 4, colour: Theme.success }
        ];
    }

    function test_colours(data) {
        const meter = createTemporaryObject(meterComponent, testCase, { score: data.score });
        verify(Qt.colorEqual(meter.barColor, data.colour));
        wait(Theme.animationFast + 50);
        for (let i = 0; i < 4; ++i) {
            const segment = findChild(meter, "segment" + i);
            verify(segment);
            verify(Qt.colorEqual(segment.color, i < data.score ? data.colour : Theme.divider),
                   "segment " + i);
        }
    }

    function test_outOfRangeIsClamped() {
        verify(Qt.colorEqual(Theme.strengthColor(-3), Theme.strengthColor(0)));
        verify(Qt.colorEqual(Theme.strengthColor(9), Theme.strengthColor(4)));
    }

    function test_boundToPassphraseStrength() {
        const strength = createTemporaryQmlObject("import Cinder; PassphraseStrength {}", testCase);
        const meter = createTemporaryObject(meterComponent, testCase);
        meter.score = Qt.binding(() => strength.score);
        strength.passphrase = "a";
        const weak = meter.score;
        strength.passphrase = "correct horse battery staple 42!";
        verify(meter.score > weak);
        verify(Qt.colorEqual(meter.barColor, Theme.strengthColor(strength.score)));
    }
}
