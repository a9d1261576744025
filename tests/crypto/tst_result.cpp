// SPDX-License-Identifier: Apache-2.0
// The result type and its propagation helpers (crypto/Result.h): CINDER_TRY returns the first
// error unchanged, CINDER_TRY_ASSIGN hands over the value without a copy, and a failure of a
// lower layer's error becomes the upper layer's error through its translateError.

#include "crypto/Result.h"

#include <QTest>

#include <memory>
#include <string>
#include <vector>

namespace lower {
enum class LowError { Missing, Broken };
}

namespace upper {
enum class HighError { NotFound, Failed };

HighError translateError(std::type_identity<HighError>, lower::LowError error) {
    return error == lower::LowError::Missing ? HighError::NotFound : HighError::Failed;
}
} // namespace upper

namespace {
using cinder::crypto::fail;
using cinder::crypto::Result;
using lower::LowError;
using upper::HighError;

Result<int, LowError> number(bool ok, LowError error = LowError::Broken) {
    if (!ok) {
        return fail(error);
    }
    return 7;
}

Result<std::unique_ptr<std::string>, LowError> text(bool ok) {
    if (!ok) {
        return fail(LowError::Missing);
    }
    return std::make_unique<std::string>("moved, not copied");
}

Result<void, LowError> check(bool ok) {
    if (!ok) {
        return fail(LowError::Broken);
    }
    return {};
}

// Counts the steps it reached, so a test sees where the early return happened.
Result<int, LowError> sameLayer(bool first, bool second, int& reached) {
    CINDER_TRY(check(first));
    ++reached;
    CINDER_TRY_ASSIGN(const int value, number(second));
    ++reached;
    return value * 2;
}

Result<std::string, HighError> upperLayer(bool first, bool second, int& reached) {
    CINDER_TRY_ASSIGN(auto owned, text(first));
    ++reached;
    CINDER_TRY(number(second, LowError::Missing));
    ++reached;
    return *owned;
}

Result<void, HighError> upperVoid(bool ok) {
    CINDER_TRY(check(ok));
    return {};
}
} // namespace

class TestResult : public QObject {
    Q_OBJECT
private slots:
    void tryPassesValuesThrough() {
        int reached = 0;
        const auto result = sameLayer(true, true, reached);
        QVERIFY(result.ok());
        QCOMPARE(*result, 14);
        QCOMPARE(reached, 2);
    }

    void tryReturnsTheFirstError() {
        int reached = 0;
        const auto early = sameLayer(false, true, reached);
        QVERIFY(!early.ok());
        QCOMPARE(early.error(), LowError::Broken);
        QCOMPARE(reached, 0);

        const auto late = sameLayer(true, false, reached);
        QVERIFY(!late.ok());
        QCOMPARE(reached, 1);
    }

    void tryAssignMovesTheValue() {
        int reached = 0;
        const auto result = upperLayer(true, true, reached);
        QVERIFY(result.ok());
        QCOMPARE(*result, std::string("moved, not copied"));
        QCOMPARE(reached, 2);
    }

    void lowerErrorsAreTranslated() {
        int reached = 0;
        const auto missing = upperLayer(false, true, reached);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error(), HighError::NotFound);
        QCOMPARE(reached, 0);

        const auto second = upperLayer(true, false, reached);
        QCOMPARE(second.error(), HighError::NotFound);
        QCOMPARE(reached, 1);

        QVERIFY(upperVoid(true).ok());
        QCOMPARE(upperVoid(false).error(), HighError::Failed);
    }

    void untranslatableErrorsDoNotConvert() {
        // Without a translateError for it, a layer's error is not silently accepted elsewhere.
        static_assert(
            !std::is_constructible_v<Result<int, LowError>, cinder::crypto::Failure<HighError>>);
        static_assert(
            std::is_constructible_v<Result<int, HighError>, cinder::crypto::Failure<LowError>>);
    }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
