// SPDX-License-Identifier: Apache-2.0
// The ephemerality policy: the session sends nothing the user writes before it is acknowledged
// on this device (docs/PROTOCOL.md §8.4), so a script or bot gives it explicitly, once.
#include "cli/Commands.h"

namespace cinder::cli {

namespace {

// What the desktop app's policy page says (ui/onboarding/EphemeralityPolicyPage.qml).
const QString kPolicyText = QStringLiteral(
    "Messages in Cinder burn. Every message expires: when its timer runs out it is deleted from "
    "every device, yours included. Messages can burn a short time after they are opened. "
    "Signing in on another device does not bring old messages along. People can still copy "
    "what they see: only send what you would trust the other person with.");

} // namespace

ExitCode runPolicy(Context& context) {
    const QString sub = context.word(1);
    if (sub != u"show" && sub != u"acknowledge") {
        usage(QStringLiteral("policy needs show or acknowledge"));
    }
    client::Session& session = context.session();
    if (sub == u"acknowledge") {
        check(session.acknowledgeEphemeralityPolicy(), QStringLiteral("policy"));
    }
    const bool acknowledged = session.ephemeralityPolicyAcknowledged();
    context.out().result(
        {{QStringLiteral("acknowledged"), acknowledged}, {QStringLiteral("policy"), kPolicyText}},
        QStringLiteral("%1\n%2").arg(
            kPolicyText, acknowledged ? QStringLiteral("acknowledged on this device")
                                      : QStringLiteral("not acknowledged on this device: "
                                                       "\"cinder-cli policy acknowledge\"")));
    return ExitCode::Ok;
}

} // namespace cinder::cli
