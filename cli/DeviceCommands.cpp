// SPDX-License-Identifier: Apache-2.0
// This account's devices: list them (from the signed device list) and remove another one.
#include "cli/Commands.h"

#include <QDateTime>
#include <QJsonObject>

namespace cinder::cli {

ExitCode runDevices(Context& context) {
    const QString sub = context.word(1);
    if (sub != u"list" && sub != u"remove") {
        usage(QStringLiteral("devices needs list or remove"));
    }
    client::Session& session = context.session();
    context.goOnline(false); // the list is fetched fresh when the server is reachable
    if (sub == u"list") {
        for (const client::DeviceInfo& device : check(session.devices())) {
            const QString created =
                QDateTime::fromMSecsSinceEpoch(device.createdAtMs, Qt::UTC).toString(Qt::ISODate);
            context.out().result(
                {{QStringLiteral("nodeId"), hex(device.nodeId)},
                 {QStringLiteral("createdAtMs"), static_cast<qint64>(device.createdAtMs)},
                 {QStringLiteral("thisDevice"), device.thisDevice}},
                QStringLiteral("%1  %2%3")
                    .arg(hex(device.nodeId), created,
                         device.thisDevice ? QStringLiteral("  (this device)") : QString()));
        }
        return ExitCode::Ok;
    }
    const QString text = context.words(2, 1, QStringLiteral("the node id")).first();
    const auto nodeId = parseId<crypto::kNodeIdSize>(text, QStringLiteral("a node id"));
    if (nodeId == session.nodeId()) {
        usage(QStringLiteral("this device cannot remove itself"));
    }
    check(session.removeDevice(nodeId), QStringLiteral("remove"));
    context.out().result(
        {{QStringLiteral("nodeId"), hex(nodeId)}, {QStringLiteral("removed"), true}},
        QStringLiteral("removed %1").arg(hex(nodeId)));
    context.flush();
    return ExitCode::Ok;
}

} // namespace cinder::cli
