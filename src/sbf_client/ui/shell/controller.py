"""The shell's flow: 登录密码 (when one is set) → 选择地区 → 单位管理 → 添加单位 / 登录 → 数据更新 → main window, and
back on 单位管理.

All network and database work runs through the task runner; this class only moves between screens. The
演示地区's servers are started in the background from the first screen on (a first start generates the demo
data), with their progress at the foot of the window, so that no step of the user waits for them. Behind a
登录密码, "the first screen" is the one after it: nothing of the client starts before the password is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from sbf_client.core.errors import InputError
from sbf_client.core.ids import check_taxpayer_id
from sbf_client.remote.contract.demo import demo_taxpayers
from sbf_client.services.client_password import ClientPasswordService
from sbf_client.services.context import ClientContext
from sbf_client.store.app_store import LocalUnit
from sbf_client.sync.progress import ProgressUpdate

from ..dialogs import ask, inform
from ..tasks import Task, TaskRunner, error_text, settle_start_up_heap
from .add_unit import ChooseUnitDialog, ConfirmRegistrationCard, TaxpayerCard
from .client_lock import ClientLockCard
from .data_update import DataUpdateCard
from .frame import ShellFrame
from .region_card import RegionCard
from .security import ChangePasswordCard, SecurityCard
from .unit_manager import UnitManagerCard

if TYPE_CHECKING:
    from sbf_client.remote.contract.models import RegistrationInfo, UnitSummary
    from sbf_client.services.session import UnitSession
    from sbf_client.services.startup import StartupReport
    from sbf_client.services.units import Session


# The first screen needs none of the services below (nor the network and database libraries behind them):
# they are imported when a step needs them, so that the window is complete a moment sooner.
def _units():  # type: ignore[no-untyped-def]
    from sbf_client.services import units

    return units


def _logged_in(context: ClientContext, unit: LocalUnit, password: str) -> UnitSession:
    """登录 (online, or offline with the verifier), and the unit's session built from it, as the command line
    builds it too."""
    from sbf_client.services.login import LoginService
    from sbf_client.services.session import open_unit_session

    session = open_unit_session(context, LoginService(context).login(unit, password))
    # Offline, the main window opens next and reads the unit's database at once: it is opened here, on the
    # worker (online, the 数据更新 steps open it, on their worker too).
    return session.opened() if session.offline else session


def _password_refused(card: SecurityCard) -> Callable[[BaseException], bool]:
    """安全认证 failed: the card is usable again with the password selected, so typing replaces it; the
    error itself is still shown (the handler does not claim it)."""

    def refused(_error: BaseException) -> bool:
        card.busy(False, "")
        card.password_rejected()
        return False

    return refused


@dataclass
class Adding:
    """What the 添加单位 flow has learnt so far."""

    module: str
    summary: UnitSummary | None = None
    session: Session | None = None
    password: str = ""
    info: RegistrationInfo | None = None


class ShellController(QObject):
    def __init__(
        self, context: ClientContext, runner: TaskRunner | None = None, frame: ShellFrame | None = None
    ) -> None:
        super().__init__()
        self.context = context
        self.runner = runner or TaskRunner()
        self.frame = frame or ShellFrame()
        self.frame.network_requested.connect(self.open_network_settings)
        self.units: UnitManagerCard | None = None
        self.current = None  # the card on show
        self.adding: Adding | None = None
        self.main_window = None
        self.unit_session: UnitSession | None = None  # the unit whose main window is open
        self.update_task: Task | None = None
        self.demo_task: Task | None = None

    # ------------------------------------------------------------------ start and region

    def start(self) -> None:
        self.frame.show()
        if ClientPasswordService(self.context).is_set():
            self._ask_client_password()
        else:
            self._enter()
        settle_start_up_heap()

    def _ask_client_password(self) -> None:
        """登录密码 (4.3): its card alone, 【网络设置】 hidden too, until the password is typed."""
        card = ClientLockCard()
        card.submitted.connect(self._client_password_typed)
        self.frame.network_button.hide()
        self._show(card)

    def _client_password_typed(self, password: str) -> None:
        card = self.current
        card.busy(True, "正在验证登录密码…")

        def unlocked(_result: None) -> None:
            self.frame.network_button.show()
            self._enter()

        def refused(_error: BaseException) -> bool:
            card.busy(False, "")
            card.password_rejected()
            return False  # the runner says what is wrong, with the wait after five

        self.runner.run(
            lambda _p: ClientPasswordService(self.context).check(password),  # Argon2: not on the UI thread
            unlocked,
            parent=self.frame,
            title="正在验证登录密码",
            on_error=refused,
        )

    def _enter(self) -> None:
        """The client proper: 选择地区 on a first start, else 单位管理; the 演示地区's servers in the background."""
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
        self.prepare_demo_servers()

    def prepare_demo_servers(self) -> None:
        """Start the 演示地区's servers in the background (generating the demo data on a first start)."""
        if self.demo_task is not None or not self.context.needs_demo_servers():
            return
        strip = self.frame.background
        strip.show_work("正在启动演示地区服务…")

        def progressed(update: ProgressUpdate) -> None:
            if update.total:
                strip.show_work(
                    f"首次使用演示地区，正在生成演示数据：{update.done:,} / {update.total:,} 人。"
                    "可以先选择地区、添加单位。",
                    update.done,
                    update.total,
                )

        def ready(_result: None) -> None:
            self.demo_task = None
            strip.hide()

        def failed(error: BaseException) -> bool:
            self.demo_task = None
            strip.show_note(f"演示地区服务未能启动：{error_text(error)} 添加单位或登录时将再次尝试。")
            return True

        task = self.runner.run(
            lambda progress: self.context.prepare_demo_servers(progress),
            ready,
            parent=self.frame,
            show_progress=False,
            on_error=failed,
            background=True,
        )
        task.progressed.connect(progressed)
        self.demo_task = task

    def _show(self, card) -> None:  # type: ignore[no-untyped-def]
        previous = self.current
        self.current = card
        self.frame.show_card(card)
        if previous is not None and previous is not self.units and previous is not card:
            self.frame.drop_card(previous)

    def _region_chosen(self, entry) -> None:  # type: ignore[no-untyped-def]
        self.context.choose_region(entry)
        self.show_units()
        self.prepare_demo_servers()

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
            self.units.switch(module)  # which reloads
        else:
            self.units.reload()
        self._show(self.units)

    # ------------------------------------------------------------------ 添加单位

    def start_adding(self, module: str) -> None:
        self.adding = Adding(module)
        card = TaxpayerCard(self.context.module(module).title)
        card.submitted.connect(self._taxpayer_entered)
        card.back.connect(lambda: self.show_units())
        region = self.context.region()
        if region.sandbox_region is not None:  # the 演示地区's taxpayers are known without asking its servers
            card.show_demo_accounts(demo_taxpayers(region.sandbox_region, module))
        self._show(card)

    def _taxpayer_entered(self, first: str, second: str) -> None:
        card = self.current
        try:
            taxpayer_id = check_taxpayer_id(first, second)
        except InputError as error:
            card.busy(False, "")
            inform(self.frame, error.message)
            return
        preparing = "（演示地区数据准备完成后将自动继续）" if self.demo_task is not None else ""
        card.busy(True, f"正在查询纳税人信息…{preparing}")
        assert self.adding is not None
        module = self.adding.module
        self.runner.run(
            lambda _p: _units().UnitService(self.context).lookup(taxpayer_id, module),  # type: ignore[arg-type]
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
        if not self._add_again(summary):
            return
        self.adding.summary = summary
        card = SecurityCard(summary.taxpayer_id, summary.name, self.context.module(self.adding.module).password_hint)
        card.submitted.connect(self._adding_password)
        card.back.connect(lambda: self.start_adding(self.adding.module if self.adding else "employer"))
        self._show(card)

    def _add_again(self, summary: UnitSummary) -> bool:
        """A unit already on this machine: say so before asking for its password again."""
        assert self.adding is not None
        known = [u for u in self.context.store.units(self.adding.module) if u.server_unit_id == summary.unit_id]
        if not known:
            return True
        return ask(
            self.frame,
            "提示",
            f"单位【{known[0].name}】已添加到本机，可在单位管理中直接登录。\n"
            "继续添加将重新验证申报密码并更新其参保登记信息，本机已有的数据不受影响。是否继续？",
            yes="继续添加",
            no="取消",
        )

    def _adding_password(self, password: str) -> None:
        assert self.adding is not None and self.adding.summary is not None
        card = self.current
        unit_id = self.adding.summary.unit_id
        card.busy(True, "正在验证申报密码…")

        def verified(session: Session) -> None:
            assert self.adding is not None
            self.adding.session, self.adding.password = session, password
            self._fetch_registration()

        self.runner.run(
            lambda _p: _units().UnitService(self.context).verify(unit_id, password),
            verified,
            parent=self.frame,
            title="正在验证申报密码",
            on_error=_password_refused(card),
        )

    def _fetch_registration(self) -> None:
        assert self.adding is not None and self.adding.session is not None
        session = self.adding.session
        self.runner.run(
            lambda _p: _units().UnitService(self.context).registration(session),
            self._confirm_registration,
            parent=self.frame,
            title="正在获取参保登记信息",
        )

    def _confirm_registration(self, info: RegistrationInfo) -> None:
        assert self.adding is not None
        self.adding.info = info
        card = ConfirmRegistrationCard(info)
        card.confirmed.connect(self._registration_confirmed)
        self._show(card)

    def _registration_confirmed(self) -> None:
        """确认参保登记信息 done: a unit still on its initial password sets a new one before it is saved (the
        catalog's reading of M974 and P11: nothing reaches the server before the 登记信息 are confirmed)."""
        adding = self.adding
        assert adding is not None and adding.session is not None
        if not adding.session.must_change_password:
            card = self.current
            card.ok.setEnabled(False)  # one save, however often 【确定】 is clicked
            self._finish_adding(None, lambda: card.ok.setEnabled(True))
            return
        change = ChangePasswordCard(adding.summary.name if adding.summary else "")
        change.submitted.connect(self._adding_new_password)
        self._show(change)

    def _adding_new_password(self, new: str, again: str) -> None:
        card = self.current
        card.busy(True, "正在修改申报密码…")
        self._finish_adding((new, again), lambda: card.busy(False, ""))

    def _finish_adding(self, new_password: tuple[str, str] | None, undo: Callable[[], None]) -> None:
        """The end of 添加单位 on a worker, as the command line ends it (``UnitService.finish_adding``): the
        new password (when the initial one must go) is checked, then set, then the unit saved with the
        verifier of the password that now opens it — an Argon2 hash the UI thread does not wait for."""
        adding = self.adding
        assert adding is not None and adding.summary is not None and adding.info is not None
        assert adding.session is not None
        summary, info, session, password = adding.summary, adding.info, adding.session, adding.password

        def finish(_progress) -> LocalUnit:  # type: ignore[no-untyped-def]
            service = _units().UnitService(self.context)
            return service.finish_adding(
                adding.module,  # type: ignore[arg-type]
                summary,
                session,
                info,
                password=password,
                confirmed=True,
                new_password=new_password,
            )

        def saved(unit: LocalUnit) -> None:
            self.adding = None
            self.show_units(unit.module)
            changed = "修改成功。" if new_password is not None else ""
            inform(self.frame, f"{changed}单位【{unit.name}】添加成功，可点击【登录】进入系统。")

        def failed(_error: BaseException) -> bool:
            undo()
            return False  # the runner says what went wrong

        title = "正在修改申报密码" if new_password is not None else "正在保存单位"
        self.runner.run(finish, saved, parent=self.frame, title=title, on_error=failed)

    # ------------------------------------------------------------------ 登录

    def start_login(self, unit: LocalUnit) -> None:
        card = SecurityCard(unit.taxpayer_id, unit.name, self.context.module(unit.module).password_hint)
        card.submitted.connect(lambda password: self._login(unit, password))
        card.back.connect(lambda: self.show_units())
        self._show(card)

    def _login(self, unit: LocalUnit, password: str) -> None:
        card = self.current
        card.busy(True, "正在验证申报密码…")

        def logged_in(session: UnitSession) -> None:
            if session.server is None:
                inform(
                    self.frame,
                    f"{session.offline_reason}\n已进入离线模式：可查看本机已保存的数据，需要联网的操作暂不可用。",
                )
                self.open_main(session)
            elif session.server.must_change_password:
                change = ChangePasswordCard(unit.name)
                change.submitted.connect(lambda new, again: self._login_new_password(session, password, new, again))
                self._show(change)
            else:
                self.update_data(session)

        self.runner.run(
            lambda _p: _logged_in(self.context, unit, password),
            logged_in,
            parent=self.frame,
            title="正在验证申报密码",
            on_error=_password_refused(card),
        )

    def _login_new_password(self, session: UnitSession, old: str, new: str, again: str) -> None:
        server = session.server
        assert server is not None
        registrations = [r.unit_no for r in session.registrations()]

        def changed(_r: None) -> None:  # change_password also made the new password the offline verifier's
            inform(self.frame, "修改成功")
            self.update_data(session.with_server(replace(server, must_change_password=False)))

        self.runner.run(
            lambda _p: _units().UnitService(self.context).change_password(server, old, new, again, registrations),
            changed,
            parent=self.frame,
            title="正在修改申报密码",
        )

    def update_data(self, session: UnitSession) -> None:
        assert session.server is not None
        card = DataUpdateCard(session.unit.name)
        self._show(card)
        from sbf_client.services.startup import StartupReport, login_steps, run_steps

        report = StartupReport()

        def work(progress):  # type: ignore[no-untyped-def]
            return run_steps(login_steps(session, report), progress, report)

        def finished(done: StartupReport) -> None:
            self.update_task = None
            if done.failures:
                card.show_problems(done.failures)
                card.enter_requested.connect(lambda: self.open_main(session))
            else:
                self.open_main(session)

        def failed(_error: BaseException) -> bool:
            self.update_task = None
            session.close()
            self.show_units()
            return False

        task = self.runner.run(work, finished, parent=self.frame, show_progress=False, on_error=failed)
        task.progressed.connect(card.show_progress)
        card.cancel_requested.connect(task.cancel)
        self.update_task = task

    # ------------------------------------------------------------------ main window

    def open_main(self, session: UnitSession) -> None:
        from .main_window import MainWindow

        self.unit_session = session
        window = MainWindow(session, self.runner)
        window.switch_unit.connect(self.switch_unit)
        self.main_window = window
        self.frame.hide()
        window.show()
        self.show_units(session.unit.module)

    def switch_unit(self) -> None:
        """【单位管理】: back to the unit list without restarting."""
        if self.main_window is not None:
            self.main_window.close_for_switch()
            self.main_window = None
        if self.unit_session is not None:
            self.unit_session.close()
            self.unit_session = None
        self.show_units()
        self.frame.show()
