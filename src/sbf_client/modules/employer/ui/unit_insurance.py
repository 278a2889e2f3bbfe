"""单位参保信息查询 (manual 2.19): the cached 单位参保信息 on the page kit — 查询 (单位编号, 社保经办机构, 征收项目),
【导出】 the query's results, and its own 【更新】: download again from the 管理子系统, with progress.

The list is ``services.unit_insurance.UNIT_INSURANCE``, read from the unit database, so the page works offline.
An empty cache is explained (M2666–2668) above the list; a 征收品目 the 规则文件 does not name is pointed out.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout

from sbf_client.store.lists import QueryField
from sbf_client.ui.dialogs import inform
from sbf_client.ui.list_page import OFFLINE_TIP, ListPage
from sbf_client.ui.tasks import Changed, Task

from ..services.unit_insurance import (
    CHANGED,
    UNIT_INSURANCE,
    UNNAMED_CATEGORIES,
    empty_note,
    refresh_unit_insurance,
)
from ..store.unit_insurance import cached, category_codes

UPDATED = "更新完成，共{count}条单位参保信息。"
NOTE_STYLE = "color: #b35c00; background: #fff7e6; border: 1px solid #ffd591; padding: 6px 10px;"


class UnitInsurancePage(ListPage):
    spec = UNIT_INSURANCE

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.note = QLabel("", self)
        self.note.setObjectName("UnitInsuranceNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.table), self.note)
        self.update_task: Task | None = None  # the last 更新 started
        self.show_note()

    def choices(self, field: QueryField) -> list[tuple[str, Any]]:
        """征收项目 lists the 险种 of the cached list by their names in the 规则文件; the rest as the kit does."""
        found = super().choices(field)
        if field.key == "item":
            return [(text if value is None else self.codes.name("item", value), value) for text, value in found]
        return found

    def show_note(self) -> None:
        """The manual's note for an empty list; otherwise a word on 征收品目 the 规则文件 cannot name."""
        engine = self.page.session.engine
        text = empty_note(cached(engine))
        if not text and any(code not in self.codes.table("category") for code in category_codes(engine)):
            text = UNNAMED_CATEGORIES
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def refresh(self) -> None:
        """The note, then the kit's refresh (a 社保经办机构 or 险种 no longer in the list falls back to 全部)."""
        self.show_note()
        super().refresh()

    def update_insurance(self) -> None:
        """【更新】: the whole list again from the 管理子系统 (online only), then the list refreshes."""
        session = self.page.session
        if session.offline:
            inform(self, OFFLINE_TIP)
            return

        def work(progress):  # type: ignore[no-untyped-def]
            count = refresh_unit_insurance(session, progress)
            return Changed(count, frozenset({CHANGED}))

        self.update_task = self.page.runner.run(work, self._updated, parent=self, title="正在更新单位参保信息")

    def _updated(self, count: int) -> None:
        inform(self, UPDATED.format(count=count))


def export_results(page: ListPage, _keys: list[Any]) -> None:
    """【导出】: every row of the current query, as on screen."""
    page.export(None)


def update(page: UnitInsurancePage, _keys: list[Any]) -> None:
    page.update_insurance()
