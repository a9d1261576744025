// SPDX-License-Identifier: Apache-2.0
// Issue 4: a large file (1 GiB unless CINDER_TEST_FILE_MIB says otherwise) goes from one user
// to another in bounded memory; both the upload and the download are cut by a server crash
// and resume where they stopped; the saved copy is byte-identical and safely named.
#include "SessionFixture.h"

#include <QCryptographicHash>

#include <fstream>

using namespace cinder;
using namespace cinder::test;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

qint64 fileSizeMiB() {
    bool ok = false;
    const int fromEnvironment = qEnvironmentVariableIntValue("CINDER_TEST_FILE_MIB", &ok);
    return ok && fromEnvironment > 0 ? fromEnvironment : 1024;
}

// Peak resident memory of a process, from /proc.
qint64 peakResidentKiB(qint64 pid) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:")) {
            return line.mid(6).trimmed().split(' ').first().toLongLong();
        }
    }
    return -1;
}

// Writes `mib` MiB of non-repeating bytes; returns their SHA-256.
QByteArray writePattern(const QString& path, qint64 mib) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return {};
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block(kMiB, Qt::Uninitialized);
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    for (qint64 i = 0; i < mib; ++i) {
        auto* words = reinterpret_cast<std::uint64_t*>(block.data());
        for (qint64 w = 0; w < kMiB / 8; ++w) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            words[w] = state;
        }
        hash.addData(block);
        if (file.write(block) != block.size()) {
            return {};
        }
    }
    return hash.result();
}

QByteArray hashFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}

} // namespace

class SessionFilesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_fixture.start(), "cinder-server did not start"); }

    void largeFileResumesBothWaysInBoundedMemory() {
        auto alice = m_fixture.create("alice");
        auto bob = m_fixture.create("bob");
        QVERIFY(alice && bob);
        auto conversation = alice->openDirect("bob");
        QVERIFY(conversation);

        QTemporaryDir scratch;
        const qint64 mib = fileSizeMiB();
        // A name that tries to leave the folder it is saved into.
        const QString source = scratch.filePath(QStringLiteral("..report.bin"));
        const QByteArray sourceHash = writePattern(source, mib);
        QVERIFY(!sourceHash.isEmpty());

        // Upload, cut by a crash a third of the way through.
        bool crashed = false;
        std::uint64_t resumedAt = 0;
        connect(alice.get(), &client::Session::transferProgress, this,
                [&](std::int64_t, std::uint64_t done, std::uint64_t total) {
                    if (!crashed && done > total / 3) {
                        crashed = true;
                        m_fixture.server().kill9();
                    } else if (crashed && resumedAt == 0) {
                        resumedAt = done;
                    }
                });
        auto sent = alice->sendFile(*conversation, source);
        QVERIFY(sent);
        QVERIFY(waitFor([&] { return crashed; }, 600000));
        QVERIFY(m_fixture.server().restart());
        QVERIFY(waitFor(
            [&] {
                auto m = storeOf(*bob).messages().find(*sent);
                return m && *m;
            },
            900000));
        // The upload went on from what the server had, not from the start.
        QVERIFY2(resumedAt > static_cast<std::uint64_t>(2 * kMiB), "upload did not resume");
        disconnect(alice.get(), nullptr, this, nullptr);

        auto attachments = storeOf(*bob).attachments().ofMessage(*sent);
        QVERIFY(attachments && attachments->size() == 1);
        const std::int64_t attachment = attachments->front().id;
        QCOMPARE(attachments->front().size, static_cast<std::uint64_t>(mib * kMiB));

        // Download, cut by a crash half way through.
        crashed = false;
        resumedAt = 0;
        connect(bob.get(), &client::Session::transferProgress, this,
                [&](std::int64_t, std::uint64_t done, std::uint64_t total) {
                    if (!crashed && done > total / 2) {
                        crashed = true;
                        m_fixture.server().kill9();
                    } else if (crashed && resumedAt == 0) {
                        resumedAt = done;
                    }
                });
        auto cut = bob->downloadAttachment(attachment);
        QVERIFY(!cut);
        QCOMPARE(cut.error(), client::SessionError::TransferFailed);
        QVERIFY(m_fixture.server().restart());
        QVERIFY(bob->waitUntilOnline(kWaitMs));
        QVERIFY(bob->downloadAttachment(attachment));
        QVERIFY2(resumedAt > static_cast<std::uint64_t>(2 * kMiB), "download did not resume");

        QTemporaryDir saveTo;
        auto saved = bob->saveAttachment(attachment, saveTo.path());
        QVERIFY(saved);
        QCOMPARE(QFileInfo(*saved).dir().absolutePath(), QDir(saveTo.path()).absolutePath());
        QCOMPARE(QFileInfo(*saved).fileName(), QStringLiteral("report.bin"));
        QCOMPARE(QFileInfo(*saved).size(), mib * kMiB);
        QCOMPARE(hashFile(*saved), sourceHash);

        // Bounded memory: the whole file never sat in this process (both devices) or the
        // server (since its restart it served the rest of the upload and all the download).
        const qint64 clientPeak = peakResidentKiB(QCoreApplication::applicationPid());
        const qint64 serverPeak = peakResidentKiB(m_fixture.server().processId());
        qInfo("file %lld MiB; peak resident: test process %lld MiB, server %lld MiB", mib,
              clientPeak / 1024, serverPeak / 1024);
        QVERIFY(clientPeak > 0 && serverPeak > 0);
        if (mib >= 1024) {
            QVERIFY(clientPeak < 400 * 1024);
            QVERIFY(serverPeak < 400 * 1024);
        }
    }

private:
    SessionFixture m_fixture;
};

QTEST_GUILESS_MAIN(SessionFilesTest)
#include "tst_session_files.moc"
