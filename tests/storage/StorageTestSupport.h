// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared helpers of the storage tests: a store on a pinned clock, ids, records and a byte scanner
// for files.

#include "crypto/Random.h"
#include "storage/Records.h"
#include "storage/Store.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QStringList>
#include <QTest>

#include <cstring>
#include <memory>
#include <string>

namespace cinder::test {

template <typename Id>
Id idOf(std::uint8_t n, std::uint8_t tag = 0) {
    Id id{};
    id[0] = n;
    id[1] = tag;
    id[id.size() - 1] = 0xa5;
    return id;
}

inline crypto::SecureBuffer freshKey() {
    return crypto::systemRandom().secret(crypto::kSymmetricKeySize);
}

// A store whose clock stands at nowMs; null (with a warning) when it does not open.
inline std::unique_ptr<storage::Store>
openStore(const QString& dir, const crypto::SecureBuffer& key, std::int64_t nowMs = 2000) {
    auto store = storage::Store::open(dir, key, [nowMs] { return nowMs; });
    if (!store) {
        qWarning() << "open failed:" << storage::describe(store.error()).data();
        return nullptr;
    }
    return std::move(store).value();
}

inline storage::ContactRecord contact(std::uint8_t n, const std::string& username) {
    storage::ContactRecord c;
    c.rootId = idOf<crypto::RootId>(n);
    c.username = username;
    c.displayName = "Display " + username;
    c.pinnedRootKey = crypto::Bytes(133, n);
    c.deviceListVersion = 1;
    c.deviceList = crypto::Bytes(40, 0x11);
    c.addedAtMs = 1500;
    return c;
}

inline storage::ConversationRecord conversation(std::uint8_t n, std::uint32_t ttlSeconds = 3600,
                                                bool burnOnRead = false,
                                                std::uint32_t burnSeconds = 0) {
    storage::ConversationRecord c;
    c.id = idOf<crypto::ConversationId>(n);
    c.kind = storage::ConversationKind::Direct;
    c.title = "conversation " + std::to_string(n);
    c.defaults = {ttlSeconds, burnOnRead, burnSeconds};
    c.createdAtMs = 1000;
    return c;
}

inline storage::MessageRecord message(std::uint32_t n, const crypto::ConversationId& conversation,
                                      std::int64_t sentAtMs, std::string_view body = "hello",
                                      std::uint32_t ttlSeconds = 3600) {
    storage::MessageRecord m;
    m.id = {};
    std::memcpy(m.id.data(), &n, sizeof(n));
    m.id[15] = 0x5a;
    m.conversationId = conversation;
    m.senderRootId = idOf<crypto::RootId>(7);
    m.senderNodeId = idOf<crypto::NodeId>(8);
    m.sequence = n + 1;
    m.sentAtMs = sentAtMs;
    m.receivedAtMs = sentAtMs + 5;
    m.body = crypto::toBytes(body);
    m.ephemerality = {ttlSeconds, false, 0};
    return m;
}

// Every regular file under directory (recursively), by path.
inline QStringList filesUnder(const QString& directory) {
    QStringList files;
    QDirIterator it(directory, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        files << it.next();
    }
    files.sort();
    return files;
}

// Files under directory that contain needle anywhere, as "path".
inline QStringList filesContaining(const QString& directory, const QByteArray& needle) {
    QStringList hits;
    for (const QString& path : filesUnder(directory)) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle)) {
            hits << path;
        }
    }
    return hits;
}

inline QByteArray toQByteArray(crypto::ByteView bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<qsizetype>(bytes.size()));
}

} // namespace cinder::test
