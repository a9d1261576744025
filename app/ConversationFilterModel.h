// SPDX-License-Identifier: Apache-2.0
#pragma once

// Search over the conversation list: keeps the rows whose title contains filterText
// (case-insensitive).

#include <QQmlEngine>
#include <QSortFilterProxyModel>

namespace cinder::app {

class ConversationFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)

public:
    explicit ConversationFilterModel(QObject* parent = nullptr);
    [[nodiscard]] QString filterText() const { return m_filterText; }
    void setFilterText(const QString& text);
    // The conversation id of a row of this model.
    Q_INVOKABLE QString conversationIdAt(int row) const;

Q_SIGNALS:
    void filterTextChanged();

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow,
                                        const QModelIndex& sourceParent) const override;

private:
    QString m_filterText;
};

} // namespace cinder::app
