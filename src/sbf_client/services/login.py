"""登录 with its safeguards: the server checks the 申报密码; after five wrong passwords the next try must
wait, longer each time; without the network, the last password verified on this machine opens the
cached data read-only (离线).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sbf_client.core.clock import CHINA_TZ, format_timestamp
from sbf_client.core.errors import InputError, SbfError
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.errors import (
    ApiError,
    ConnectionDroppedError,
    ProxyUnavailableError,
    RequestTimeoutError,
    ServerUnavailableError,
)
from sbf_client.store.app_store import LocalUnit
from sbf_client.store.security import SecurityStore

from .context import ClientContext
from .units import Session, UnitService

FREE_ATTEMPTS = 5
FIRST_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 15 * 60
UNREACHABLE = (ServerUnavailableError, ProxyUnavailableError, RequestTimeoutError, ConnectionDroppedError)


class LoginThrottled(InputError):
    def __init__(self, seconds: int) -> None:
        super().__init__(f"申报密码已连续输错多次，为保护单位数据安全，请{seconds}秒后再试。")
        self.seconds = seconds


@dataclass(frozen=True)
class LoginResult:
    unit: LocalUnit
    session: Session | None  # None when offline
    offline_reason: str = ""

    @property
    def offline(self) -> bool:
        return self.session is None


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passwords in a row: none for the first five, then 5 s, 10 s,
    20 s… up to 15 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS))


class LoginService:
    def __init__(self, context: ClientContext) -> None:
        self.context = context
        self.security = SecurityStore(context.store.engine)

    def wait_seconds(self, unit: LocalUnit) -> int:
        failures = self.security.failures(unit.id)
        if failures.last_at is None:
            return 0
        last = datetime.strptime(failures.last_at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA_TZ)
        ready = last + timedelta(seconds=delay_after(failures.count))
        return max(0, int((ready - self.context.clock.now()).total_seconds() + 0.999))

    def _failed(self, unit: LocalUnit) -> None:
        self.security.record_failure(unit.id, format_timestamp(self.context.clock.now()))

    def login(self, unit: LocalUnit, password: str) -> LoginResult:
        if not password:
            raise InputError("请输入申报密码。")
        waiting = self.wait_seconds(unit)
        if waiting:
            raise LoginThrottled(waiting)
        now = format_timestamp(self.context.clock.now())
        try:
            session = UnitService(self.context).verify(unit.server_unit_id, password)
        except ApiError as error:
            if error.code == codes.WRONG_PASSWORD:
                self._failed(unit)
            raise
        except UNREACHABLE as unreachable:
            return self._offline(unit, password, unreachable.message)
        self.security.clear_failures(unit.id)
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

    def remember(self, unit: LocalUnit, password: str) -> None:
        """After a password change: the new password opens the cached data offline from now on."""
        self.security.remember_password(unit.id, password, format_timestamp(self.context.clock.now()))
