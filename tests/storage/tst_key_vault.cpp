// SPDX-License-Identifier: Apache-2.0
// KeyVault: Klds sealed under scrypt(passphrase); typed errors; nothing changes on failure.

#include "StorageTestSupport.h"
#include "storage/KeyVault.h"

#include <QTemporaryDir>

using namespace cinder;
using namespace cinder::storage;
using cinder::test::filesUnder;
using cinder::test::toQByteArray;

namespace {

// The smallest cost crypto accepts, so the suite stays fast; the default is measured in bench/.
const crypto::ScryptCost kTestCost{10, 8, 1};
const crypto::Bytes kAccount = crypto::toBytes("account-root-id-0123456789abcdef");

crypto::ByteView pass(const char* text) {
    return crypto::asBytes(text);
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& data) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(data), data.size());
}

} // namespace

class TestKeyVault : public QObject {
    Q_OBJECT
private slots:
    void createAndUnlock() {
        QTemporaryDir dir;
        const crypto::SecureBuffer klds = test::freshKey();
        QVERIFY(KeyVault::create(dir.path(), kAccount, klds, pass("correct horse"), kTestCost));
        QVERIFY(KeyVault::exists(dir.path()));
        auto unlocked = KeyVault::unlock(dir.path(), pass("correct horse"));
        QVERIFY(unlocked);
        QVERIFY(unlocked->klds == klds);
        QVERIFY(unlocked->accountId == kAccount);
        QVERIFY(KeyVault::unlock(dir.path(), pass("correct horse"), kAccount));
        // The vault is owner-only and holds neither Klds nor the passphrase.
        const QFileDevice::Permissions permissions = QFile::permissions(KeyVault::path(dir.path()));
        QVERIFY(!(permissions & (QFileDevice::ReadGroup | QFileDevice::ReadOther)));
        const QByteArray file = readAll(KeyVault::path(dir.path()));
        QVERIFY(!file.contains(toQByteArray(klds.view())));
        QVERIFY(!file.contains(QByteArray::fromStdString(crypto::toHex(klds.view()))));
        QVERIFY(!file.contains("correct horse"));
    }

    void wrongPassphraseChangesNothing() {
        QTemporaryDir dir;
        const crypto::SecureBuffer klds = test::freshKey();
        QVERIFY(KeyVault::create(dir.path(), kAccount, klds, pass("right"), kTestCost));
        const QStringList before = filesUnder(dir.path());
        const QByteArray bytes = readAll(KeyVault::path(dir.path()));
        auto unlocked = KeyVault::unlock(dir.path(), pass("wrong"));
        QVERIFY(!unlocked);
        QCOMPARE(unlocked.error(), VaultError::WrongPassphrase);
        auto changed =
            KeyVault::changePassphrase(dir.path(), pass("wrong"), pass("new"), kTestCost);
        QVERIFY(!changed);
        QCOMPARE(changed.error(), VaultError::WrongPassphrase);
        QCOMPARE(filesUnder(dir.path()), before);
        QCOMPARE(readAll(KeyVault::path(dir.path())), bytes);
        QVERIFY(KeyVault::unlock(dir.path(), pass("right")));
    }

    void changePassphrase() {
        QTemporaryDir dir;
        const crypto::SecureBuffer klds = test::freshKey();
        QVERIFY(KeyVault::create(dir.path(), kAccount, klds, pass("old"), kTestCost));
        const QByteArray before = readAll(KeyVault::path(dir.path()));
        QVERIFY(KeyVault::changePassphrase(dir.path(), pass("old"), pass("new"), {11, 8, 1}));
        QVERIFY(readAll(KeyVault::path(dir.path())) != before); // fresh salt and nonce
        QCOMPARE(KeyVault::unlock(dir.path(), pass("old")).error(), VaultError::WrongPassphrase);
        auto unlocked = KeyVault::unlock(dir.path(), pass("new"));
        QVERIFY(unlocked);
        QVERIFY(unlocked->klds == klds);
        // No temporary file is left behind.
        QCOMPARE(filesUnder(dir.path()), QStringList{KeyVault::path(dir.path())});
    }

    void passphraseKeyUnlocks() {
        QTemporaryDir dir;
        const crypto::SecureBuffer klds = test::freshKey();
        QVERIFY(KeyVault::create(dir.path(), kAccount, klds, pass("pw"), kTestCost));
        auto key = KeyVault::derivePassphraseKey(dir.path(), pass("pw"));
        QVERIFY(key);
        auto unlocked = KeyVault::unlockWithKey(dir.path(), *key);
        QVERIFY(unlocked);
        QVERIFY(unlocked->klds == klds);
        QCOMPARE(KeyVault::unlockWithKey(dir.path(), test::freshKey()).error(),
                 VaultError::WrongPassphrase);
    }

    void typedErrors() {
        QTemporaryDir dir;
        const crypto::SecureBuffer klds = test::freshKey();
        QCOMPARE(KeyVault::unlock(dir.path(), pass("pw")).error(), VaultError::Missing);
        QCOMPARE(
            KeyVault::create(dir.path(), kAccount, crypto::SecureBuffer(16), pass("pw"), kTestCost)
                .error(),
            VaultError::InvalidArgument);
        QCOMPARE(KeyVault::create(dir.path(), {}, klds, pass("pw"), kTestCost).error(),
                 VaultError::InvalidArgument);
        QCOMPARE(KeyVault::create(dir.path(), kAccount, klds, pass("pw"), {30, 8, 1}).error(),
                 VaultError::InvalidArgument);
        QVERIFY(KeyVault::create(dir.path(), kAccount, klds, pass("pw"), kTestCost));
        QCOMPARE(KeyVault::create(dir.path(), kAccount, klds, pass("pw"), kTestCost).error(),
                 VaultError::AlreadyExists);
        QCOMPARE(KeyVault::unlock(dir.path(), pass("pw"), crypto::asBytes("someone else")).error(),
                 VaultError::AccountMismatch);
    }

    void corruptFile_data() {
        QTest::addColumn<int>("offset"); // byte to change; -1 truncates, -2 appends, -3 empties
        QTest::addColumn<int>("value");
        QTest::addColumn<int>("expected");
        const auto e = [](VaultError error) { return static_cast<int>(error); };
        // Layout: magic 0-3, version 4-5, log2N 6, r 7, p 8, salt length 9, salt 10-41,
        // account length 42, account 43-74, sealed length 75-76, sealed 77-136.
        QTest::newRow("magic") << 0 << int('X') << e(VaultError::Corrupt);
        QTest::newRow("newer version") << 5 << 2 << e(VaultError::UnsupportedVersion);
        QTest::newRow("log2N out of bounds") << 6 << 40 << e(VaultError::Corrupt);
        QTest::newRow("log2N changed") << 6 << 11 << e(VaultError::WrongPassphrase);
        QTest::newRow("r out of bounds") << 7 << 200 << e(VaultError::Corrupt);
        QTest::newRow("salt length") << 9 << 31 << e(VaultError::Corrupt);
        QTest::newRow("salt byte") << 20 << 0x55 << e(VaultError::WrongPassphrase);
        QTest::newRow("account byte") << 50 << 0x55 << e(VaultError::WrongPassphrase);
        QTest::newRow("account length 0") << 42 << 0 << e(VaultError::Corrupt);
        QTest::newRow("sealed length") << 76 << 59 << e(VaultError::Corrupt);
        QTest::newRow("nonce byte") << 80 << 0x55 << e(VaultError::WrongPassphrase);
        QTest::newRow("ciphertext byte") << 100 << 0x55 << e(VaultError::WrongPassphrase);
        QTest::newRow("tag byte") << 136 << 0x55 << e(VaultError::WrongPassphrase);
        QTest::newRow("truncated") << -1 << 0 << e(VaultError::Corrupt);
        QTest::newRow("trailing bytes") << -2 << 0 << e(VaultError::Corrupt);
        QTest::newRow("empty") << -3 << 0 << e(VaultError::Corrupt);
    }
    void corruptFile() {
        QFETCH(int, offset);
        QFETCH(int, value);
        QFETCH(int, expected);
        QTemporaryDir dir;
        QVERIFY(KeyVault::create(dir.path(), kAccount, test::freshKey(), pass("pw"), kTestCost));
        QByteArray bytes = readAll(KeyVault::path(dir.path()));
        QCOMPARE(bytes.size(), 137);
        if (offset == -1) {
            bytes.chop(1);
        } else if (offset == -2) {
            bytes.append('\0');
        } else if (offset == -3) {
            bytes.clear();
        } else {
            if (bytes[offset] == static_cast<char>(value)) {
                value ^= 1;
            }
            bytes[offset] = static_cast<char>(value);
        }
        writeAll(KeyVault::path(dir.path()), bytes);
        auto unlocked = KeyVault::unlock(dir.path(), pass("pw"));
        QVERIFY(!unlocked);
        QCOMPARE(static_cast<int>(unlocked.error()), expected);
    }
};

QTEST_GUILESS_MAIN(TestKeyVault)
#include "tst_key_vault.moc"
