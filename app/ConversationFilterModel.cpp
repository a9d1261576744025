// SPDX-License-Identifier: Apache-2.0
#include "app/ConversationFilterModel.h"

#include "app/ConversationListModel.h"

namespace cinder::app {

ConversationFilterModel::ConversationFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void ConversationFilterModel::setFilterText(const QString& text) {
    if (m_filterText == text) {
        return;
    }
    m_filterText = text;
    invalidateFilter();
    Q_EMIT filterTextChanged();
}

bool ConversationFilterModel::filterAcceptsRow(int sourceRow,
                                               const QModelIndex& sourceParent) const {
    if (m_filterText.trimmed().isEmpty()) {
        return true;
    }
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return index.data(ConversationListModel::TitleRole)
        .toString()
        .contains(m_filterText.trimmed(), Qt::CaseInsensitive);
}

QString ConversationFilterModel::conversationIdAt(int row) const {
    return index(row, 0).data(ConversationListModel::ConversationIdRole).toString();
}

} // namespace cinder::app
