"""``ListTableModel``: the one table model of every list page, over a ``ListSource``.

A query runs in two background steps: the first window of keys with its rows (what the first screen shows:
its cost does not grow with the table), then the whole ordered key list and so the exact total (paging,
jumping). Rows the view asks for later are fetched a block at a time on a worker thread; until a block
arrives its cells are empty, so ``data()`` never waits for the database.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from sbf_client.store.lists import ListQuery, ListSource
from sbf_client.ui.tasks import TaskRunner

BLOCK_SIZE = 500
CACHED_ROWS = 20_000
FIRST_WINDOW = 200
CHECK_COLUMN_KEY = "_check"
NUMBER_COLUMN_KEY = "_number"
NUMBER_TITLE = "序号"
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "right": Qt.AlignmentFlag.AlignRight,
    "center": Qt.AlignmentFlag.AlignHCenter,
}
Index = QModelIndex | QPersistentModelIndex
Formatter = Callable[[Any], str]


class ListTableModel(QAbstractTableModel):
    """Columns: an optional checkbox, an optional 序号, the spec's columns, then any action columns."""

    first_rows = Signal()  # the first window is shown; the total is still being counted
    loaded = Signal(int)  # the exact total of the finished query
    loading_changed = Signal(bool)  # True when a query starts, False when its keys are all in (or it failed)
    page_changed = Signal()

    def __init__(
        self,
        source: ListSource,
        runner: TaskRunner,
        formatters: Sequence[Formatter | None] = (),
        *,
        page_size: int | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.spec = source.spec
        self.runner = runner
        self.checkable = self.spec.checkable
        self.numbered = self.spec.numbered
        self._formatters = list(formatters) or [None] * len(self.spec.columns)
        self._page_size = page_size
        self._page = 0
        self._keys: Sequence[Any] = []
        self._complete = False  # whether _keys is the whole result, not only its first window
        self._rows: OrderedDict[Any, tuple] = OrderedDict()
        self._pending_blocks: set[int] = set()
        self._checked: set[Any] = set()
        self._actions: list[tuple[str, list[str]]] = []
        self._query = ListQuery()
        self._generation = 0
        self._whole_generation = -1  # the query whose whole result is on show (-1: none has finished yet)
        self._loading = False
        self._data_start = int(self.checkable) + int(self.numbered)

    # ------------------------------------------------------------------ querying
    def set_query(self, query: ListQuery) -> None:
        """Run ``query`` from its first page; checked keys survive a re-sort and are cleared by new filters."""
        if query.order_column is not None:
            self.spec.column(query.order_column)  # an unknown column fails here, on the caller's thread
        if not query.same_filters(self._query):
            self._checked.clear()
        self._query = query
        self._start(reset_page=True)

    def query(self) -> ListQuery:
        return self._query

    def refresh(self) -> None:
        """Re-run the last query (the data changed); checked keys that still match stay checked."""
        self._start(reset_page=False)

    def _run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        generation: int,
        undone: Callable[[], None] | None = None,
    ) -> None:
        """Run ``work`` on a worker; ``done`` gets its result unless a newer query started meanwhile. On failure
        ``undone`` (a block fetch) or the end of loading (a query); the user is told once, unless superseded."""

        def finished(result: Any) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                done(result)

        def failed(_error: BaseException) -> bool:
            stale = not shiboken6.isValid(self) or generation != self._generation
            if not stale and undone is not None:
                undone()
            elif not stale:
                self._loading = False
                self.loading_changed.emit(False)
            return stale  # a superseded query's error is not worth a message

        owner = self.parent()
        dialog_parent = owner if isinstance(owner, QWidget) else None
        self.runner.run(lambda _p: work(), finished, parent=dialog_parent, on_error=failed, show_progress=False)

    def _start(self, *, reset_page: bool) -> None:
        self._generation += 1
        generation = self._generation
        self._loading = True
        self.loading_changed.emit(True)
        source, query, size = self.source, self._query, self._page_size
        page = 0 if reset_page else self._page
        if reset_page or not self._complete:  # a refresh keeps the rows on show until the new ones are in

            def first_window() -> tuple[list[Any], dict[Any, tuple]]:
                keys = source.window(query, 0, min(size or FIRST_WINDOW, FIRST_WINDOW))
                return keys, source.rows(keys)

            self._run(first_window, self._show_first, generation)

        def everything() -> tuple[Sequence[Any], dict[Any, tuple]]:
            keys = source.keys(query)
            start = page * size if size else 0
            return keys, source.rows(keys[start : start + min(size or BLOCK_SIZE, BLOCK_SIZE)])

        self._run(everything, lambda found: self._show_all(*found, page), generation)

    def _show_first(self, found: tuple[list[Any], dict[Any, tuple]]) -> None:
        keys, rows = found
        if self._whole_generation == self._generation:
            return  # the whole result came in first (a small one): it is already on show
        self.beginResetModel()
        self._rows.clear()
        self._pending_blocks.clear()
        self._remember(rows)
        self._keys, self._complete, self._page = keys, False, 0
        self.endResetModel()
        self.first_rows.emit()

    def _show_all(self, keys: Sequence[Any], rows: dict[Any, tuple], page: int) -> None:
        visible_before = list(self._visible_keys())
        size = self._page_size
        page = max(0, min(page, -(-len(keys) // size) - 1)) if size else 0
        visible_after = list(keys[page * size : (page + 1) * size] if size else keys)

        def take() -> None:
            self._whole_generation = self._generation
            self._keys, self._complete, self._page = keys, True, page
            self._rows.clear()  # a refresh: what is cached may have changed
            self._pending_blocks.clear()
            self._remember(rows)
            if self._checked:
                self._checked &= set(keys)

        # The first window's rows (or a refresh's unchanged page) stay where they are, so the row the user is
        # on and the scroll position survive the total's arrival; only a different page resets the view.
        if visible_after[: len(visible_before)] == visible_before:
            grows = len(visible_after) > len(visible_before)
            if grows:
                self.beginInsertRows(QModelIndex(), len(visible_before), len(visible_after) - 1)
            take()
            if grows:
                self.endInsertRows()
            if visible_before:
                last = self.index(len(visible_before) - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)
        else:
            self.beginResetModel()
            take()
            self.endResetModel()
        self._loading = False
        self.page_changed.emit()
        self.loaded.emit(len(keys))
        self.loading_changed.emit(False)

    def _remember(self, rows: dict[Any, tuple]) -> None:
        self._rows.update(rows)
        while len(self._rows) > CACHED_ROWS:
            self._rows.popitem(last=False)

    def is_loading(self) -> bool:
        return self._loading

    def has_loaded(self) -> bool:
        """Whether any query has finished counting: until then the total is not known, not 0."""
        return self._whole_generation >= 0

    def is_complete(self) -> bool:
        return self._complete

    def total(self) -> int:
        return len(self._keys)

    def sort_state(self) -> tuple[str | None, bool]:
        return self._query.order_column, self._query.descending

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
        if not self._page_size or not self._complete:
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
        return self._page * self._page_size if self._page_size and self._complete else 0

    def _visible_keys(self) -> Sequence[Any]:
        return self._keys[self._offset() : self._offset() + self.rowCount()]

    def key_at(self, row: int) -> Any:
        return self._keys[self._offset() + row] if 0 <= row < self.rowCount() else None

    def all_keys(self) -> Sequence[Any]:
        """Every key of the result (once ``loaded``), in order."""
        return self._keys

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
        visible = self._visible_keys()
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
        action = column - self._data_start - len(self.spec.columns)
        return self._actions[action][1] if 0 <= action < len(self._actions) else None

    def is_check_column(self, column: int) -> bool:
        return self.checkable and column == 0

    def _is_number_column(self, column: int) -> bool:
        return self.numbered and column == int(self.checkable)

    def column_key(self, column: int) -> str:
        """A stable name for a column, used to persist its width."""
        if self.is_check_column(column):
            return CHECK_COLUMN_KEY
        if self._is_number_column(column):
            return NUMBER_COLUMN_KEY
        data = column - self._data_start
        if data < len(self.spec.columns):
            return self.spec.columns[data].key
        return f"_action.{self._actions[data - len(self.spec.columns)][0]}"

    def column_of(self, key: str) -> int:
        """The column named ``key`` (``column_key``'s inverse), or -1."""
        return next((c for c in range(self.columnCount()) if self.column_key(c) == key), -1)

    def default_width(self, column: int) -> int:
        if self.is_check_column(column):
            return 40
        if self._is_number_column(column):
            return 70
        data = column - self._data_start
        return self.spec.columns[data].width if data < len(self.spec.columns) else 120

    # ------------------------------------------------------------------ Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        if parent.isValid():
            return 0
        if not self._page_size or not self._complete:
            return len(self._keys)
        return max(0, min(self._page_size, len(self._keys) - self._offset()))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._data_start + len(self.spec.columns) + len(self._actions)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if self.is_check_column(section):
            return ""
        if self._is_number_column(section):
            return NUMBER_TITLE
        data = section - self._data_start
        if 0 <= data < len(self.spec.columns):
            return self.spec.columns[data].title
        if 0 <= data - len(self.spec.columns) < len(self._actions):
            return self._actions[data - len(self.spec.columns)][0]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_check_column(index.column()):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
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
            if 0 <= data < len(self.spec.columns):
                align = self.spec.columns[data].align
            return _ALIGN.get(align, Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if self._is_number_column(column):
            return str(self._offset() + index.row() + 1)
        if not 0 <= data < len(self.spec.columns):
            return None
        values = self.row_values(index.row())
        if values is None or values[data] is None:
            return ""  # not fetched yet (it is on its way), or deleted since the keys were read
        formatter = self._formatters[data]
        return formatter(values[data]) if formatter is not None else str(values[data])

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
        if not 0 <= data < len(self.spec.columns) or not self.spec.columns[data].sortable:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self._query.sorted_by(self.spec.columns[data].key, descending))

    # ------------------------------------------------------------------ rows
    def row_values(self, row: int) -> tuple | None:
        """The raw values of a visible row, or None while its block is being fetched."""
        key = self.key_at(row)
        values = self._rows.get(key)
        if values is not None:
            self._rows.move_to_end(key)
            return values
        self._fetch_block((self._offset() + row) // BLOCK_SIZE)
        return None

    def _fetch_block(self, block: int) -> None:
        if block in self._pending_blocks:
            return
        self._pending_blocks.add(block)
        keys = list(self._keys[block * BLOCK_SIZE : (block + 1) * BLOCK_SIZE])
        source, generation = self.source, self._generation

        def arrived(rows: dict[Any, tuple]) -> None:
            self._pending_blocks.discard(block)
            self._remember(rows)
            first, last = block * BLOCK_SIZE - self._offset(), (block + 1) * BLOCK_SIZE - 1 - self._offset()
            first, last = max(first, 0), min(last, self.rowCount() - 1)
            if first <= last:
                self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

        # A block that could not be read stays pending (empty cells, no retry loop of error messages) until
        # the next query or refresh.
        self._run(lambda: source.rows(keys), arrived, generation, undone=lambda: None)
