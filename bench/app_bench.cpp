// SPDX-License-Identifier: Apache-2.0
// The desktop app (issue 5, "Performance"): time to the first frame of the unlock screen,
// unlock to the conversation list with 1,000 conversations (and the same minus scrypt),
// opening a conversation of 100,000 messages, paging it to the top in the model and then
// scrolling the real chat view to the top frame by frame, resident memory with it open, and the
// GUI thread's latency while a 1 GiB file is sent through a local cinder-server. Builds
// a profile once (CINDER_BENCH_DIR, else the current directory), runs the real QML offscreen.
// Prints numbers; asserts nothing.
#include "ServerProcess.h"

#include "app/AppController.h"
#include "app/ContactsController.h"
#include "app/ConversationController.h"
#include "app/ConversationListModel.h"
#include "app/MessageListModel.h"
#include "client/AccountDirectory.h"
#include "client/Session.h"
#include "crypto/NodeIdentity.h"
#include "crypto/RootIdentity.h"
#include "storage/KeyVault.h"
#include "storage/Store.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>
#include <vector>

Q_IMPORT_QML_PLUGIN(CinderPlugin)

using namespace cinder;

namespace {

constexpr int kConversations = 1000;
constexpr int kLargeConversation = 100'000;
const std::string kPassphrase = "bench passphrase, long enough";

double processAgeMs() {
    // Field 22 of /proc/self/stat: start time in clock ticks after boot.
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    const double startTicks = fields.value(19).toDouble();
    const double upSeconds = uptime.readAll().split(' ').first().toDouble();
    return (upSeconds - startTicks / static_cast<double>(sysconf(_SC_CLK_TCK))) * 1000.0;
}

long residentKiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').first().toLong();
        }
    }
    return -1;
}

bool waitFor(const std::function<bool()>& done, int timeoutMs = 120000) {
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return done();
}

// An account with 1,000 conversations, one of them holding 100,000 messages; the policy is
// acknowledged and the server unreachable (the app works offline).
bool buildProfile(const QString& directory, crypto::ConversationId& large) {
    auto root = crypto::RootIdentity::generate();
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    auto node = crypto::NodeIdentity::enroll(*root, now);
    crypto::SecureBuffer klds(32);
    crypto::systemRandom().fill(klds.span());
    if (!root || !node ||
        !storage::KeyVault::create(directory, root->id(), klds, crypto::asBytes(kPassphrase))) {
        return false;
    }
    net::ServerEndpoint nowhere;
    nowhere.host = QStringLiteral("127.0.0.1");
    nowhere.port = 9; // discard: nothing listens
    nowhere.certificateSha256 = QByteArray(32, '\0');
    if (!client::AccountDirectory(directory).saveServer(nowhere)) {
        return false;
    }
    auto store = storage::Store::open(directory, klds);
    if (!store) {
        return false;
    }
    storage::IdentityRecord identity;
    identity.username = "bench";
    identity.rootId = root->id();
    identity.rootPublicKey = root->publicKey().bytes();
    identity.rootPrivateKey = root->key().exportPrivate().value();
    identity.remoteStorageKey = root->remoteStorageKey().clone();
    identity.nodeStorageRootKey = root->nodeStorageRootKey().clone();
    identity.nodeId = node->id();
    identity.nodePublicKey = node->key().publicKey().bytes();
    identity.nodePrivateKey = node->key().exportPrivate().value();
    identity.nodeCertificate = node->certificate();
    identity.createdAtMs = now;
    const std::uint8_t yes = 1;
    if (!(*store)->keys().saveIdentity(identity) ||
        !(*store)->settings().set("ephemerality-policy-acknowledged", crypto::ByteView(&yes, 1))) {
        return false;
    }
    std::vector<storage::MessageRecord> batch;
    const auto message = [&](const crypto::ConversationId& conversation, std::uint64_t n,
                             std::int64_t sentAt) {
        storage::MessageRecord m;
        crypto::systemRandom().fill(m.id);
        m.conversationId = conversation;
        m.senderRootId.fill(0x11);
        m.senderNodeId.fill(0x22);
        m.sequence = n + 1;
        m.sentAtMs = sentAt;
        m.receivedAtMs = sentAt;
        content::Content body;
        body.mutable_text()->set_text("message number " + std::to_string(n) +
                                      " with a few words of ordinary length in it");
        const std::string bytes = body.SerializeAsString();
        m.body = crypto::Bytes(bytes.begin(), bytes.end());
        m.ephemerality = {crypto::kMaxTtlSeconds, false, 0};
        m.readState = storage::ReadState::Read;
        return m;
    };
    for (int i = 0; i < kConversations; ++i) {
        storage::ConversationRecord c;
        crypto::systemRandom().fill(c.id);
        c.kind = storage::ConversationKind::Direct;
        c.title = "contact-" + std::to_string(i);
        crypto::RootId peer{};
        crypto::systemRandom().fill(peer);
        c.peerRootId = peer;
        c.defaults = {7 * 86400, false, 0};
        c.createdAtMs = now;
        if (!(*store)->conversations().save(c)) {
            return false;
        }
        if (i == 0) {
            large = c.id;
            for (int n = 0; n < kLargeConversation; ++n) {
                batch.push_back(
                    message(c.id, static_cast<std::uint64_t>(n), now - kLargeConversation + n));
                if (batch.size() == 10'000) {
                    if (!(*store)->messages().insertBatch(batch)) {
                        return false;
                    }
                    batch.clear();
                }
            }
        } else {
            batch.push_back(message(c.id, 0, now - i));
        }
    }
    return batch.empty() || (*store)->messages().insertBatch(batch);
}

// Percentile of sorted values (nearest rank).
double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
    return sorted[rank];
}

// Opens a ChatPage over the window (as MainPage does) and moves its message list up by
// `stepPx` per rendered frame until the first message is in view. Prints the frame times: what
// each frame cost to build and render, the figure that decides whether 60 Hz can be held (this
// platform does not wait for a display's vertical sync).
bool scrollToTheTop(QQmlApplicationEngine& engine, QQuickWindow& window,
                    const QString& conversationId, qreal stepPx) {
    QQmlComponent component(&engine);
    component.setData("import Cinder\nChatPage {}\n", QUrl());
    std::unique_ptr<QObject> object(component.createWithInitialProperties(
        {{QStringLiteral("conversationId"), conversationId}}));
    auto* page = qobject_cast<QQuickItem*>(object.get());
    if (page == nullptr) {
        std::fprintf(stderr, "app_bench: ChatPage did not load\n");
        return false;
    }
    page->setParentItem(window.contentItem());
    page->setSize(window.contentItem()->size());
    page->setZ(100);
    auto* list = page->findChild<QQuickItem*>(QStringLiteral("messageList"));
    auto* model = list ? list->property("model").value<app::MessageListModel*>() : nullptr;
    if (list == nullptr || model == nullptr ||
        !waitFor([&] { return list->property("count").toInt() > 0; })) {
        std::fprintf(stderr, "app_bench: the chat view shows no messages\n");
        return false;
    }
    waitFor([&] { return false; }, 500); // let it settle at the newest message
    // A reader scrolling up has left the end: new rows no longer pull the view down to it.
    list->setProperty("atEnd", false);

    std::vector<double> frames;
    QElapsedTimer sinceFrame;
    QElapsedTimer total;
    bool done = false;
    const auto connection = QObject::connect(&window, &QQuickWindow::frameSwapped, list, [&] {
        if (sinceFrame.isValid()) {
            frames.push_back(static_cast<double>(sinceFrame.nsecsElapsed()) / 1e6);
        }
        sinceFrame.start();
        const qreal originY = list->property("originY").toReal();
        const qreal contentY = list->property("contentY").toReal();
        if (contentY <= originY + 0.5 && model->atBeginning()) {
            done = true;
            return;
        }
        list->setProperty("contentY", std::max(originY, contentY - stepPx));
        window.update();
    });
    total.start();
    window.update();
    waitFor([&] { return done; }, 600000);
    QObject::disconnect(connection);
    std::sort(frames.begin(), frames.end());
    const double slow = static_cast<double>(std::count_if(
        frames.cbegin(), frames.cend(), [](double ms) { return ms > 1000.0 / 60.0; }));
    std::printf("scrolled the chat view to the top of %d messages (%.0f px per frame): %zu frames "
                "in %.1f s, %s\n",
                model->rowCount(), stepPx, frames.size(),
                static_cast<double>(total.elapsed()) / 1000.0,
                done ? "reached the first message" : "DID NOT reach the first message");
    std::printf("  frame time p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, worst %.1f ms; %.2f%% of "
                "frames over 16.7 ms\n",
                percentile(frames, 50), percentile(frames, 95), percentile(frames, 99),
                frames.empty() ? 0.0 : frames.back(),
                frames.empty() ? 0.0 : 100.0 * slow / static_cast<double>(frames.size()));
    std::printf("resident memory with the view at the top: %ld MiB\n", residentKiB() / 1024);
    return done;
}

// 5. A 1 GiB file sent from the app to a contact over a real cinder-server on loopback, with
//    the window rendering a frame whenever it can and a 10 ms timer on the GUI thread: how late
//    the timer fires and how long frames take while the session encrypts and uploads.
bool sendLargeFile(app::AppController& controller, QQuickWindow& window, const QString& base) {
    test::ServerProcess server(QStringLiteral(CINDER_SERVER_BINARY));
    if (!server.start()) {
        std::fprintf(stderr, "app_bench: cinder-server did not start: %s\n",
                     qPrintable(server.errorString()));
        return false;
    }
    QTemporaryDir scratch(base + QStringLiteral("/app_bench-transfer-XXXXXX"));
    const auto account = [&](const char* name) {
        return client::Session::createAccount(
            scratch.filePath(QString::fromLatin1(name)),
            {name, crypto::SecureBuffer::copyOf(crypto::asBytes(kPassphrase)), server.endpoint()});
    };
    {
        // The contact only has to exist (with its prekeys on the server); it stays offline.
        auto peer = account("peer");
        auto sender = account("sender");
        if (!peer || !sender) {
            std::fprintf(stderr, "app_bench: an account was not created: %s\n",
                         client::describe(peer ? sender.error() : peer.error()).data());
            return false;
        }
        (*peer)->goOnline(); // logs in and uploads its prekeys
        if (!(*peer)->waitUntilOnline(30000) || !(*peer)->waitUntilIdle(30000)) {
            std::fprintf(stderr, "app_bench: the contact's device did not come online\n");
            return false;
        }
    }
    controller.lock();
    waitFor([&] { return !controller.host()->hasSession(); }, 10000);
    controller.configure(scratch.filePath(QStringLiteral("sender")), server.endpoint(), {});
    controller.unlock(QString::fromStdString(kPassphrase));
    if (!waitFor([&] { return controller.state() == app::AppController::State::PolicyPending; })) {
        std::fprintf(stderr, "app_bench: the sender did not unlock\n");
        return false;
    }
    controller.acknowledgePolicy();
    app::ContactsController contacts;
    contacts.setHost(controller.host());
    QString conversation;
    QObject::connect(&contacts, &app::ContactsController::conversationOpened,
                     [&](const QString& id) { conversation = id; });
    contacts.startChat(QStringLiteral("peer"));
    app::ConversationController chat;
    chat.setHost(controller.host());
    if (!waitFor([&] { return !conversation.isEmpty(); })) {
        std::fprintf(stderr, "app_bench: no conversation with the contact\n");
        return false;
    }
    chat.setConversationId(conversation);
    if (!waitFor([&] { return chat.canSend(); })) {
        std::fprintf(stderr, "app_bench: the conversation cannot send\n");
        return false;
    }

    const QString path = scratch.filePath(QStringLiteral("large.bin"));
    {
        QFile file(path);
        QByteArray chunk(8 << 20, '\0');
        for (qsizetype i = 0; i < chunk.size(); i += 4096) {
            chunk[i] = static_cast<char>(i / 4096);
        }
        if (!file.open(QIODevice::WriteOnly)) {
            return false;
        }
        for (int part = 0; part < 128; ++part) {
            if (file.write(chunk) != chunk.size()) {
                return false;
            }
        }
    }

    std::vector<double> late;
    std::vector<double> frames;
    QElapsedTimer sinceTick;
    QElapsedTimer sinceFrame;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        if (sinceTick.isValid()) {
            late.push_back(std::max(0.0, static_cast<double>(sinceTick.nsecsElapsed()) / 1e6 - 10));
        }
        sinceTick.start();
    });
    const auto frameConnection = QObject::connect(&window, &QQuickWindow::frameSwapped, &tick, [&] {
        if (sinceFrame.isValid()) {
            frames.push_back(static_cast<double>(sinceFrame.nsecsElapsed()) / 1e6);
        }
        sinceFrame.start();
        window.update();
    });
    bool started = false;
    QElapsedTimer transfer;
    transfer.start();
    tick.start(10);
    window.update();
    if (!chat.sendFiles({QUrl::fromLocalFile(path)})) {
        std::fprintf(stderr, "app_bench: the file was refused\n");
        return false;
    }
    const bool finished = waitFor(
        [&] {
            started = started || chat.uploadProgress() >= 0;
            return started && chat.uploadProgress() < 0;
        },
        900000);
    tick.stop();
    QObject::disconnect(frameConnection);
    std::sort(late.begin(), late.end());
    std::sort(frames.begin(), frames.end());
    std::printf("1 GiB file sent to a contact through a local cinder-server: %s in %.1f s\n",
                finished ? "done" : "NOT FINISHED",
                static_cast<double>(transfer.elapsed()) / 1000.0);
    std::printf(
        "  GUI thread meanwhile: a 10 ms timer late by p50 %.1f ms, p99 %.1f ms, worst %.1f "
        "ms; frames p50 %.1f ms, p99 %.1f ms, worst %.1f ms (%zu frames)\n",
        percentile(late, 50), percentile(late, 99), late.empty() ? 0.0 : late.back(),
        percentile(frames, 50), percentile(frames, 99), frames.empty() ? 0.0 : frames.back(),
        frames.size());
    std::printf("  resident memory after the transfer: %ld MiB\n", residentKiB() / 1024);
    controller.lock();
    waitFor([&] { return !controller.host()->hasSession(); }, 10000);
    return finished;
}

} // namespace

int main(int argc, char* argv[]) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication application(argc, argv);
    QElapsedTimer sinceApp;
    sinceApp.start();
    const double ageAtApp = processAgeMs();

    const QString base = qEnvironmentVariable("CINDER_BENCH_DIR", QDir::currentPath());
    QTemporaryDir scratch(base + QStringLiteral("/app_bench-XXXXXX"));
    const QString profile = scratch.filePath(QStringLiteral("profile"));
    QDir().mkpath(profile);
    crypto::ConversationId large{};

    // 1. Process start -> first frame of the unlock screen. The profile is built after the
    //    measurement, so the unlock screen comes up for an empty folder: the same code path as
    //    an existing account up to the first frame (only the page differs).
    auto* controller = new app::AppController(&application);
    controller->configure(profile, {}, {});
    QQmlApplicationEngine engine;
    app::AppController::attach(&engine, controller);
    // The module is compiled in (resources under /qt/qml); never look for it beside the binary.
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Cinder/Main.qml")));
    auto* window = engine.rootObjects().isEmpty()
                       ? nullptr
                       : qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    if (window == nullptr) {
        std::fprintf(stderr, "app_bench: Main.qml did not load\n");
        return 1;
    }
    bool framed = false;
    QObject::connect(window, &QQuickWindow::frameSwapped, &application, [&] { framed = true; });
    waitFor([&] { return framed; });
    std::printf("first frame: %.0f ms after process start (%.0f ms after QApplication)\n",
                ageAtApp + static_cast<double>(sinceApp.elapsed()),
                static_cast<double>(sinceApp.elapsed()));

    // `app_bench --transfer` runs only the file transfer (step 5).
    const bool transferOnly = application.arguments().contains(QStringLiteral("--transfer"));
    if (transferOnly) {
        return sendLargeFile(*controller, *window, base) ? 0 : 1;
    }

    // 2. The profile, then unlock -> conversation list with 1,000 conversations.
    QElapsedTimer build;
    build.start();
    if (!buildProfile(profile, large)) {
        std::fprintf(stderr, "app_bench: the profile could not be built\n");
        return 1;
    }
    std::printf("profile: %d conversations, one of %d messages, built in %.1f s\n", kConversations,
                kLargeConversation, static_cast<double>(build.elapsed()) / 1000.0);
    QElapsedTimer scrypt;
    scrypt.start();
    (void)storage::KeyVault::derivePassphraseKey(profile, crypto::asBytes(kPassphrase));
    const qint64 scryptMs = scrypt.elapsed();

    controller->configure(profile, {}, {});
    app::ConversationListModel list;
    list.setHost(controller->host());
    QElapsedTimer unlock;
    unlock.start();
    controller->unlock(QString::fromStdString(kPassphrase));
    waitFor([&] { return list.rowCount() == kConversations; });
    const qint64 unlockMs = unlock.elapsed();
    std::printf("unlock to conversation list (%d rows): %lld ms; scrypt alone %lld ms; "
                "after scrypt %lld ms\n",
                list.rowCount(), static_cast<long long>(unlockMs), static_cast<long long>(scryptMs),
                static_cast<long long>(unlockMs - scryptMs));

    // 3. Open the 100,000-message conversation and page to the top (the model alone).
    {
        app::MessageListModel messages;
        messages.setHost(controller->host());
        QElapsedTimer open;
        open.start();
        messages.setConversationId(app::SessionHost::hex(large));
        waitFor([&] { return messages.rowCount() > 0; });
        std::printf("open conversation: first %d messages in %lld ms\n", messages.rowCount(),
                    static_cast<long long>(open.elapsed()));
        std::printf("resident memory with it open: %ld MiB\n", residentKiB() / 1024);
        QElapsedTimer paging;
        paging.start();
        int pages = 0;
        qint64 worst = 0;
        while (!messages.atBeginning() && pages < 5000) {
            QElapsedTimer page;
            page.start();
            const int before = messages.rowCount();
            messages.fetchMore({});
            waitFor([&] { return messages.rowCount() > before || messages.atBeginning(); });
            worst = std::max(worst, page.elapsed());
            ++pages;
        }
        std::printf("paged %d x %d messages towards the top: %.1f ms per page on average, worst "
                    "%lld ms (a frame at 60 Hz is 16.7 ms; pages load off the GUI thread)\n",
                    pages, app::MessageListModel::kPageSize,
                    pages > 0 ? static_cast<double>(paging.elapsed()) / pages : 0.0,
                    static_cast<long long>(worst));
        std::printf("resident memory after paging %d messages: %ld MiB\n", messages.rowCount(),
                    residentKiB() / 1024);
    }

    // 4. The same conversation in the real chat view, scrolled from the newest message to the
    //    very first, one step per frame, older pages loading as the top comes into view.
    if (!scrollToTheTop(engine, *window, app::SessionHost::hex(large), 1500)) {
        return 1;
    }

    if (!sendLargeFile(*controller, *window, base)) {
        return 1;
    }
    return 0;
}
