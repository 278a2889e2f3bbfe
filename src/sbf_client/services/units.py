"""单位管理 use cases: add a unit (manual 1.5.1 and seed 002), log in, change the 申报密码.

Each step validates what the user typed before anything is sent, and the unit is written to the app
database only after 确认参保登记信息, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbf_client.core.clock import format_timestamp
from sbf_client.core.errors import InputError, SbfError
from sbf_client.core.ids import check_taxpayer_id
from sbf_client.core.passwords import initial_password, new_password_problem
from sbf_client.remote.contract.models import Business, RegistrationInfo, SessionResponse, UnitSummary
from sbf_client.store.app_store import LocalUnit, RegistrationRow

from .context import ClientContext


@dataclass(frozen=True)
class Session:
    unit_id: str
    token: str
    must_change_password: bool
    summary: UnitSummary

    @classmethod
    def of(cls, response: SessionResponse) -> Session:
        return cls(response.unit.unit_id, response.token, response.must_change_password, response.unit)


class UnitService:
    def __init__(self, context: ClientContext) -> None:
        self.context = context

    def lookup(self, taxpayer_id: str, business: Business) -> list[UnitSummary]:
        """The units under a 纳税人识别号; several means the user picks one (选择单位)."""
        return self.context.api().lookup_taxpayer(check_taxpayer_id(taxpayer_id), business)

    def verify(self, unit_id: str, password: str) -> Session:
        """安全认证: the server checks the 申报密码 (a wrong one is 20101 with the manual's message)."""
        if not password:
            raise InputError("请输入申报密码。")
        return Session.of(self.context.api().open_session(unit_id, password))

    def change_password(self, session: Session, old: str, new: str, confirm: str, unit_nos: list[str]) -> None:
        """修改申报密码: the rules are checked here first, then by the server."""
        initial = {initial_password(no) for no in unit_nos if no}
        problem = new_password_problem(new, confirm, initial=initial, current=old)
        if problem:
            raise InputError(problem)
        self.context.api().change_password(session.unit_id, session.token, old, new)

    def registration(self, session: Session) -> RegistrationInfo:
        return self.context.api().registration(session.unit_id, session.token)

    def save(self, module: Business, summary: UnitSummary, info: RegistrationInfo, confirmed: bool) -> LocalUnit:
        """确认参保登记信息 → the unit appears in 单位管理; only with 我已确认无误 ticked."""
        if not confirmed:
            raise InputError("请核对参保登记信息，确认无误后勾选“我已确认无误”。")
        return self.context.store.add_unit(
            module=module,
            taxpayer_id=summary.taxpayer_id,
            server_unit_id=summary.unit_id,
            name=info.name,
            tax_authority=info.tax_authority,
            tax_branch=info.tax_branch,
            registrations=[RegistrationRow(r.unit_no, r.agency, r.tax_authority) for r in info.registrations],
            added_at=format_timestamp(self.context.clock.now()),
        )

    def login(self, unit: LocalUnit, password: str) -> Session:
        """登录: verify online; an initial password must be changed before the data can be used."""
        session = self.verify(unit.server_unit_id, password)
        self.context.store.mark_login(unit.id, format_timestamp(self.context.clock.now()))
        return session

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
