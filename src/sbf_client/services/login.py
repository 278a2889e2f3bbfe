"""登录 with its safeguards, for the window and the command line alike: the server checks the 申报密码;
after five wrong passwords the next try must wait, longer each time (``store/security.py``); a unit the
server has locked (20104) engages that wait too; without the network, the last password verified on this
machine opens the cached data read-only (离线).
"""

from __future__ import annotations

from dataclasses import dataclass

from sbf_client.core.clock import format_timestamp
from sbf_client.core.errors import InputError, SbfError
from sbf_client.remote.errors import (
    ConnectionDroppedError,
    ProxyUnavailableError,
    RequestTimeoutError,
    ServerUnavailableError,
)
from sbf_client.store.app_store import LocalUnit
from sbf_client.store.security import FIRST_DELAY_SECONDS, FREE_ATTEMPTS, MAX_DELAY_SECONDS, delay_after

from .context import ClientContext
from .units import LoginThrottled, Session, UnitService, checked_password

__all__ = [
    "FIRST_DELAY_SECONDS",
    "FREE_ATTEMPTS",
    "MAX_DELAY_SECONDS",
    "UNREACHABLE",
    "LoginResult",
    "LoginService",
    "LoginThrottled",
    "delay_after",
]

UNREACHABLE = (ServerUnavailableError, ProxyUnavailableError, RequestTimeoutError, ConnectionDroppedError)


@dataclass(frozen=True)
class LoginResult:
    unit: LocalUnit
    session: Session | None  # None when offline
    offline_reason: str = ""

    @property
    def offline(self) -> bool:
        return self.session is None


class LoginService:
    def __init__(self, context: ClientContext) -> None:
        self.context = context
        self.units = UnitService(context)
        self.security = self.units.security

    def wait_seconds(self, unit: LocalUnit) -> int:
        return self.units.wait_seconds([unit.id])

    def _failed(self, unit: LocalUnit) -> None:
        self.security.record_failure(unit.id, format_timestamp(self.context.clock.now()))

    def login(self, unit: LocalUnit, password: str, *, offline: bool = True) -> LoginResult:
        """登录 a unit of this machine. Online, the server checks the password (as ``UnitService.verify`` does:
        throttled and counted) and its verifier is kept; when the server cannot be reached, the verifier
        opens the cached data (``offline=False``: the caller needs the server, and that failure is raised)."""
        checked_password(password)
        local = self.security.local_units(unit.server_unit_id)  # this unit (and any other that is it)
        self.units.refuse_if_waiting(local)  # offline tries wait like online ones
        try:
            session = self.units.verify_allowed(unit.server_unit_id, password, local)
        except UNREACHABLE as unreachable:
            if not offline:
                raise
            return self._offline(unit, password, unreachable.message)
        now = format_timestamp(self.context.clock.now())
        self.security.remember_password(unit.id, password, now)
        self.context.store.mark_login(unit.id, now)
        return LoginResult(unit, session)

    def _offline(self, unit: LocalUnit, password: str, reason: str) -> LoginResult:
        if not self.security.has_verifier(unit.id):
            raise SbfError(f"{reason}\n本机还没有该单位联网登录的记录，无法离线查看。请连接网络后登录。")
        if not self.security.verify_offline(unit.id, password):
            self._failed(unit)
            raise InputError("申报密码有误，请重新输入。（当前无法连接服务器，已按本机上次联网登录的密码验证）")
        self.security.clear_failures(unit.id)
        return LoginResult(unit, None, reason)
