"""职工参保信息更新 (manual 2.2): the cached employees on the page kit — query, statistics, 查看, 导出,
and its own actions: 增量更新 / 全量更新, 编辑 (the employee's 分组) and 分组 ▾ (分组管理, 下载批量编辑职工分组模板,
批量编辑职工分组).

The list is ``services.lists.EMPLOYEES``; everything is read from the unit database, so the page works
offline (groups included: they are the unit's own data); the updates need the server. A change of groups or
members is announced as ``employee_groups``: the page then reloads its 分组 drop-down and the list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QPushButton

from sbf_client.core.errors import SbfError
from sbf_client.services.sync import SyncService
from sbf_client.sync.engine import SyncResult
from sbf_client.sync.progress import Progress, ProgressText, ProgressUpdate
from sbf_client.ui.dialogs import ask, inform
from sbf_client.ui.list_page import ListPage
from sbf_client.ui.tasks import Changed, Task

from ..services.employees import changes_of_runs, detail
from ..services.group_import import MEMBERS_TEMPLATE, MembersImport, import_members, write_members_template
from ..services.groups import EMPLOYEE_GONE, employee_group, set_employee_group
from ..services.lists import EMPLOYEES, GROUPS_CHANGED
from ..store.groups import group_choices
from ..sync.datasets import EMPLOYEES as EMPLOYEES_FEED
from .employee_detail import EmployeeDetailDialog
from .employee_edit import EmployeeEditDialog, show_as_tree
from .group_manager import GroupManagerDialog
from .import_report import show_import_errors
from .update_details import UpdateDetailsDialog

OFFLINE_TIP = "离线状态下无法更新，请连接网络后重新登录。"
EMPLOYEES_DATASET = EMPLOYEES_FEED.name  # the dataset this page updates, also the data set its change names


class EmployeeInfoPage(ListPage):
    spec = EMPLOYEES

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.incremental: QPushButton = self.buttons["incremental"]
        self.full: QPushButton = self.buttons["full"]
        for button in (self.incremental, self.full):
            button.setToolTip(OFFLINE_TIP if self.page.session.offline else "")
        self.update_task: Task | None = None  # the last 增量更新 / 全量更新 started
        self.group_task: Task | None = None  # the last group change, template or import started
        self.group_field: QComboBox = self.query_panel.combo("group")
        show_as_tree(self.group_field)

    def show_detail(self, key: Any) -> None:
        engine = self.page.session.engine
        employee = detail(engine, key, self.codes)
        if employee is None:
            inform(self, EMPLOYEE_GONE)
            return
        registrations = self.page.session.registrations()
        group = employee_group(engine, key).path
        EmployeeDetailDialog(employee, registrations, group, parent=self).exec()

    # ------------------------------------------------------------------ 分组
    def edit_employee(self, key: Any) -> None:
        """编辑: 编辑人员信息, then the chosen group saved on a worker."""
        engine = self.page.session.engine
        try:
            employee = employee_group(engine, key)
        except SbfError as error:
            inform(self, error.message)
            return
        dialog = EmployeeEditDialog(employee, group_choices(engine), self)
        accepted = dialog.exec() == EmployeeEditDialog.DialogCode.Accepted
        chosen, now = dialog.chosen(), self.page.session.clock.now()
        dialog.deleteLater()
        if not accepted:
            return
        self.group_task = self.page.runner.run(
            lambda _p: Changed(set_employee_group(engine, key, chosen, now), frozenset({GROUPS_CHANGED})),
            parent=self,
            title="正在保存",
            cancellable=False,
            show_progress=False,
        )

    def manage_groups(self) -> None:
        """分组管理 (its 保存 announces the change; the page then refreshes)."""
        session = self.page.session
        dialog = GroupManagerDialog(session.engine, session.clock, self.page.runner, self)
        dialog.exec()
        dialog.deleteLater()

    def download_group_template(self) -> None:
        name = f"{MEMBERS_TEMPLATE}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, "下载批量编辑职工分组模板", name, "Excel 文件 (*.xlsx)")
        if path:
            self.write_group_template(Path(path))

    def write_group_template(self, path: Path) -> None:
        """The template, filled with every employee and their group now (on a worker: a large unit takes a while)."""
        engine = self.page.session.engine
        self.group_task = self.page.runner.run(
            lambda _p: write_members_template(engine, path),
            lambda count: inform(self, f"模板已保存（共{count}名职工）：{path}"),
            parent=self,
            title="正在生成模板",
            cancellable=False,
        )

    def import_group_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "批量编辑职工分组", "", "Excel 文件 (*.xlsx)")
        if path:
            self.import_groups_from(Path(path))

    def import_groups_from(self, path: Path) -> None:
        """批量编辑职工分组: checked as a whole, applied only when every row is right; else the errors per row."""
        engine, now = self.page.session.engine, self.page.session.clock.now()

        def work(_progress):  # type: ignore[no-untyped-def]
            result = import_members(engine, path, now)
            return Changed(result, frozenset({GROUPS_CHANGED}) if result.ok else frozenset())

        self.group_task = self.page.runner.run(
            work, lambda result: self._imported(result, path), parent=self, title="正在导入", cancellable=False
        )

    def _imported(self, result: MembersImport, path: Path) -> None:
        if not result.ok:
            show_import_errors("批量编辑职工分组", result.errors, result.annotate, path, self)
            return
        inform(
            self,
            f"导入成功：共{len(result.rows)}行，{result.changed}名职工设置了新的分组，{result.cleared}名职工取消了分组，"
            f"{result.unchanged}名职工的分组没有变化。",
        )

    def update_employees(self, *, full: bool, confirm_deletions: bool = False) -> None:
        if self.page.session.offline:
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
        service = SyncService(self.page.session)
        words = ProgressText("人")

        def work(progress):  # type: ignore[no-untyped-def]
            def described(update: ProgressUpdate) -> None:  # the dialog shows the message: rows and time left
                told = words.describe(update.done, update.total) if update.total else ""
                progress.report(update.done, update.total, f"{update.message}\n{told}" if told else update.message)

            counted = Progress(described, progress._cancel)  # cancelling the dialog still stops the update
            results = service.sync(
                [EMPLOYEES_DATASET], full=full, confirm_deletions=confirm_deletions, progress=counted
            )
            return Changed(results[EMPLOYEES_DATASET], frozenset({EMPLOYEES_DATASET}))

        title = "全量更新" if full else "增量更新"
        self.update_task = self.page.runner.run(work, self._updated, parent=self, title=f"正在{title}职工参保信息")

    def _updated(self, result: SyncResult) -> None:
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
                SyncService(self.page.session).engine(EMPLOYEES_DATASET).discard_pending()
            return
        changed = result.added + result.changed + result.deleted
        if changed and ask(self, "更新完成", f"本次共更新了{changed}条职工信息，是否查看更新明细？", yes="是", no="否"):
            lines = changes_of_runs(self.page.session.engine, result.run_ids, self.codes)
            UpdateDetailsDialog(lines, self.page.runner, self).exec()
        elif not changed:
            inform(self, "更新完成，职工信息没有变化。")


def update_incremental(page: EmployeeInfoPage, _keys: list[Any]) -> None:
    page.update_employees(full=False)


def update_full(page: EmployeeInfoPage, _keys: list[Any]) -> None:
    page.update_employees(full=True)


def show_detail(page: EmployeeInfoPage, keys: list[Any]) -> None:
    page.show_detail(keys[0])


def edit_employee(page: EmployeeInfoPage, keys: list[Any]) -> None:
    page.edit_employee(keys[0])


def manage_groups(page: EmployeeInfoPage, _keys: list[Any]) -> None:
    page.manage_groups()


def download_group_template(page: EmployeeInfoPage, _keys: list[Any]) -> None:
    page.download_group_template()


def import_group_file(page: EmployeeInfoPage, _keys: list[Any]) -> None:
    page.import_group_file()
