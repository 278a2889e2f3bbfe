"""``SqlTableModel``: a lazy table model over an ``SqlSource``.

The ordered keys of the whole result are computed on a worker thread; the columns of a row are fetched with
its block of 500 keys the first time the view paints it, and a few dozen blocks are kept. So a list of
100,000 people costs one keys query and a handful of small row queries, whatever the user scrolls to.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from sbf_client.ui.tasks import TaskRunner
from sbf_client.ui.widgets.sql_source import Filter, SqlSource

BLOCK_SIZE = 500
CACHED_BLOCKS = 40
CHECK_COLUMN_KEY = "_check"
NUMBER_COLUMN_KEY = "_number"
NUMBER_TITLE = "序号"
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "right": Qt.AlignmentFlag.AlignRight,
    "center": Qt.AlignmentFlag.AlignHCenter,
}
Index = QModelIndex | QPersistentModelIndex


class SqlTableModel(QAbstractTableModel):
    """Columns: an optional checkbox, an optional 序号, the source's columns, then any action columns."""

    loaded = Signal(int)  # the exact total of the finished query
    loading_changed = Signal(bool)  # True when a query starts, False when the last one started ends (or fails)
    page_changed = Signal()

    def __init__(
        self,
        source: SqlSource,
        runner: TaskRunner,
        *,
        checkable: bool = False,
        numbered: bool = False,
        page_size: int | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.runner = runner
        self.checkable = checkable
        self.numbered = numbered
        self._page_size = page_size
        self._page = 0
        self._keys: list[Any] = []
        self._blocks: OrderedDict[int, dict[Any, tuple]] = OrderedDict()
        self._checked: set[Any] = set()
        self._actions: list[tuple[str, list[str]]] = []
        self._filters: list[Filter] = []
        self._order_column: str | None = None
        self._descending = False
        self._generation = 0
        self._loading = False
        self._has_loaded = False
        self._data_start = int(checkable) + int(numbered)

    # ------------------------------------------------------------------ querying
    def set_query(self, filters: Sequence[Filter], order_column: str | None = None, descending: bool = False) -> None:
        """Recompute the ordered keys off the UI thread, back to the first page; ``loaded`` follows.

        Checked keys survive a query with the same filters (a re-sort) and are cleared by any other."""
        if order_column is not None:
            self.source.column(order_column)  # unknown keys fail here, on the caller's thread
        new_filters = list(filters)
        keep_checks = new_filters == self._filters
        self._filters, self._order_column, self._descending = new_filters, order_column, descending
        if not keep_checks:
            self._checked.clear()
        self._start(reset_page=True)

    def refresh(self) -> None:
        """Re-run the last query (the data changed); checked keys that still match stay checked."""
        self._start(reset_page=False)

    def _start(self, *, reset_page: bool) -> None:
        self._generation += 1
        generation = self._generation
        self._loading = True
        self.loading_changed.emit(True)
        source, filters, order_column, descending = self.source, self._filters, self._order_column, self._descending

        def work(_progress: Any) -> list[Any]:
            return source.keys(filters, order_column, descending)

        def done(keys: list[Any]) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                self._apply(keys, reset_page)

        def failed(_error: BaseException) -> bool:
            stale = not shiboken6.isValid(self) or generation != self._generation
            if not stale:
                self._loading = False
                self.loading_changed.emit(False)
            return stale  # a superseded query's error is not worth a message

        owner = self.parent()
        dialog_parent = owner if isinstance(owner, QWidget) else None
        self.runner.run(work, done, parent=dialog_parent, on_error=failed, show_progress=False)

    def _apply(self, keys: list[Any], reset_page: bool) -> None:
        self.beginResetModel()
        self._keys = keys
        self._blocks.clear()
        if self._checked:
            self._checked &= set(keys)
        if reset_page:
            self._page = 0
        self._page = min(self._page, self.page_count() - 1)
        self._loading = False
        self._has_loaded = True
        self.endResetModel()
        self.page_changed.emit()
        self.loaded.emit(len(keys))
        self.loading_changed.emit(False)

    def is_loading(self) -> bool:
        return self._loading

    def has_loaded(self) -> bool:
        """Whether any query has finished: until then the total is not known, not 0."""
        return self._has_loaded

    def total(self) -> int:
        return len(self._keys)

    def sort_state(self) -> tuple[str | None, bool]:
        return self._order_column, self._descending

    # ------------------------------------------------------------------ paging
    def page_size(self) -> int | None:
        return self._page_size

    def set_page_size(self, size: int | None) -> None:
        self.beginResetModel()
        self._page_size = size
        self._page = 0
        self.endResetModel()
        self.page_changed.emit()

    def page(self) -> int:
        return self._page

    def page_count(self) -> int:
        if not self._page_size:
            return 1
        return max(1, -(-len(self._keys) // self._page_size))

    def set_page(self, page: int) -> None:
        page = max(0, min(page, self.page_count() - 1))
        if page != self._page:
            self.beginResetModel()
            self._page = page
            self.endResetModel()
            self.page_changed.emit()

    def _offset(self) -> int:
        return self._page * self._page_size if self._page_size else 0

    def key_at(self, row: int) -> Any:
        position = self._offset() + row
        return self._keys[position] if 0 <= row < self.rowCount() else None

    # ------------------------------------------------------------------ checking
    def checked_keys(self) -> list[Any]:
        """The checked keys, in result order."""
        if not self._checked:
            return []
        return [key for key in self._keys if key in self._checked]

    def set_checked(self, key: Any, checked: bool) -> None:
        if checked:
            self._checked.add(key)
        else:
            self._checked.discard(key)
        self._check_column_changed()

    def check_all_on_page(self, checked: bool) -> None:
        visible = self._keys[self._offset() : self._offset() + self.rowCount()]
        if checked:
            self._checked.update(visible)
        else:
            self._checked.difference_update(visible)
        self._check_column_changed()

    def _check_column_changed(self) -> None:
        if self.checkable and self.rowCount():
            last = self.index(self.rowCount() - 1, 0)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.CheckStateRole])

    # ------------------------------------------------------------------ columns
    def add_action_column(self, title: str, labels: Sequence[str]) -> int:
        """A trailing column of link texts (painted by ``ActionDelegate``); returns its column index."""
        self.beginResetModel()
        self._actions.append((title, list(labels)))
        self.endResetModel()
        return self.columnCount() - 1

    def action_labels(self, column: int) -> list[str] | None:
        action = column - self._data_start - len(self.source.columns)
        return self._actions[action][1] if 0 <= action < len(self._actions) else None

    def is_check_column(self, column: int) -> bool:
        return self.checkable and column == 0

    def column_key(self, column: int) -> str:
        """A stable name for a column, used to persist its width."""
        if self.is_check_column(column):
            return CHECK_COLUMN_KEY
        if self.numbered and column == int(self.checkable):
            return NUMBER_COLUMN_KEY
        data = column - self._data_start
        if data < len(self.source.columns):
            return self.source.columns[data].key
        return f"_action.{self._actions[data - len(self.source.columns)][0]}"

    def default_width(self, column: int) -> int:
        if self.is_check_column(column):
            return 40
        if self.numbered and column == int(self.checkable):
            return 70
        data = column - self._data_start
        return self.source.columns[data].width if data < len(self.source.columns) else 120

    # ------------------------------------------------------------------ Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        if parent.isValid():
            return 0
        if not self._page_size:
            return len(self._keys)
        return max(0, min(self._page_size, len(self._keys) - self._offset()))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._data_start + len(self.source.columns) + len(self._actions)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if self.is_check_column(section):
            return ""
        if self.numbered and section == int(self.checkable):
            return NUMBER_TITLE
        data = section - self._data_start
        if data < len(self.source.columns):
            return self.source.columns[data].title
        return self._actions[data - len(self.source.columns)][0]

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_check_column(index.column()):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole:
            if not self.is_check_column(column):
                return None
            checked = self.key_at(index.row()) in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        data = column - self._data_start
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = "center" if data < 0 else "left"
            if 0 <= data < len(self.source.columns):
                align = self.source.columns[data].align
            return _ALIGN.get(align, Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if self.numbered and column == int(self.checkable):
            return str(self._offset() + index.row() + 1)
        if not 0 <= data < len(self.source.columns):
            return None
        values = self._row_values(self._offset() + index.row())
        if values is None:
            return ""  # deleted since the keys were read; the next refresh drops it
        value = values[data]
        if value is None:
            return ""
        formatter = self.source.columns[data].format
        return formatter(value) if formatter is not None else str(value)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not self.is_check_column(index.column()):
            return False
        key = self.key_at(index.row())
        if key is None:
            return False
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(key)
        else:
            self._checked.discard(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        data = column - self._data_start
        if not 0 <= data < len(self.source.columns) or not self.source.columns[data].sortable:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self._filters, self.source.columns[data].key, descending)

    def _row_values(self, position: int) -> tuple | None:
        block = position // BLOCK_SIZE
        rows = self._blocks.get(block)
        if rows is None:
            keys = self._keys[block * BLOCK_SIZE : (block + 1) * BLOCK_SIZE]
            rows = self.source.rows(keys)
            self._blocks[block] = rows
            if len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        return rows.get(self._keys[position])
