"""Delegates for ``ListTable``: a centred checkbox toggled by a click anywhere in its cell, and link texts
(``查看``) that call back with the row's key. Painting beats one widget per cell on lists of 100,000 rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionButton, QStyleOptionViewItem

LINK_COLOR = QColor("#1e6fd9")
LINK_PADDING = 6
LINK_SPACING = 12
Index = QModelIndex | QPersistentModelIndex


def _paint_background(delegate: QStyledItemDelegate, painter: QPainter, option: QStyleOptionViewItem, index: Index):
    """The cell's background and selection as the style draws them, without text or checkbox."""
    item = QStyleOptionViewItem(option)
    delegate.initStyleOption(item, index)
    item.text = ""
    item.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    style = item.widget.style() if item.widget is not None else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
    return style


class CheckDelegate(QStyledItemDelegate):
    """The checkbox column: the box is centred and the whole cell is the click target."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        style = _paint_background(self, painter, option, index)
        size = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, option.widget)
        box = QStyleOptionButton()
        box.rect = QRect(0, 0, size, size)
        box.rect.moveCenter(option.rect.center())
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        box.state = QStyle.StateFlag.State_Enabled | (
            QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
        )
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, box, painter, option.widget)

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Index) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonDblClick:
            return True  # the second click of a double click already toggled; nothing else to do
        toggle = (
            kind == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and option.rect.contains(event.position().toPoint())
        ) or (kind == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select))
        if not toggle:
            return False
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        new_state = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
        return model.setData(index, new_state, Qt.ItemDataRole.CheckStateRole)


class ActionDelegate(QStyledItemDelegate):
    """A column of link texts; clicking one calls its callback with the row's key."""

    def __init__(
        self, actions: Sequence[tuple[str, Callable[[Any], None]]], key_at: Callable[[int], Any], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.actions = list(actions)
        self.key_at = key_at

    def link_rects(self, option: QStyleOptionViewItem) -> list[QRect]:
        """Where each link text sits in a cell: left to right, vertically centred."""
        metrics = QFontMetrics(option.font)
        rects, x = [], option.rect.left() + LINK_PADDING
        for label, _callback in self.actions:
            width = metrics.horizontalAdvance(label)
            rects.append(QRect(x, option.rect.top(), width, option.rect.height()))
            x += width + LINK_SPACING
        return rects

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        _paint_background(self, painter, option, index)
        painter.save()
        painter.setFont(option.font)
        painter.setPen(LINK_COLOR)
        for rect, (label, _callback) in zip(self.link_rects(option), self.actions, strict=True):
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.restore()

    def link_at(self, option: QStyleOptionViewItem, x: int) -> int | None:
        for number, rect in enumerate(self.link_rects(option)):
            if rect.left() <= x <= rect.right():
                return number
        return None

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Index) -> bool:
        if event.type() != QEvent.Type.MouseButtonRelease or not isinstance(event, QMouseEvent):
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        number = self.link_at(option, event.position().toPoint().x())
        if number is None:
            return False
        key = self.key_at(index.row())
        if key is not None:
            self.actions[number][1](key)
        return True
