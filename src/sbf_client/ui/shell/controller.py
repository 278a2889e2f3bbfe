"""The shell's flow: 选择地区 → 单位管理 → 添加单位 / 登录 → 数据更新 → main window, and back on 单位管理.

All network and database work runs through the task runner; this class only moves between screens.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject

from sbf_client.core.errors import InputError
from sbf_client.remote.contract.models import RegistrationInfo, UnitSummary
from sbf_client.services.context import ClientContext
from sbf_client.services.login import LoginResult, LoginService
from sbf_client.services.startup import StartupReport, login_steps, run_steps
from sbf_client.services.sync import UnitDatabases
from sbf_client.services.units import Session, UnitService, check_taxpayer_id
from sbf_client.store.app_store import LocalUnit

from ..dialogs import inform
from ..tasks import Task, TaskRunner, settle_start_up_heap
from .add_unit import ChooseUnitDialog, ConfirmRegistrationCard, TaxpayerCard
from .data_update import DataUpdateCard
from .frame import ShellFrame
from .region_card import RegionCard
from .security import ChangePasswordCard, SecurityCard
from .unit_manager import UnitManagerCard


@dataclass
class Adding:
    """What the 添加单位 flow has learnt so far."""

    module: str
    summary: UnitSummary | None = None
    session: Session | None = None
    password: str = ""
    info: RegistrationInfo | None = None


class ShellController(QObject):
    def __init__(self, context: ClientContext, runner: TaskRunner | None = None) -> None:
        super().__init__()
        self.context = context
        self.runner = runner or TaskRunner()
        self.frame = ShellFrame()
        self.frame.network_requested.connect(self.open_network_settings)
        self.units: UnitManagerCard | None = None
        self.current = None  # the card on show
        self.adding: Adding | None = None
        self.main_window = None
        self.databases: UnitDatabases | None = None
        self.update_task: Task | None = None

    # ------------------------------------------------------------------ start and region

    def start(self) -> None:
        self.frame.show()
        failures = self.context.registry.failures
        if failures:  # a broken module is reported, the others still work
            names = "、".join(failures)
            inform(self.frame, f"以下业务模块未能加载，相关业务暂不可用：{names}。请使用安装程序修复客户端。")
        if self.context.store.region() is None:
            card = RegionCard()
            card.chosen.connect(self._region_chosen)
            self._show(card)
        else:
            self.show_units()
        self.frame.show()
        settle_start_up_heap()

    def _show(self, card) -> None:  # type: ignore[no-untyped-def]
        previous = self.current
        self.current = card
        self.frame.show_card(card)
        if previous is not None and previous is not self.units and previous is not card:
            self.frame.drop_card(previous)

    def _region_chosen(self, entry) -> None:  # type: ignore[no-untyped-def]
        self.context.choose_region(entry)
        self.show_units()

    def open_network_settings(self) -> None:
        from ..network_dialog import NetworkDialog

        NetworkDialog(self.context, self.runner, self.frame).exec()

    # ------------------------------------------------------------------ 单位管理

    def show_units(self, module: str | None = None) -> None:
        if self.units is None:
            self.units = UnitManagerCard(self.context)
            self.units.add_requested.connect(self.start_adding)
            self.units.login_requested.connect(self.start_login)
        if module:
            self.units.switch(module)
        self.units.reload()
        self._show(self.units)

    # ------------------------------------------------------------------ 添加单位

    def start_adding(self, module: str) -> None:
        self.adding = Adding(module)
        card = TaxpayerCard(self.context.module(module).title)
        card.submitted.connect(self._taxpayer_entered)
        card.back.connect(lambda: self.show_units())
        self._show(card)
        if self.context.region().is_sandbox:
            self.runner.run(
                lambda _p: self.context.api().demo_accounts(),
                lambda accounts: card.show_demo_accounts(accounts, module),
                parent=self.frame,
                show_progress=False,
                on_error=lambda _e: True,
            )

    def _taxpayer_entered(self, first: str, second: str) -> None:
        card = self.current
        try:
            taxpayer_id = check_taxpayer_id(first, second)
        except InputError as error:
            card.busy(False, "")
            inform(self.frame, error.message)
            return
        card.busy(True, "正在查询纳税人信息…")
        assert self.adding is not None
        module = self.adding.module
        self.runner.run(
            lambda _p: UnitService(self.context).lookup(taxpayer_id, module),  # type: ignore[arg-type]
            self._units_found,
            parent=self.frame,
            title="正在查询纳税人信息",
            on_error=lambda _e: card.busy(False, "") and False,
        )

    def _units_found(self, units: list[UnitSummary]) -> None:
        self.current.busy(False, "")
        if len(units) > 1:
            dialog = ChooseUnitDialog(units, self.frame)
            if not dialog.exec():
                return
            summary = dialog.chosen()
        else:
            summary = units[0]
        assert self.adding is not None
        self.adding.summary = summary
        card = SecurityCard(summary.taxpayer_id, summary.name, self.context.module(self.adding.module).password_hint)
        card.submitted.connect(self._adding_password)
        card.back.connect(lambda: self.start_adding(self.adding.module if self.adding else "employer"))
        self._show(card)

    def _adding_password(self, password: str) -> None:
        assert self.adding is not None and self.adding.summary is not None
        card = self.current
        unit_id = self.adding.summary.unit_id
        card.busy(True, "正在验证申报密码…")

        def verified(session: Session) -> None:
            assert self.adding is not None
            self.adding.session, self.adding.password = session, password
            if session.must_change_password:
                change = ChangePasswordCard(self.adding.summary.name if self.adding.summary else "")
                change.submitted.connect(self._adding_new_password)
                self._show(change)
            else:
                self._fetch_registration()

        self.runner.run(
            lambda _p: UnitService(self.context).verify(unit_id, password),
            verified,
            parent=self.frame,
            title="正在验证申报密码",
            on_error=lambda _e: card.busy(False, "") and False,
        )

    def _adding_new_password(self, new: str, again: str) -> None:
        assert self.adding is not None and self.adding.session is not None
        adding = self.adding
        card = self.current
        card.busy(True, "正在修改申报密码…")

        def change(_progress) -> None:  # type: ignore[no-untyped-def]
            service = UnitService(self.context)
            info = service.registration(adding.session)  # type: ignore[arg-type]
            service.change_password(
                adding.session,
                adding.password,
                new,
                again,  # type: ignore[arg-type]
                [r.unit_no for r in info.registrations],
            )

        def changed(_result: None) -> None:
            adding.password = new
            inform(self.frame, "修改成功")
            self._fetch_registration()

        self.runner.run(
            change,
            changed,
            parent=self.frame,
            title="正在修改申报密码",
            on_error=lambda _e: card.busy(False, "") and False,
        )

    def _fetch_registration(self) -> None:
        assert self.adding is not None and self.adding.session is not None
        session = self.adding.session

        def shown(info: RegistrationInfo) -> None:
            assert self.adding is not None
            self.adding.info = info
            card = ConfirmRegistrationCard(info)
            card.confirmed.connect(self._registration_confirmed)
            self._show(card)

        self.runner.run(
            lambda _p: UnitService(self.context).registration(session),
            shown,
            parent=self.frame,
            title="正在获取参保登记信息",
        )

    def _registration_confirmed(self) -> None:
        adding = self.adding
        assert adding is not None and adding.summary is not None and adding.info is not None
        unit = UnitService(self.context).save(adding.module, adding.summary, adding.info, confirmed=True)  # type: ignore[arg-type]
        LoginService(self.context).remember(unit, adding.password)
        self.adding = None
        self.show_units(unit.module)
        inform(self.frame, f"单位【{unit.name}】添加成功，可点击【登录】进入系统。")

    # ------------------------------------------------------------------ 登录

    def start_login(self, unit: LocalUnit) -> None:
        card = SecurityCard(unit.taxpayer_id, unit.name, self.context.module(unit.module).password_hint)
        card.submitted.connect(lambda password: self._login(unit, password))
        card.back.connect(lambda: self.show_units())
        self._show(card)

    def _login(self, unit: LocalUnit, password: str) -> None:
        card = self.current
        card.busy(True, "正在验证申报密码…")

        def logged_in(result: LoginResult) -> None:
            if result.offline:
                inform(
                    self.frame,
                    f"{result.offline_reason}\n已进入离线模式：可查看本机已保存的数据，需要联网的操作暂不可用。",
                )
                self.open_main(result)
            elif result.session is not None and result.session.must_change_password:
                change = ChangePasswordCard(unit.name)
                change.submitted.connect(lambda new, again: self._login_new_password(result, password, new, again))
                self._show(change)
            else:
                self.update_data(result)

        self.runner.run(
            lambda _p: LoginService(self.context).login(unit, password),
            logged_in,
            parent=self.frame,
            title="正在验证申报密码",
            on_error=lambda _e: card.busy(False, "") and False,
        )

    def _login_new_password(self, result: LoginResult, old: str, new: str, again: str) -> None:
        session = result.session
        assert session is not None
        registrations = [r.unit_no for r in self.context.store.registrations(result.unit.id)]

        def changed(_r: None) -> None:
            LoginService(self.context).remember(result.unit, new)
            inform(self.frame, "修改成功")
            self.update_data(LoginResult(result.unit, Session(session.unit_id, session.token, False, session.summary)))

        self.runner.run(
            lambda _p: UnitService(self.context).change_password(session, old, new, again, registrations),
            changed,
            parent=self.frame,
            title="正在修改申报密码",
        )

    def update_data(self, result: LoginResult) -> None:
        assert result.session is not None
        card = DataUpdateCard(result.unit.name)
        self._show(card)
        databases = UnitDatabases(self.context)
        report = StartupReport()

        def work(progress):  # type: ignore[no-untyped-def]
            steps = login_steps(self.context, databases, result.unit, result.session, report)  # type: ignore[arg-type]
            return run_steps(steps, progress, report)

        def finished(done: StartupReport) -> None:
            self.update_task = None
            if done.failures:
                card.show_problems(done.failures)
                card.enter_requested.connect(lambda: self.open_main(result, databases))
            else:
                self.open_main(result, databases)

        def failed(_error: BaseException) -> bool:
            self.update_task = None
            databases.close()
            self.show_units()
            return False

        task = self.runner.run(work, finished, parent=self.frame, show_progress=False, on_error=failed)
        task.progressed.connect(card.show_progress)
        card.cancel_requested.connect(task.cancel)
        self.update_task = task

    # ------------------------------------------------------------------ main window

    def open_main(self, result: LoginResult, databases: UnitDatabases | None = None) -> None:
        from .main_window import MainWindow

        self.databases = databases or UnitDatabases(self.context)
        window = MainWindow(self.context, self.databases, result, self.runner)
        window.switch_unit.connect(self.switch_unit)
        self.main_window = window
        self.frame.hide()
        window.show()
        self.show_units(result.unit.module)

    def switch_unit(self) -> None:
        """【单位管理】: back to the unit list without restarting."""
        if self.main_window is not None:
            self.main_window.close_for_switch()
            self.main_window = None
        if self.databases is not None:
            self.databases.close()
            self.databases = None
        self.show_units()
        self.frame.show()
