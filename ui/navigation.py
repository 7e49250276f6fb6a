"""The sidebar's group separators: a thin horizontal line between groups of pages, not a blank
row. Shared by the province's and the ministry's windows (and the Settings categories)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

#: Marks a separator item (in Qt.ItemDataRole.UserRole + 1).
SEPARATOR_ROLE = Qt.ItemDataRole.UserRole + 1
#: Height of a separator row in pixels: the line and a little air around it.
SEPARATOR_HEIGHT = 9


class _SeparatorDelegate(QStyledItemDelegate):
    """Draws separator items as a 1 px line across the row; other items as usual."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not index.data(SEPARATOR_ROLE):
            super().paint(painter, option, index)
            return
        rect = option.rect  # type: ignore[attr-defined]
        painter.save()
        color = option.palette.color(QPalette.ColorRole.Mid)  # type: ignore[attr-defined]
        painter.setPen(QPen(color, 1))
        y = rect.center().y()
        painter.drawLine(rect.left() + 8, y, rect.right() - 8, y)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if index.data(SEPARATOR_ROLE):
            return QSize(1, SEPARATOR_HEIGHT)
        return super().sizeHint(option, index)


def prepare_sidebar(navigation: QListWidget) -> None:
    """Let ``navigation`` hold thin separators: rows of their own height, drawn as a line."""
    navigation.setUniformItemSizes(False)  # uniform sizes made every separator a full row
    navigation.setItemDelegate(_SeparatorDelegate(navigation))


def add_separator(navigation: QListWidget) -> QListWidgetItem:
    """A thin, non-selectable line after the last item; arrow keys pass over it."""
    separator = QListWidgetItem()
    separator.setFlags(Qt.ItemFlag.NoItemFlags)
    separator.setData(SEPARATOR_ROLE, True)
    separator.setSizeHint(QSize(1, SEPARATOR_HEIGHT))
    navigation.addItem(separator)
    return separator


def is_separator(item: QListWidgetItem | None) -> bool:
    return item is not None and bool(item.data(SEPARATOR_ROLE))
