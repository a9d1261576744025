// SPDX-License-Identifier: Apache-2.0
// The ephemerality rule (crypto/EphemeralityRule.h, docs/PROTOCOL.md section 8.4): its table of
// valid and refused timers with the limit and numbers each refusal carries, the defaults a user
// interface gets, the relay's expiry hint, agreement with metadataIsValid, and a guard that no
// other layer keeps its own copy of the limits.

#include "crypto/EphemeralityRule.h"
#include "crypto/MessageMetadata.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <limits>
#include <optional>

using namespace cinder::crypto;

Q_DECLARE_METATYPE(std::optional<EphemeralityError>)

namespace {

constexpr qint64 kMax = kMaxTtlSeconds;

std::optional<EphemeralityError> refused(EphemeralityLimit limit, std::int64_t value,
                                         std::int64_t bound) {
    return EphemeralityError{limit, value, bound};
}

} // namespace

class EphemeralityRuleTest : public QObject {
    Q_OBJECT

private slots:
    void rule_data() {
        QTest::addColumn<qint64>("ttl");
        QTest::addColumn<bool>("burnOnRead");
        QTest::addColumn<qint64>("burn");
        QTest::addColumn<std::optional<EphemeralityError>>("expected");
        using L = EphemeralityLimit;
        const std::optional<EphemeralityError> ok;

        QTest::newRow("shortest ttl") << qint64{1} << false << qint64{0} << ok;
        QTest::newRow("a week") << qint64{604800} << false << qint64{0} << ok;
        QTest::newRow("longest ttl (366 days)") << kMax << false << qint64{0} << ok;
        QTest::newRow("no ttl") << qint64{0} << false << qint64{0} << refused(L::TtlTooShort, 0, 1);
        QTest::newRow("negative ttl")
            << qint64{-5} << false << qint64{0} << refused(L::TtlTooShort, -5, 1);
        QTest::newRow("ttl one past the cap")
            << kMax + 1 << false << qint64{0} << refused(L::TtlTooLong, kMax + 1, kMax);
        QTest::newRow("ttl past 32 bits")
            << qint64{1} + std::numeric_limits<std::uint32_t>::max() << false << qint64{0}
            << refused(L::TtlTooLong, qint64{1} << 32, kMax);
        QTest::newRow("burn 1 s") << qint64{60} << true << qint64{1} << ok;
        QTest::newRow("burn equal to ttl") << qint64{60} << true << qint64{60} << ok;
        QTest::newRow("burn at the longest ttl") << kMax << true << kMax << ok;
        QTest::newRow("burn one past ttl")
            << qint64{60} << true << qint64{61} << refused(L::BurnPastExpiry, 61, 60);
        QTest::newRow("burn on without a time")
            << qint64{60} << true << qint64{0} << refused(L::BurnTooShort, 0, 1);
        QTest::newRow("negative burn")
            << qint64{60} << true << qint64{-1} << refused(L::BurnTooShort, -1, 1);
        QTest::newRow("burn time with burn off")
            << qint64{60} << false << qint64{30} << refused(L::BurnWithoutBurnOnRead, 30, 0);
        QTest::newRow("ttl is checked first")
            << qint64{0} << true << qint64{61} << refused(L::TtlTooShort, 0, 1);
    }

    void rule() {
        QFETCH(qint64, ttl);
        QFETCH(bool, burnOnRead);
        QFETCH(qint64, burn);
        QFETCH(std::optional<EphemeralityError>, expected);

        const auto made = ephemeralityFrom(ttl, burnOnRead, burn);
        QCOMPARE(made.ok(), !expected.has_value());
        if (expected) {
            QCOMPARE(made.error(), *expected);
            QVERIFY(!describe(made.error()).empty());
        } else {
            QCOMPARE(qint64{made->ttlSeconds}, ttl);
            QCOMPARE(made->burnOnRead, burnOnRead);
            QCOMPARE(qint64{made->burnSeconds}, burn);
        }

        // The wire form (32-bit fields) and the decoder's metadataIsValid agree with it.
        const auto fits = [](qint64 v) {
            return v >= 0 && v <= std::numeric_limits<std::uint32_t>::max();
        };
        if (fits(ttl) && fits(burn)) {
            const Ephemerality timers{static_cast<std::uint32_t>(ttl), burnOnRead,
                                      static_cast<std::uint32_t>(burn)};
            const auto checked = validateEphemerality(timers);
            QCOMPARE(checked.ok(), !expected.has_value());
            if (expected) {
                QCOMPARE(checked.error(), *expected);
            }
            MessageMetadata metadata;
            metadata.sequence = 1;
            metadata.sentAtMs = 1;
            metadata.ephemerality = timers;
            QCOMPARE(metadataIsValid(metadata), !expected.has_value());
        }
    }

    void choice_data() {
        QTest::addColumn<qint64>("ttl");
        QTest::addColumn<bool>("burnOnRead");
        QTest::addColumn<qint64>("burn");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("burnAfter"); // the burn time the choice becomes

        QTest::newRow("burn switched on: default")
            << qint64{3600} << true << qint64{0} << true << qint64{kDefaultBurnSeconds};
        QTest::newRow("burn switched on, short ttl: the ttl")
            << qint64{3} << true << qint64{0} << true << qint64{3};
        QTest::newRow("burn with a time keeps it")
            << qint64{3600} << true << qint64{90} << true << qint64{90};
        QTest::newRow("burn switched off drops the time")
            << qint64{3600} << false << qint64{90} << true << qint64{0};
        QTest::newRow("burn past a shortened ttl is refused")
            << qint64{300} << true << qint64{600} << false << qint64{0};
        QTest::newRow("no ttl is refused") << qint64{0} << true << qint64{0} << false << qint64{0};
        QTest::newRow("ttl past the cap is refused")
            << kMax + 1 << false << qint64{0} << false << qint64{0};
    }

    void choice() {
        QFETCH(qint64, ttl);
        QFETCH(bool, burnOnRead);
        QFETCH(qint64, burn);
        QFETCH(bool, valid);
        QFETCH(qint64, burnAfter);
        const auto made = ephemeralityFromChoice(ttl, burnOnRead, burn);
        QCOMPARE(made.ok(), valid);
        if (valid) {
            QCOMPARE(qint64{made->ttlSeconds}, ttl);
            QCOMPARE(made->burnOnRead, burnOnRead);
            QCOMPARE(qint64{made->burnSeconds}, burnAfter);
        }
    }

    void relayTtl_data() {
        QTest::addColumn<qint64>("ttl");
        QTest::addColumn<bool>("valid");
        QTest::newRow("none given") << qint64{0} << true;
        QTest::newRow("one second") << qint64{1} << true;
        QTest::newRow("the cap") << kMax << true;
        QTest::newRow("past the cap") << kMax + 1 << false;
        QTest::newRow("negative") << qint64{-1} << false;
    }

    void relayTtl() {
        QFETCH(qint64, ttl);
        QFETCH(bool, valid);
        QCOMPARE(validateRelayTtl(ttl).ok(), valid);
    }

    void errorTextCarriesTheNumbers() {
        const auto error = ephemeralityFrom(300, true, 600).error();
        QCOMPARE(QString::fromStdString(describe(error)),
                 QStringLiteral("burn time 600 s is past the expiry 300 s"));
    }

    // No other layer compares timers against limits of its own or spells the cap: a second copy
    // of the rule is how the five copies this replaced drifted apart.
    void noOtherCopyOfTheRule() {
        const QRegularExpression comparison(
            QStringLiteral(R"(\b(ttl|burn)(Seconds|_seconds\(\))\s*(<=|>=|<|>)\s*[^>])"),
            QRegularExpression::CaseInsensitiveOption);
        // The cap spelt out: 31 622 400 (with any digit separator, also in ms), or 366 days
        // multiplied out, either way round (366 * 24, 366U * 24U, 366LL * 86'400, 24 * 366 ...).
        // crypto/Constants.h derives the delivery bound from kMaxTtlSeconds instead.
        const QRegularExpression cap(
            QStringLiteral(R"(31['\s]?622['\s]?400|\b366(U|L|LL|ULL)?\s*\*\s*(24|86'?400)|)"
                           R"(\b(24|86'?400)(U|L|LL|ULL)?\s*\*\s*366(?!\d))"));
        QStringList copies;
        for (const char* folder : {"app", "cli", "client", "server", "storage", "ui", "crypto"}) {
            QDirIterator it(
                QStringLiteral(CINDER_SOURCE_DIR "/") + QLatin1String(folder),
                {QStringLiteral("*.cpp"), QStringLiteral("*.h"), QStringLiteral("*.qml")},
                QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (path.contains(QStringLiteral("crypto/EphemeralityRule."))) {
                    continue;
                }
                QFile file(path);
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QString text = QString::fromUtf8(file.readAll());
                if (text.contains(comparison) || text.contains(cap)) {
                    copies.append(path);
                }
            }
        }
        QVERIFY2(copies.isEmpty(), qPrintable(copies.join(QLatin1Char('\n'))));
    }
};

QTEST_APPLESS_MAIN(EphemeralityRuleTest)
#include "tst_ephemerality_rule.moc"
