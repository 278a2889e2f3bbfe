"""职工参保信息更新 (manual 2.2): the cached employees — query, statistics, 查看, 增量更新 / 全量更新.

Everything is read from the unit database, so the page works offline; the updates need the server.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from sbf_client.core.ids import mask_id_number
from sbf_client.plugins.spec import MenuItem
from sbf_client.services.sync import SyncService
from sbf_client.sync.engine import SyncResult
from sbf_client.sync.progress import Progress, ProgressText, ProgressUpdate
from sbf_client.ui.dialogs import ask, inform
from sbf_client.ui.page import Page, PageContext
from sbf_client.ui.tasks import Changed, Task
from sbf_client.ui.widgets.query_panel import QueryPanel
from sbf_client.ui.widgets.sql_source import Column, Filter, SqlSource
from sbf_client.ui.widgets.sql_table import SqlTableView

from ..services.employees import changes_of_runs, detail, headcount
from .employee_detail import EmployeeDetailDialog
from .update_details import UpdateDetailsDialog

OFFLINE_TIP = "离线状态下无法更新，请连接网络后重新登录。"
COUNTING = "正在统计职工人数…"
RECOUNTING = "（正在重新统计…）"


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class EmployeeInfoPage(Page):
    def __init__(self, page: PageContext, item: MenuItem) -> None:
        super().__init__(page, item)
        self.codes: dict[str, dict[str, str]] = (page.context.store.setting("rule_files") or {}).get("tables", {})
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.query = self._query_panel()
        layout.addWidget(self.query)
        bar = QHBoxLayout()
        self.incremental = QPushButton("增量更新")
        self.full = QPushButton("全量更新")
        self.full.setObjectName("Secondary")
        self.incremental.clicked.connect(lambda: self.update_employees(full=False))
        self.full.clicked.connect(lambda: self.update_employees(full=True))
        for button in (self.incremental, self.full):
            button.setEnabled(not page.offline)
            button.setToolTip(OFFLINE_TIP if page.offline else "")
            bar.addWidget(button)
        bar.addSpacing(24)
        self.stats = QLabel(COUNTING)
        self.stats.setStyleSheet("font-weight: bold;")
        self._counted = ""  # the last statistics shown, kept on show (marked) while they are recounted
        self._fresh = False  # refreshed for an update's result before the ChangeHub's refresh arrives
        self.update_task: Task | None = None  # the last 增量更新 / 全量更新 started
        bar.addWidget(self.stats, 1)  # the rest of the row: its text changes length as it is recounted
        layout.addLayout(bar)
        self.table = SqlTableView(
            "employees", self._source(), page.settings, page.runner, checkable=True, numbered=False, paged=True
        )
        self.table.add_action_column("操作", [("查看", self.show_detail)])
        self.table.activated.connect(self.show_detail)
        layout.addWidget(self.table, 1)
        self.query.query.connect(self._apply_query)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _code(self, table: str):  # type: ignore[no-untyped-def]
        names = self.codes.get(table, {})
        return lambda code: names.get(code, code or "")

    def _source(self) -> SqlSource:
        columns = [
            Column("name", "姓名", "name", width=110),
            Column("gender", "性别", "gender", width=60, align="center", format=self._code("gender")),
            Column("id_type", "证件类型", "id_type", width=150, format=self._code("id_type")),
            Column("id_number", "证件号码", "id_number", width=190, format=mask_id_number),
            Column("status", "参保状态", "status", width=100, align="center", format=self._code("employee_status")),
            Column("unit_no", "单位编号", "unit_no", width=140),
            Column("updated_at", "更新时间", "updated_at", width=170, align="center"),
        ]
        return SqlSource(self.page.engine, "employees", "key", columns, default_order="name")

    def _query_panel(self) -> QueryPanel:
        panel = QueryPanel()
        panel.add_text("name", "姓名：")
        id_types = [("全部", None), *[(name, code) for code, name in self.codes.get("id_type", {}).items()]]
        panel.add_choice("id_type", "证件类型：", id_types)
        panel.add_text("id_number", "证件号码：", placeholder="支持模糊查询")
        panel.add_choice("status", "参保状态：", [("全部", None), ("正常缴费", "1"), ("停止缴费", "2")])
        unit_nos = [r.unit_no for r in self.page.context.store.registrations(self.page.unit.id)]
        panel.add_choice("unit_no", "单位编号：", [("全部", None), *[(no, no) for no in unit_nos]])
        return panel

    # ------------------------------------------------------------------ data

    def _filters(self, values: dict[str, Any]) -> list[Filter]:
        filters = []
        if values.get("name"):
            filters.append(Filter("name LIKE :name ESCAPE '\\'", {"name": _like(values["name"])}))
        if values.get("id_number"):
            filters.append(Filter("id_number LIKE :idn ESCAPE '\\'", {"idn": _like(values["id_number"].upper())}))
        for key in ("id_type", "status", "unit_no"):
            if values.get(key) is not None:
                filters.append(Filter(f"{key} = :{key}", {key: values[key]}))
        return filters

    def _apply_query(self, values: dict[str, Any]) -> None:
        self.table.set_query(self._filters(values))

    def refresh(self) -> None:
        if self._fresh:  # this change was shown already, when the update finished
            self._fresh = False
            return
        self._apply_query(self.query.values())
        self.stats.setText(f"{self._counted}{RECOUNTING}" if self._counted else COUNTING)
        engine = self.page.engine
        self.page.runner.run(lambda _p: headcount(engine), self._show_stats, parent=self, show_progress=False)

    def _show_stats(self, count) -> None:  # type: ignore[no-untyped-def]
        self._counted = f"职工总数：{count.total}人  正常缴费：{count.paying}人  停止缴费：{count.stopped}人"
        self.stats.setText(self._counted)

    # ------------------------------------------------------------------ actions

    def show_detail(self, key: Any) -> None:
        employee = detail(self.page.engine, key, self.codes)
        if employee is None:
            inform(self, "该职工的信息已更新，请重新查询。")
            return
        registrations = self.page.context.store.registrations(self.page.unit.id)
        EmployeeDetailDialog(employee, registrations, parent=self).exec()

    def update_employees(self, *, full: bool, confirm_deletions: bool = False) -> None:
        if self.page.session is None:
            inform(self, OFFLINE_TIP)
            return
        if (
            full
            and not confirm_deletions
            and not ask(
                self, "全量更新", "全量更新将重新下载本单位所有职工的参保登记信息，职工较多时耗时较长，是否继续？"
            )
        ):
            return
        service = SyncService(self.page.context, self.page.databases)
        unit, session = self.page.unit, self.page.session

        words = ProgressText("人")

        def work(progress):  # type: ignore[no-untyped-def]
            def described(update: ProgressUpdate) -> None:  # the dialog shows the message: rows and time left
                told = words.describe(update.done, update.total) if update.total else ""
                progress.report(update.done, update.total, f"{update.message}\n{told}" if told else update.message)

            counted = Progress(described, progress._cancel)  # cancelling the dialog still stops the update
            results = service.sync(unit, session, full=full, confirm_deletions=confirm_deletions, progress=counted)
            return Changed(results, frozenset({"employees"}))

        title = "全量更新" if full else "增量更新"
        self.update_task = self.page.runner.run(work, self._updated, parent=self, title=f"正在{title}职工参保信息")

    def _updated(self, results: list[SyncResult]) -> None:
        # The ChangeHub refreshes the pages only once this returns, after the questions below are answered:
        # the list and its statistics are refreshed now, not left stale behind them.
        self.refresh()
        self._fresh = True
        result = results[0]
        if result.awaiting_confirmation:
            if ask(
                self,
                "确认更新",
                f"本次全量更新将删除本地 {result.deleted} 名职工的信息，比例较高，"
                "可能是数据下载不完整。请核实后决定是否继续更新。",
                yes="继续更新",
                no="暂不更新",
            ):
                self.update_employees(full=True, confirm_deletions=True)
            else:
                SyncService(self.page.context, self.page.databases).engines(self.page.unit, self.page.session)[
                    0
                ].discard_pending()  # type: ignore[arg-type]
            return
        changed = result.added + result.changed + result.deleted
        if changed and ask(self, "更新完成", f"本次共更新了{changed}条职工信息，是否查看更新明细？", yes="是", no="否"):
            lines = changes_of_runs(self.page.engine, result.run_ids, self.codes)
            UpdateDetailsDialog(lines, self).exec()
        elif not changed:
            inform(self, "更新完成，职工信息没有变化。")
