// SPDX-License-Identifier: Apache-2.0
// Accounts: init (a new user), login (a new device of an existing user), unlock, whoami, sync.
#include "cli/Commands.h"
#include "cli/Passphrase.h"

#include "crypto/Fingerprint.h"
#include "crypto/Kdf.h"

#include <QFileInfo>
#include <QJsonObject>

namespace cinder::cli {

using client::Session;

namespace {

net::ServerEndpoint serverOption(const Arguments& args) {
    const QString server = args.required(QStringLiteral("server"));
    const qsizetype colon = server.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? server.mid(colon + 1).toUInt(&portOk) : 0;
    if (!portOk || port == 0 || port > 65535) {
        usage(QStringLiteral("--server must be HOST:PORT"));
    }
    net::ServerEndpoint endpoint;
    endpoint.host = server.left(colon);
    if (endpoint.host.startsWith(QLatin1Char('[')) && endpoint.host.endsWith(QLatin1Char(']'))) {
        endpoint.host = endpoint.host.mid(1, endpoint.host.size() - 2);
    }
    endpoint.port = static_cast<quint16>(port);
    const bool hasFingerprint = args.has(QStringLiteral("fingerprint"));
    if (hasFingerprint == args.has(QStringLiteral("ca"))) {
        usage(QStringLiteral("give exactly one of --fingerprint HEX and --ca FILE"));
    }
    if (hasFingerprint) {
        const auto pin =
            net::ServerEndpoint::parseFingerprint(args.value(QStringLiteral("fingerprint")));
        if (!pin) {
            usage(QStringLiteral("--fingerprint must be the certificate's SHA-256 in hex"));
        }
        endpoint.certificateSha256 = *pin;
    } else {
        const QFileInfo ca(args.value(QStringLiteral("ca")));
        if (!ca.isFile() || !ca.isReadable()) {
            throw CliFailure(ExitCode::FileOrIntegrity,
                             QStringLiteral("cannot read the CA file %1").arg(ca.filePath()));
        }
        endpoint.caCertificateFile = ca.absoluteFilePath();
    }
    if (!endpoint.isValid()) {
        usage(QStringLiteral("--server is not a valid server address"));
    }
    return endpoint;
}

client::SessionOptions costOptions(const Context& context) {
    const Arguments& args = context.args();
    client::SessionOptions options;
    options.prefetchPrekeys = false; // a short-lived process would drop them unused
    const auto costOf = [&](const QString& name) -> std::optional<crypto::ScryptCost> {
        const auto log2N = args.integer(name, crypto::kScryptMinLog2N, crypto::kScryptMaxLog2N);
        if (!log2N) {
            return std::nullopt;
        }
        return crypto::ScryptCost{static_cast<std::uint32_t>(*log2N), 8, 1};
    };
    if (const auto vault = costOf(QStringLiteral("vault-cost"))) {
        options.vaultCost = *vault;
    }
    if (const auto recovery = costOf(QStringLiteral("recovery-cost"))) {
        options.recoveryCost = *recovery;
    }
    options.requestTimeoutMs =
        std::min(context.global().timeoutMs, client::ApiChannel::kDefaultTimeoutMs);
    return options;
}

using Enroll = client::SessionResult<std::unique_ptr<Session>> (*)(const QString&,
                                                                   const client::NewAccount&,
                                                                   client::SessionOptions);

// init and login: make the account here, then log in once so the new device publishes its
// prekeys (until it does, nobody can write to it).
ExitCode enroll(Context& context, Enroll how, const QString& verb, bool newPassphrase) {
    const Arguments& args = context.args();
    client::NewAccount account;
    account.server = serverOption(args);
    account.username = args.required(QStringLiteral("username")).toStdString();
    const client::SessionOptions options = costOptions(context);
    if (client::AccountDirectory(context.global().home).holdsAccount()) {
        fail(client::SessionError::AccountExists, context.global().home);
    }
    account.passphrase =
        Passphrase::obtain(context.global().passphraseFd,
                           QStringLiteral("Passphrase for the new account"), newPassphrase)
            .take();
    auto made = how(context.global().home, account, options);
    account.passphrase.clear();
    context.adopt(check(std::move(made), verb));
    Session& session = context.session();
    context.goOnline(true);
    context.flush();
    context.out().result(
        {{QStringLiteral("username"), QString::fromStdString(session.username())},
         {QStringLiteral("rootId"), hex(session.rootId())},
         {QStringLiteral("nodeId"), hex(session.nodeId())},
         {QStringLiteral("home"), context.global().home}},
        QStringLiteral("%1 %2 in %3")
            .arg(verb, QString::fromStdString(session.username()), context.global().home));
    return ExitCode::Ok;
}

} // namespace

ExitCode runInit(Context& context) {
    return enroll(context, &Session::createAccount, QStringLiteral("created"), true);
}

ExitCode runLogin(Context& context) {
    return enroll(context, &Session::signIn, QStringLiteral("signed in"), false);
}

ExitCode runUnlock(Context& context) {
    Session& session = context.session();
    context.out().result({{QStringLiteral("username"), QString::fromStdString(session.username())}},
                         QString::fromStdString(session.username()));
    return ExitCode::Ok;
}

ExitCode runWhoami(Context& context) {
    Session& session = context.session();
    QJsonObject object{{QStringLiteral("username"), QString::fromStdString(session.username())},
                       {QStringLiteral("rootId"), hex(session.rootId())},
                       {QStringLiteral("nodeId"), hex(session.nodeId())},
                       {QStringLiteral("home"), context.global().home}};
    QString text = QStringLiteral("username:    %1\nroot id:     %2\nnode id:     %3")
                       .arg(QString::fromStdString(session.username()), hex(session.rootId()),
                            hex(session.nodeId()));
    if (auto own = session.ownVerification()) {
        const QString digits = QString::fromStdString(own->fingerprintDigits);
        object.insert(QStringLiteral("fingerprint"), digits);
        text += QStringLiteral("\nfingerprint: %1").arg(digits);
    }
    context.out().result(object, text);
    return ExitCode::Ok;
}

ExitCode runSync(Context& context) {
    context.goOnline(true);
    context.flush();
    const auto queued = context.session().outboxSize();
    context.out().result({{QStringLiteral("queued"), static_cast<qint64>(queued ? *queued : 0)}},
                         QStringLiteral("synchronised"));
    return ExitCode::Ok;
}

} // namespace cinder::cli
