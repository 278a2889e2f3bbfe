"""单位管理 use cases: add a unit (manual 1.5.1 and seed 002), verify and change the 申报密码.

Each step validates what the user typed before anything is sent, and the unit is written to the app
database only after 确认参保登记信息, in one transaction. Logging in to a unit of this machine is
``services.login.LoginService``, built on ``verify`` here.

Every check of a 申报密码 goes through ``verify``: when the unit is already on this machine, its failure
counter throttles the check (the same counter a login uses), so adding a unit again guesses no faster than
logging in. Every change of a 申报密码 goes through ``change_password``, which also refreshes the offline
verifier of the unit on this machine, so an old password never opens the cached data; ``save`` stores the
verifier of the password an added unit was verified with.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbf_client import logs
from sbf_client.core.clock import format_timestamp
from sbf_client.core.errors import InputError, SbfError
from sbf_client.core.ids import check_taxpayer_id
from sbf_client.core.passwords import MAX_STORED_LENGTH, initial_password, new_password_problem
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.models import Business, RegistrationInfo, SessionResponse, UnitSummary
from sbf_client.remote.errors import ApiError
from sbf_client.store.app_store import LocalUnit, RegistrationRow, UnitProfile
from sbf_client.store.security import SecurityStore

from .context import ClientContext


@dataclass(frozen=True)
class Session:
    unit_id: str
    token: str
    must_change_password: bool
    summary: UnitSummary

    @classmethod
    def of(cls, response: SessionResponse) -> Session:
        logs.remember_secret(response.token)
        return cls(response.unit.unit_id, response.token, response.must_change_password, response.unit)


class LoginThrottled(InputError):
    """Too many wrong passwords in a row on this machine: the next try must wait ``seconds``."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"申报密码已连续输错多次，为保护单位数据安全，请{seconds}秒后再试。")
        self.seconds = seconds


def checked_password(password: str) -> str:
    """A 申报密码 as typed, refused before it is sent (or put in a request model, whose errors would quote it)
    when it cannot be one; noted as a secret either way."""
    logs.remember_secret(password)
    if not password:
        raise InputError("请输入申报密码。")
    if len(password) > MAX_STORED_LENGTH:
        raise InputError(f"申报密码不超过{MAX_STORED_LENGTH}位，您输入的有{len(password)}位，请检查后重新输入。")
    return password


class UnitService:
    def __init__(self, context: ClientContext) -> None:
        self.context = context
        self.security = SecurityStore(context.store.engine)

    def _now(self) -> str:
        return format_timestamp(self.context.clock.now())

    def lookup(self, taxpayer_id: str, business: Business) -> list[UnitSummary]:
        """The units under a 纳税人识别号; several means the user picks one (选择单位)."""
        return self.context.api().lookup_taxpayer(check_taxpayer_id(taxpayer_id), business)

    # ------------------------------------------------------------------ 申报密码

    def wait_seconds(self, unit_ids: list[int]) -> int:
        """How long the next password check of these units of this machine must wait (0: none)."""
        now = self.context.clock.now()
        return max((self.security.failures(unit_id).wait_seconds(now) for unit_id in unit_ids), default=0)

    def verify(self, unit_id: str, password: str) -> Session:
        """安全认证: the server checks the 申报密码 (a wrong one is 20101 with the manual's message; a unit the
        server has locked after wrong passwords is 20104 with its message, shown as it is). When the unit is
        on this machine, its failure counter throttles the check and counts the outcome."""
        checked_password(password)
        local = self.security.local_units(unit_id)
        self.refuse_if_waiting(local)
        return self.verify_allowed(unit_id, password, local)

    def refuse_if_waiting(self, local: list[int]) -> None:
        """``LoginThrottled`` when a password check of these units of this machine must wait yet."""
        waiting = self.wait_seconds(local)
        if waiting:
            raise LoginThrottled(waiting)

    def verify_allowed(self, unit_id: str, password: str, local: list[int]) -> Session:
        """The server's check of a password already found acceptable (``checked_password``) and not to wait
        (``refuse_if_waiting``); the outcome counts for ``local``, the units of this machine that are it."""
        try:
            session = Session.of(self.context.api().open_session(unit_id, password))
        except ApiError as error:
            self._refused(local, error)
            raise
        for local_id in local:
            self.security.clear_failures(local_id)
        return session

    def _refused(self, local: list[int], error: ApiError) -> None:
        if error.code == codes.WRONG_PASSWORD:
            for local_id in local:
                self.security.record_failure(local_id, self._now())
        elif error.code == codes.PASSWORD_LOCKED:
            for local_id in local:
                self.security.record_lock(local_id, self._now())

    def check_new_password(self, old: str, new: str, confirm: str, unit_nos: list[str]) -> None:
        """The rules of a new 申报密码, checked before anything is sent (the server checks them again)."""
        for secret in (old, new, confirm):
            logs.remember_secret(secret)
        initial = {initial_password(no) for no in unit_nos if no}
        problem = new_password_problem(new, confirm, initial=initial, current=old)
        if problem:
            raise InputError(problem)

    def change_password(self, session: Session, old: str, new: str, confirm: str, unit_nos: list[str]) -> None:
        """修改申报密码: the rules are checked here first, then by the server. The unit's offline verifier on
        this machine, if it is on this machine, is the new password's from then on."""
        self.check_new_password(old, new, confirm, unit_nos)
        local = self.security.local_units(session.unit_id)
        try:
            self.context.api().change_password(session.unit_id, session.token, old, new)
        except ApiError as error:
            self._refused(local, error)
            raise
        for local_id in local:
            self.security.remember_password(local_id, new, self._now())

    # ------------------------------------------------------------------ 添加单位

    def registration(self, session: Session) -> RegistrationInfo:
        return self.context.api().registration(session.unit_id, session.token)

    def unit_numbered(self, module: Business, units: list[UnitSummary], unit_no: str) -> UnitSummary:
        """The unit among ``units`` (one 纳税人识别号's) that holds 单位编号 ``unit_no``, found from what this
        machine knows, without trying a password on any of them: the lookup names no 单位编号, and every wrong
        password tried on the wrong unit would bring that unit nearer to the server's lock. A unit added here
        lists its 单位编号 in its 参保登记信息; when every other unit is known here not to hold it, the one
        left does. Raises ``InputError`` when this machine cannot tell."""
        if len(units) == 1:
            return units[0]
        taxpayer_ids = {u.taxpayer_id for u in units}
        known = {
            u.server_unit_id: {r.unit_no for r in self.context.store.registrations(u.id)}
            for u in self.context.store.units(module)
            if u.taxpayer_id in taxpayer_ids
        }
        holding = [u for u in units if unit_no in known.get(u.unit_id, set())]
        if holding:
            return holding[0]
        unknown = [u for u in units if u.unit_id not in known]
        if len(unknown) == 1:
            return unknown[0]
        if not unknown:
            raise InputError(
                f"该纳税人识别号下的{len(units)}家单位均已添加到本机，其参保登记信息中都没有单位编号{unit_no}。"
                "请核对单位编号。"
            )
        raise InputError(
            f"该纳税人识别号对应{len(units)}家单位，本机尚不知道单位编号{unit_no}属于哪一家。为免在其他单位上"
            "试错申报密码（连续输错将被锁定），请先选择单位。"
        )

    def save(
        self,
        module: Business,
        summary: UnitSummary,
        info: RegistrationInfo,
        confirmed: bool,
        password: str | None = None,
    ) -> LocalUnit:
        """确认参保登记信息 → the unit appears in 单位管理; only with 我已确认无误 ticked. ``password``: the
        申报密码 the unit was verified with (after a change, the new one): its verifier is stored, so that the
        unit opens offline with it and with no other."""
        if not confirmed:
            raise InputError("请核对参保登记信息，确认无误后勾选“我已确认无误”。")
        if password is not None:
            checked_password(password)
        unit = self.keep_registration(module, summary.taxpayer_id, summary.unit_id, info)
        if password is not None:
            self.security.remember_password(unit.id, password, self._now())
        return unit

    def keep_registration(
        self, module: str, taxpayer_id: str, server_unit_id: str, info: RegistrationInfo
    ) -> LocalUnit:
        """The unit's 参保登记信息 and 基本信息 (单位信息, manual 4.4) as the 管理子系统 sent them, into the app
        database: when it is added and at every login. 基本信息 the server did not send is left as it was."""
        now = self._now()
        basic = info.basic
        return self.context.store.add_unit(
            module=module,
            taxpayer_id=taxpayer_id,
            server_unit_id=server_unit_id,
            name=info.name,
            tax_authority=info.tax_authority,
            tax_branch=info.tax_branch,
            registrations=[RegistrationRow(r.unit_no, r.agency, r.tax_authority) for r in info.registrations],
            added_at=now,
            profile=None if basic is None else UnitProfile(**basic.model_dump(), refreshed_at=now),
        )

    def finish_adding(
        self,
        module: Business,
        summary: UnitSummary,
        session: Session,
        info: RegistrationInfo,
        *,
        password: str,
        confirmed: bool,
        new_password: tuple[str, str] | None = None,
    ) -> LocalUnit:
        """The end of 添加单位, in the order that leaves the server untouched by a refusal: nothing is sent
        before the 参保登记信息 are confirmed and the new password (when the initial one must be changed)
        passes the rules; then the password is changed, then the unit saved with the verifier of the
        password that now opens it."""
        if not confirmed:
            raise InputError("请核对参保登记信息，确认无误后勾选“我已确认无误”。单位未添加，申报密码未修改。")
        unit_nos = [r.unit_no for r in info.registrations]
        if session.must_change_password:
            if new_password is None:
                raise InputError("您使用的是初始申报密码，请先设置新申报密码。")
            new, again = new_password
            self.change_password(session, password, new, again, unit_nos)
            password = new
        return self.save(module, summary, info, confirmed, password=password)

    def find(self, module: Business, text: str) -> LocalUnit:
        """A unit of this machine by 纳税人识别号, 纳税人名称 or server unit id; ambiguity is an error."""
        text = text.strip()
        units = self.context.store.units(module)
        exact = [
            u for u in units if text in (u.taxpayer_id, u.server_unit_id, u.name, f"{u.taxpayer_id}:{u.server_unit_id}")
        ]
        if len(exact) == 1:
            return exact[0]
        if not exact:
            raise SbfError(f"本机没有添加“{text}”对应的单位，请先添加单位。")
        names = "、".join(f"{u.taxpayer_id}:{u.server_unit_id}（{u.name}）" for u in exact)
        raise InputError(f"“{text}”对应多家单位，请指明其中一家：{names}")
