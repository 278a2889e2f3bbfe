"""``ListPage``: the one Qt page that renders any ``ListSpec`` — query panel, toolbar, statistics, lazy table,
pager, 查看, and 导出 through the one Excel writer.

A module's list page is a subclass naming its ``spec``, plus only the actions that are really its own
(handlers named in the spec as ``"package.module:function"``, called with the page and the chosen keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout

from sbf_client.core.errors import InputError
from sbf_client.core.references import load_object
from sbf_client.plugins.spec import MenuItem
from sbf_client.services.list_export import export_list
from sbf_client.store.lists import ListAction, ListQuery, ListSource, ListSpec, QueryField
from sbf_client.store.lists.cells import screen_formatter
from sbf_client.store.lists.query import where_clause
from sbf_client.store.settings import QUERY_COLLAPSED, Settings

from .dialogs import inform
from .page import Page, PageContext
from .widgets.list_table import ListTable
from .widgets.query_panel import QueryPanel

OFFLINE_TIP = "离线状态下无法使用此功能，请连接网络后重新登录。"
NOTHING_CHOSEN = "请先勾选要操作的记录。"
EXPORTED = "导出成功，共导出{count}条记录。"
COUNTING = "正在统计…"
RECOUNTING = f"（{COUNTING}）"  # after the last figures, while they are counted again


class ListPage(Page):
    spec: ClassVar[ListSpec]

    def __init__(self, page: PageContext, item: MenuItem) -> None:
        super().__init__(page, item)
        self.codes = page.session.codes
        self.settings = Settings(page.session.context.store)
        self.source = ListSource(page.session.engine, self.spec)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.query_panel = self._query_panel()
        layout.addWidget(self.query_panel)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for action in self.spec.toolbar:
            bar.addWidget(self._button(action))
        bar.addSpacing(24)
        self.stats = QLabel("")
        self.stats.setStyleSheet("font-weight: bold;")
        self._counted = ""
        self._statistics_asked = 0  # the last count asked for: an earlier one arriving late is not shown
        bar.addWidget(self.stats, 1)
        layout.addLayout(bar)
        formatters = [screen_formatter(column, self.codes) for column in self.spec.columns]
        self.table = ListTable(self.source, self.settings, page.runner, formatters, parent=self)
        if self.spec.row_actions:
            links = [(action.title, self._row_callback(action)) for action in self.spec.row_actions]
            self.table.add_action_column("操作", links)
        if self.spec.detail:
            self.table.activated.connect(lambda key: self._call(self.spec.detail, [key]))
        layout.addWidget(self.table, 1)
        self.query_panel.query.connect(self.run_query)
        self.run_query(self.query_panel.values())

    # ------------------------------------------------------------------ building
    def _query_panel(self) -> QueryPanel:
        panel = QueryPanel(self)
        for field in self.spec.fields:
            label = f"{field.label}："
            if field.kind in ("date_range", "month_range"):
                panel.add_range(field.key, label, months=field.kind == "month_range")
            elif field.kind in ("choice", "group"):
                panel.add_choice(field.key, label, self.choices(field))
            elif field.kind == "search" and field.live:
                panel.add_search(field.key, label, field.placeholder)
            else:
                panel.add_text(field.key, label, field.placeholder)
        panel.setVisible(bool(self.spec.fields))  # a list without query fields has no 查询 / 重置 either
        # 收起查询条件 is one choice for every list, kept for the next opening.
        panel.set_collapsed(self.settings.get(QUERY_COLLAPSED))
        panel.toggle_button.clicked.connect(lambda: self.settings.set(QUERY_COLLAPSED, panel.is_collapsed()))
        return panel

    def choices(self, field: QueryField) -> list[tuple[str, Any]]:
        """A drop-down's items, 全部 first: literal, a code table's names, the unit's 单位编号, or a module's own."""
        source = field.choices
        if isinstance(source, tuple):
            items = list(source)
        elif source.startswith("codes:"):
            items = self.codes.choices(source.removeprefix("codes:"))
        elif source == "registrations":
            numbers = [r.unit_no for r in self.page.session.registrations()]
            items = [(number, number) for number in numbers]
        else:
            items = list(load_object(source)(self.page.session.engine))
        return [("全部", None), *items]

    def _button(self, action: ListAction) -> QPushButton:
        button = QPushButton(f"{action.title} ▾" if action.menu else action.title, self)
        if action.secondary:
            button.setObjectName("Secondary")
        if action.menu:
            menu = QMenu(button)
            menu.setToolTipsVisible(True)
            for sub in action.menu:
                entry = menu.addAction(sub.title)
                entry.triggered.connect(lambda _checked=False, sub=sub: self.trigger(sub))
                if sub.online_only and self.page.session.offline:
                    entry.setEnabled(False)
                    entry.setToolTip(OFFLINE_TIP)
            button.setMenu(menu)
            # The title carries the ▾; the style's own indicator would draw a second arrow beside it.
            button.setStyleSheet("QPushButton::menu-indicator { image: none; width: 0px; }")
        else:
            button.clicked.connect(lambda _checked=False: self.trigger(action))
        if action.online_only and self.page.session.offline:
            button.setEnabled(False)
            button.setToolTip(OFFLINE_TIP)
        self.buttons[action.id] = button
        return button

    def _row_callback(self, action: ListAction):  # type: ignore[no-untyped-def]
        return lambda key: self._call(action.handler, [key])

    # ------------------------------------------------------------------ querying
    def run_query(self, values: dict[str, Any]) -> None:
        query = ListQuery(values, *self.table.model.sort_state())
        try:
            where_clause(self.spec, query)  # what the user typed is checked here, once, before any work starts
        except InputError as error:
            inform(self, error.message)
            return
        self.table.set_query(query)
        self.update_statistics()

    def refresh(self) -> None:
        """The data changed: drop-downs whose choices come from data follow it, and the list is read again on
        the same page — or queried again from its first, when a choice it was queried by is gone (全部 then)."""
        queried = self.table.model.query().values
        gone = False
        for field in self.spec.fields:
            if field.kind in ("choice", "group") and not isinstance(field.choices, tuple):
                items = self.choices(field)
                self.query_panel.set_choices(field.key, items)
                chosen = queried.get(field.key)
                gone = gone or (chosen is not None and all(value != chosen for _text, value in items))
        if gone:
            self.run_query(self.query_panel.values())
            return
        self.table.refresh()
        self.update_statistics()

    def watches(self, changes: frozenset[str]) -> bool:
        return bool(self.spec.watches & changes)

    def update_statistics(self) -> None:
        if not self.spec.statistics:
            return
        self.stats.setText(f"{self._counted}{RECOUNTING}" if self._counted else COUNTING)
        statistics, engine = load_object(self.spec.statistics), self.page.session.engine
        # The list's own query (checked when it ran), not fields changed since without 查询.
        where, params = where_clause(self.spec, self.table.model.query())
        self._statistics_asked += 1
        asked = self._statistics_asked

        def shown(text: str) -> None:
            if asked != self._statistics_asked:
                return  # superseded by a newer query's (or refresh's) count
            self._counted = text
            self.stats.setText(text)

        self.page.runner.run(lambda _p: statistics(engine, where, params), shown, parent=self, show_progress=False)

    # ------------------------------------------------------------------ actions
    def trigger(self, action: ListAction) -> None:
        if action.online_only and self.page.session.offline:
            inform(self, OFFLINE_TIP)
            return
        keys: list[Any] = []
        if action.needs_selection:
            keys = self.table.checked_keys()
            if not keys:
                inform(self, NOTHING_CHOSEN)
                return
        self._call(action.handler, keys)

    def _call(self, handler: str | None, keys: list[Any]) -> None:
        if handler:
            load_object(handler)(self, keys)

    def export(self, keys: Sequence[Any] | None, *, everything: bool = False, full: bool = True) -> None:
        """导出 the chosen rows (``keys``), or the list's query's, or (``everything``) the whole list, asking
        where to save; written in the background with progress and 取消."""
        spec = self.spec
        name = spec.export.file_name if spec.export else spec.title
        path, _filter = QFileDialog.getSaveFileName(self, "导出", f"{name}.xlsx", "Excel 文件 (*.xlsx)")
        if not path:
            return
        self.export_to(Path(path), keys, everything=everything, full=full)

    def export_to(self, path: Path, keys: Sequence[Any] | None, *, everything: bool = False, full: bool = True) -> None:
        source, codes = self.source, self.codes
        query = ListQuery() if everything else self.table.model.query()  # as on screen, sorted as shown
        chosen = list(keys) if keys is not None else None
        self.page.runner.run(
            lambda progress: export_list(source, query, path, codes, keys=chosen, full=full, progress=progress),
            lambda count: inform(self, EXPORTED.format(count=count)),
            parent=self,
            title="正在导出",
        )


def export_checked(page: ListPage, keys: list[Any]) -> None:
    """导出 ▾ 选中…: the ticked rows of the list (an action that ``needs_selection``)."""
    page.export(keys)


def export_all(page: ListPage, _keys: list[Any]) -> None:
    """导出 ▾ 所有…: every row of the list, whatever the query."""
    page.export(None, everything=True)
