// SPDX-License-Identifier: Apache-2.0
#pragma once

// This account's devices from its signed device list; any other device can be removed.

#include "app/SessionHost.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QPointer>
#include <QQmlEngine>

namespace cinder::app {

struct DeviceItem {
    QString nodeId; // hex
    QDateTime addedAt;
    bool thisDevice = false;
};

class DeviceListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(cinder::app::SessionHost* host READ host WRITE setHost NOTIFY hostChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

public:
    enum Roles {
        NodeIdRole = Qt::UserRole + 1, // hex id
        ShortIdRole,                   // first 8 hex digits, for display
        AddedAtRole,                   // QDateTime
        ThisDeviceRole,                // bool
    };
    Q_ENUM(Roles)

    explicit DeviceListModel(QObject* parent = nullptr);
    [[nodiscard]] SessionHost* host() const { return m_host; }
    void setHost(SessionHost* host);
    [[nodiscard]] QString lastError() const { return m_lastError; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void reload();
    Q_INVOKABLE void remove(const QString& nodeId);

Q_SIGNALS:
    void hostChanged();
    void lastErrorChanged();

private:
    QPointer<SessionHost> m_host;
    QList<DeviceItem> m_devices;
    QString m_lastError;
};

} // namespace cinder::app
