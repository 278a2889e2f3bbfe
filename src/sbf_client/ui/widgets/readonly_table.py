"""The small read-only tables of cards and dialogs (选择单位, 确认参保登记信息, 职工参保明细, 更新数据明细, the demo
accounts): a few rows shown at once, never edited, each cell's whole text in its tooltip. Lists over the
database use ``ListTable`` instead."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

MIN_COLUMN_WIDTH = 40


def readonly_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]] = (),
    *,
    widths: Iterable[int] = (),
    stretch: int | None = None,
    right_aligned: frozenset[int] = frozenset(),
    first_column: int = 0,
) -> QTableWidget:
    """A table of ``rows`` (text values placed from ``first_column`` on, leaving earlier columns to the caller's
    widgets); ``widths`` in order from column 0, ``stretch`` takes the rest of the width."""
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setMinimumSectionSize(MIN_COLUMN_WIDTH)
    for row, values in enumerate(rows):
        for column, value in enumerate(values, start=first_column):
            cell = QTableWidgetItem(value)
            cell.setToolTip(value)
            if column in right_aligned:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, cell)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
