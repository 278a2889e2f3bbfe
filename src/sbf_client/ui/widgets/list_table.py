"""``ListTable``: the list of a page — a lazy table, a pager and the exact total — over a ``ListSource``.

The page size is one setting for every paged list; column widths are remembered per list. The model is
``ListTableModel`` (``list_model``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sbf_client.store.lists import ListQuery, ListSource
from sbf_client.store.settings import COLUMN_WIDTHS, PAGE_SIZE, PAGE_SIZES, Settings
from sbf_client.ui.tasks import TaskRunner
from sbf_client.ui.widgets.list_model import Formatter, ListTableModel
from sbf_client.ui.widgets.loading_overlay import LoadingOverlay
from sbf_client.ui.widgets.table_delegates import ActionDelegate, CheckDelegate

__all__ = ["ListTable", "ListTableModel"]

MIN_COLUMN_WIDTH = 40
SAVE_WIDTHS_DELAY_MS = 300
ROW_HEIGHT = 30
LOADING_TEXT = "正在加载…"
QUERYING_TEXT = "正在查询…"
COUNTING_TEXT = "正在统计条数…"
# A new query of a list already shown keeps its rows; only one slower than this says it is running, so that a
# quick refresh does not flicker the count.
QUERYING_DELAY_MS = 300


class ListTable(QWidget):
    """A table over a ``ListSource`` with, below it, the total and (when paged) the pager."""

    activated = Signal(object)  # key of a double-clicked row
    current_changed = Signal(object)  # key of the current row, None when there is none

    def __init__(
        self,
        source: ListSource,
        settings: Settings,
        runner: TaskRunner,
        formatters: Sequence[Formatter | None] = (),
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table_id = source.spec.id
        self.settings = settings
        page_size = settings.get(PAGE_SIZE) if source.spec.paged else None
        self.model = ListTableModel(source, runner, formatters, page_size=page_size, parent=self)
        self._action_delegates: list[ActionDelegate] = []
        self._restoring_widths = False
        self._build_table(source.spec.checkable)
        self._build_bar(page_size)
        self._save_widths_timer = QTimer(self, singleShot=True, interval=SAVE_WIDTHS_DELAY_MS)
        self._save_widths_timer.timeout.connect(self._save_widths)
        self.overlay = LoadingOverlay(self.table)
        self._querying = False
        self._querying_timer = QTimer(self, singleShot=True, interval=QUERYING_DELAY_MS)
        self._querying_timer.timeout.connect(self._show_querying)
        self.model.page_changed.connect(self._update_bar)
        self.model.loading_changed.connect(self._on_loading_changed)
        self.model.first_rows.connect(self._on_first_rows)
        self.model.modelReset.connect(self._on_reset)
        self._apply_widths()
        self._update_bar()

    def _build_table(self, checkable: bool) -> None:
        table = QTableView(self)
        table.setModel(self.model)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setMouseTracking(True)
        table.verticalHeader().hide()
        # Fixed row heights keep a 100,000-row reset cheap: nothing asks rows for their size.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = table.horizontalHeader()
        header.setMinimumSectionSize(MIN_COLUMN_WIDTH)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.sectionClicked.connect(self._on_header_clicked)
        header.sectionResized.connect(self._on_section_resized)
        if checkable:
            table.setItemDelegateForColumn(0, CheckDelegate(table))
        table.doubleClicked.connect(self._on_double_clicked)
        table.entered.connect(self._on_entered)
        table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table = table

    def _build_bar(self, page_size: int | None) -> None:
        self.total_label = QLabel("共 0 条", self)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 6, 0, 0)
        bar.setSpacing(8)
        bar.addWidget(self.total_label)
        bar.addStretch(1)
        self.page_size_combo = QComboBox(self)
        self.previous_button = QPushButton("上一页", self)
        self.next_button = QPushButton("下一页", self)
        self.page_label = QLabel(self)
        if page_size is not None:
            for size in PAGE_SIZES:
                self.page_size_combo.addItem(str(size), size)
            self.page_size_combo.setCurrentIndex(PAGE_SIZES.index(page_size))
            self.page_size_combo.currentIndexChanged.connect(self._on_page_size_chosen)
            self.previous_button.clicked.connect(lambda: self.model.set_page(self.model.page() - 1))
            self.next_button.clicked.connect(lambda: self.model.set_page(self.model.page() + 1))
            bar.addWidget(QLabel("每页显示条数", self))
            for widget in (self.page_size_combo, self.previous_button, self.page_label, self.next_button):
                bar.addWidget(widget)
        else:
            for widget in (self.page_size_combo, self.previous_button, self.next_button, self.page_label):
                widget.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)

    # ------------------------------------------------------------------ public API
    def set_query(self, query: ListQuery) -> None:
        self.model.set_query(query)
        self._show_sort_indicator()

    def refresh(self) -> None:
        self.model.refresh()

    def checked_keys(self) -> list[Any]:
        return self.model.checked_keys()

    def current_key(self) -> Any:
        index = self.table.currentIndex()
        return self.model.key_at(index.row()) if index.isValid() else None

    def total(self) -> int:
        return self.model.total()

    def add_action_column(self, title: str = "操作", actions: Sequence[tuple[str, Callable[[Any], None]]] = ()) -> int:
        """A column of link texts; each callback receives the row's key. Returns the column index."""
        column = self.model.add_action_column(title, [label for label, _callback in actions])
        delegate = ActionDelegate(actions, self.model.key_at, self.table)
        self._action_delegates.append(delegate)
        self.table.setItemDelegateForColumn(column, delegate)
        self._apply_widths()
        return column

    # ------------------------------------------------------------------ sorting
    def _on_header_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        key = self._sortable_key(column)
        if key is None:
            return
        current, descending = self.model.sort_state()
        descending = not descending if current == key else False
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.model.sort(column, order)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, order)

    def _sortable_key(self, column: int) -> str | None:
        key = self.model.column_key(column)
        columns = {c.key: c for c in self.model.spec.columns}
        return key if key in columns and columns[key].sortable else None

    def _show_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        key, descending = self.model.sort_state()
        column = -1 if key is None else self.model.column_of(key)
        if column < 0:
            header.setSortIndicatorShown(False)
            return
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, order)

    # ------------------------------------------------------------------ pager
    def _on_page_size_chosen(self) -> None:
        size = self.page_size_combo.currentData()
        self.settings.set(PAGE_SIZE, size)
        self.model.set_page_size(size)

    def _update_bar(self) -> None:
        if not self.model.is_complete() and self.model.is_loading():
            # "共 0 条" would say the list is empty: its first rows may be on show, the total is not known yet
            self.total_label.setText(COUNTING_TEXT if self.model.rowCount() else LOADING_TEXT)
        elif self._querying:
            self.total_label.setText(QUERYING_TEXT)
        else:
            self.total_label.setText(f"共 {self.model.total()} 条")
        page, pages = self.model.page(), self.model.page_count()
        counting = not self.model.is_complete() and self.model.is_loading()
        self.page_label.setText(f"第 {page + 1} 页" if counting else f"第 {page + 1} / {pages} 页")  # pages unknown
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < pages)

    # ------------------------------------------------------------------ widths
    def _apply_widths(self) -> None:
        saved = self.settings.get(COLUMN_WIDTHS, self.table_id)
        header = self.table.horizontalHeader()
        self._restoring_widths = True
        try:
            for column in range(self.model.columnCount()):
                width = saved.get(self.model.column_key(column), self.model.default_width(column))
                header.resizeSection(column, max(MIN_COLUMN_WIDTH, int(width)))
        finally:
            self._restoring_widths = False

    def _on_section_resized(self, column: int, _old: int, new: int) -> None:
        if new < MIN_COLUMN_WIDTH:
            # resizeSection() does not honour the header's minimum; a 0-wide column could never be found again.
            self.table.horizontalHeader().resizeSection(column, MIN_COLUMN_WIDTH)
            return
        if not self._restoring_widths:
            self._save_widths_timer.start()

    def _save_widths(self) -> None:
        header = self.table.horizontalHeader()
        last = self.model.columnCount() - 1  # it stretches with the window; its width is not a choice
        widths = {self.model.column_key(c): header.sectionSize(c) for c in range(last)}
        self.settings.set(COLUMN_WIDTHS, widths, self.table_id)

    # ------------------------------------------------------------------ loading
    def _on_loading_changed(self, loading: bool) -> None:
        first = not self.model.has_loaded()
        self.overlay.setVisible(loading and first)
        if loading and not first:
            self._querying_timer.start()
        elif not loading:
            self._querying_timer.stop()
            self._querying = False
        self._update_bar()

    def _on_first_rows(self) -> None:
        self.overlay.hide()
        self._update_bar()

    def _show_querying(self) -> None:
        self._querying = self.model.is_loading()
        self._update_bar()

    # ------------------------------------------------------------------ signals
    def _on_reset(self) -> None:
        self.current_changed.emit(None)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(self.model.key_at(current.row()) if current.isValid() else None)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        key = self.model.key_at(index.row())
        if key is not None and self.model.action_labels(index.column()) is None:
            self.activated.emit(key)

    def _on_entered(self, index: QModelIndex) -> None:
        is_link = self.model.action_labels(index.column()) is not None
        cursor = Qt.CursorShape.PointingHandCursor if is_link else Qt.CursorShape.ArrowCursor
        self.table.viewport().setCursor(cursor)
