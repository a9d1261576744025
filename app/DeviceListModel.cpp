// SPDX-License-Identifier: Apache-2.0
#include "app/DeviceListModel.h"

#include "app/AppController.h"

namespace cinder::app {

DeviceListModel::DeviceListModel(QObject* parent) : QAbstractListModel(parent) {}

void DeviceListModel::setHost(SessionHost* host) {
    if (m_host != host) {
        m_host = host;
        Q_EMIT hostChanged();
        reload();
    }
}

void DeviceListModel::reload() {
    if (!m_host) {
        return;
    }
    using Loaded = client::SessionResult<std::vector<client::DeviceInfo>>;
    m_host->run<Loaded>([](client::Session& session) { return session.devices(); }, this,
                        [this](Loaded devices) {
                            if (!devices) {
                                m_lastError = errorMessage(devices.error());
                                Q_EMIT lastErrorChanged();
                                return;
                            }
                            beginResetModel();
                            m_devices.clear();
                            for (const client::DeviceInfo& device : *devices) {
                                m_devices.append(
                                    DeviceItem{SessionHost::hex(device.nodeId),
                                               QDateTime::fromMSecsSinceEpoch(device.createdAtMs),
                                               device.thisDevice});
                            }
                            endResetModel();
                        });
}

void DeviceListModel::remove(const QString& nodeId) {
    const auto node = SessionHost::idFromHex<crypto::kNodeIdSize>(nodeId);
    if (!m_host || !node) {
        return;
    }
    m_host->run<std::optional<client::SessionError>>(
        [node](client::Session& session) -> std::optional<client::SessionError> {
            auto removed = session.removeDevice(*node);
            return removed ? std::nullopt : std::optional(removed.error());
        },
        this,
        [this](std::optional<client::SessionError> error) {
            m_lastError = error ? errorMessage(*error) : QString();
            Q_EMIT lastErrorChanged();
            reload();
        });
}

int DeviceListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_devices.size());
}

QVariant DeviceListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const DeviceItem& device = m_devices.at(index.row());
    switch (role) {
    case NodeIdRole:
        return device.nodeId;
    case Qt::DisplayRole:
    case ShortIdRole:
        return device.nodeId.left(8);
    case AddedAtRole:
        return device.addedAt;
    case ThisDeviceRole:
        return device.thisDevice;
    default:
        return {};
    }
}

QHash<int, QByteArray> DeviceListModel::roleNames() const {
    return {{NodeIdRole, "nodeId"},
            {ShortIdRole, "shortId"},
            {AddedAtRole, "addedAt"},
            {ThisDeviceRole, "thisDevice"}};
}

} // namespace cinder::app
