// SPDX-License-Identifier: Apache-2.0
// The client store before and after its engine change, side by side in one run: runs store_bench
// (SQLite3 Multiple Ciphers, SQLCipher 4 format) and store_bench_sqlcipher3 (the same store on
// Debian 12's SQLCipher 3.4.1, which it replaced), one after the other on this machine, and prints
// each benchmark's time (and rate, where it has one) for both. Arguments are passed to both runs
// (e.g. --benchmark_filter=OpenStore). Prints numbers; asserts nothing.

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cstdio>
#include <map>
#include <vector>

namespace {

struct Figure {
    double time = 0;
    QString unit;
    double itemsPerSecond = 0;
};

struct Run {
    QString engine;
    std::map<QString, Figure> figures;
    std::vector<QString> order;
    QString notes; // what the bench printed besides its results (e.g. the 1M-message build)
};

bool runBench(const QString& program, const QStringList& arguments, Run& run) {
    QProcess process;
    process.start(program, QStringList(arguments) << QStringLiteral("--benchmark_format=json"));
    if (!process.waitForFinished(-1) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        std::fprintf(stderr, "store_engine_compare: %s failed:\n%s\n", qPrintable(program),
                     process.readAllStandardError().constData());
        return false;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(process.readAllStandardOutput(), &error);
    if (document.isNull()) {
        std::fprintf(stderr, "store_engine_compare: %s printed no JSON (%s)\n", qPrintable(program),
                     qPrintable(error.errorString()));
        return false;
    }
    run.engine = document[QStringLiteral("context")][QStringLiteral("store_engine")].toString();
    run.notes = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
    for (const QJsonValue& value : document[QStringLiteral("benchmarks")].toArray()) {
        const QJsonObject benchmark = value.toObject();
        const QString name = benchmark[QStringLiteral("name")].toString();
        Figure figure;
        figure.time = benchmark[QStringLiteral("real_time")].toDouble();
        figure.unit = benchmark[QStringLiteral("time_unit")].toString();
        figure.itemsPerSecond = benchmark[QStringLiteral("items_per_second")].toDouble();
        run.figures[name] = figure;
        run.order.push_back(name);
    }
    return true;
}

QString describe(const Figure& figure) {
    QString text = QStringLiteral("%1 %2").arg(figure.time, 0, 'f', 3).arg(figure.unit);
    if (figure.itemsPerSecond > 0) {
        text += QStringLiteral(" (%1/s)").arg(figure.itemsPerSecond, 0, 'f', 0);
    }
    return text;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments().mid(1);

    Run before;
    Run after;
    std::fprintf(stdout, "running the store on the old engine (store_bench_sqlcipher3)...\n");
    std::fflush(stdout);
    if (!runBench(QStringLiteral(CINDER_STORE_BENCH_SQLCIPHER3), arguments, before)) {
        return 1;
    }
    std::fprintf(stdout, "running the store on the new engine (store_bench)...\n\n");
    std::fflush(stdout);
    if (!runBench(QStringLiteral(CINDER_STORE_BENCH), arguments, after)) {
        return 1;
    }

    std::printf("before: %s\n", qPrintable(before.engine));
    if (!before.notes.isEmpty()) {
        std::printf("        %s\n", qPrintable(before.notes));
    }
    std::printf("after:  %s\n", qPrintable(after.engine));
    if (!after.notes.isEmpty()) {
        std::printf("        %s\n", qPrintable(after.notes));
    }
    std::printf("\n%-30s %-26s %-26s %s\n", "benchmark (real time)", "before", "after",
                "after/before");
    for (const QString& name : after.order) {
        const auto old = before.figures.find(name);
        if (old == before.figures.end()) {
            std::printf("%-30s %-26s %-26s\n", qPrintable(name), "-",
                        qPrintable(describe(after.figures[name])));
            continue;
        }
        const Figure& now = after.figures[name];
        const double ratio = old->second.time > 0 ? now.time / old->second.time : 0;
        std::printf("%-30s %-26s %-26s %.2fx\n", qPrintable(name),
                    qPrintable(describe(old->second)), qPrintable(describe(now)), ratio);
    }
    return 0;
}
