// SPDX-License-Identifier: Apache-2.0
// Contacts (add, list, show, refresh, accept a changed identity) and key verification
// (safety code, marking verified, this account's QR code, reading a contact's QR code).
#include "cli/Commands.h"
#include "cli/QrCode.h"

#include "crypto/Fingerprint.h"

#include <QFileInfo>
#include <QJsonObject>

namespace cinder::cli {

namespace {

QString stateOf(const client::Contact& contact) {
    if (contact.identityChanged) {
        return QStringLiteral("IDENTITY CHANGED (sending blocked; see contacts accept)");
    }
    return contact.verified ? QStringLiteral("verified") : QStringLiteral("unverified");
}

void printContact(Context& context, const client::Contact& contact) {
    const QString name = QString::fromStdString(contact.username);
    context.out().result(
        {{QStringLiteral("username"), name},
         {QStringLiteral("rootId"), hex(contact.rootId)},
         {QStringLiteral("verified"), contact.verified},
         {QStringLiteral("identityChanged"), contact.identityChanged},
         {QStringLiteral("deviceListVersion"), static_cast<qint64>(contact.deviceListVersion)}},
        QStringLiteral("%1  %2  %3").arg(name, hex(contact.rootId), stateOf(contact)));
}

client::Contact knownContact(Context& context, const QString& name) {
    auto found = context.session().knownContact(name.toStdString());
    if (!found || !*found) {
        fail(client::SessionError::UnknownUser, name);
    }
    return std::move(**found);
}

// The contact, looked up on the server first when this device has not met them yet.
void ensureContact(Context& context, const QString& name) {
    client::Session& session = context.session();
    if (auto found = session.knownContact(name.toStdString()); found && *found) {
        return;
    }
    context.goOnline(false);
    (void)check(session.addContact(name.toStdString()), name);
}

} // namespace

ExitCode runContacts(Context& context) {
    const QString sub = context.word(1);
    client::Session& session = context.session();
    if (sub == u"list") {
        for (const client::Contact& contact : check(session.contacts())) {
            printContact(context, contact);
        }
        return ExitCode::Ok;
    }
    const QString name = context.words(2, 1, QStringLiteral("the contact's name")).first();
    const std::string username = name.toStdString();
    if (sub == u"add") {
        context.goOnline(false);
        printContact(context, check(session.addContact(username), name));
    } else if (sub == u"show") {
        printContact(context, knownContact(context, name));
    } else if (sub == u"refresh") {
        context.goOnline(true);
        printContact(context, check(session.refreshContact(username), name));
    } else if (sub == u"accept") {
        context.goOnline(true);
        check(session.acceptIdentityChange(username), name);
        context.flush();
        printContact(context, knownContact(context, name));
    } else {
        usage(QStringLiteral("contacts needs add, list, show, refresh or accept"));
    }
    return ExitCode::Ok;
}

ExitCode runVerify(Context& context) {
    const QString sub = context.word(1);
    client::Session& session = context.session();
    if (sub == u"my-qr") {
        const QString out = context.args().required(QStringLiteral("out"));
        const crypto::Bytes payload = check(session.ownVerification()).ownQrPayload;
        if (const auto problem = writeQrPng(payload, out)) {
            throw CliFailure(ExitCode::FileOrIntegrity, *problem);
        }
        const QString path = QFileInfo(out).absoluteFilePath();
        context.out().result({{QStringLiteral("path"), path}},
                             QStringLiteral("QR code written to %1").arg(path));
        return ExitCode::Ok;
    }
    const QString name = context.words(2, 1, QStringLiteral("the contact's name")).first();
    const std::string username = name.toStdString();
    if (sub == u"show") {
        const client::VerificationInfo info = check(session.verification(username), name);
        context.out().result(
            {{QStringLiteral("username"), name},
             {QStringLiteral("safetyCode"), QString::fromStdString(info.safetyCode)},
             {QStringLiteral("fingerprint"), QString::fromStdString(info.fingerprintDigits)},
             {QStringLiteral("verified"), info.verified},
             {QStringLiteral("identityChanged"), info.identityChanged}},
            QStringLiteral("contact:     %1\nsafety code: %2\nfingerprint: %3\nverified:    %4%5")
                .arg(name, QString::fromStdString(info.safetyCode),
                     QString::fromStdString(info.fingerprintDigits),
                     info.verified ? QStringLiteral("yes") : QStringLiteral("no"),
                     info.identityChanged ? QStringLiteral("\nIDENTITY CHANGED") : QString()));
    } else if (sub == u"mark") {
        check(session.markVerified(username), name);
        printContact(context, knownContact(context, name));
    } else if (sub == u"qr") {
        const QString image = context.args().required(QStringLiteral("image"));
        QString problem;
        const auto payload = readQrImage(image, &problem);
        if (!payload) {
            throw CliFailure(ExitCode::FileOrIntegrity, problem);
        }
        ensureContact(context, name);
        const auto verified = session.verifyQr(username, *payload);
        if (!verified && verified.error() == client::SessionError::InvalidArgument) {
            throw CliFailure(ExitCode::FileOrIntegrity,
                             QStringLiteral("the QR code is not %1's pinned identity; %1 stays "
                                            "unverified")
                                 .arg(name));
        }
        check(verified, name);
        printContact(context, knownContact(context, name));
    } else {
        usage(QStringLiteral("verify needs show, mark, my-qr or qr"));
    }
    return ExitCode::Ok;
}

} // namespace cinder::cli
