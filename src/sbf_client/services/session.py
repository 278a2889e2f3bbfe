"""One logged-in unit, as the window and the command line hold it: ``UnitSession``.

A login (``LoginService.login``, online or offline) becomes a ``UnitSession`` through ``open_unit_session``,
the one place both the window and the command line build it. Start-up jobs, services, pages and commands
take the session instead of a bundle of context, databases, unit and server session: it carries the unit,
its module, the server session (``None`` offline, with the reason), and the unit database, opened on first
use and migrated to the module's schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from sbf_client.core.clock import Clock
from sbf_client.core.errors import SbfError
from sbf_client.plugins.spec import ModuleSpec
from sbf_client.store.app_store import LocalUnit, RegistrationRow
from sbf_client.store.codes import CodeTables
from sbf_client.store.unit_store import open_unit_db

from .context import ClientContext
from .units import Session

if TYPE_CHECKING:
    from .login import LoginResult


def server_needed(reason: str, what: str, code: int | None = None) -> SbfError:
    """The refusal of work that needs the server when it cannot be reached (``reason``: why not)."""
    return SbfError(f"{reason} {what}需要连接服务器，离线时无法办理。", code=code)


class UnitDatabases:
    """Open unit databases, one engine per unit, migrated to the unit's module schema on first open."""

    def __init__(self, context: ClientContext) -> None:
        self.context = context
        self._open: dict[int, Engine] = {}

    def engine(self, unit: LocalUnit) -> Engine:
        if unit.id not in self._open:
            spec = self.context.module(unit.module)
            self._open[unit.id] = open_unit_db(self.context.unit_db_path(unit), spec.migration_branch)
        return self._open[unit.id]

    def close(self) -> None:
        for engine in self._open.values():
            engine.dispose()
        self._open.clear()


@dataclass(frozen=True)
class UnitSession:
    """A logged-in unit: what every start-up job, service, page and command of the unit works with.

    ``server`` is the 管理子系统's session, ``None`` offline (the cached data only; ``offline_reason`` says
    why). The unit database opens on first use (``engine``); ``close`` closes it when the unit is left.
    """

    context: ClientContext
    unit: LocalUnit
    module: ModuleSpec
    server: Session | None
    databases: UnitDatabases = field(repr=False, compare=False)
    offline_reason: str = ""

    @property
    def offline(self) -> bool:
        return self.server is None

    @property
    def engine(self) -> Engine:
        """The unit's database (opened, and migrated, the first time it is asked for)."""
        return self.databases.engine(self.unit)

    @property
    def clock(self) -> Clock:
        return self.context.clock

    @property
    def codes(self) -> CodeTables:
        """The 规则文件 code tables as cached now (a login's 数据更新 downloads them anew)."""
        return CodeTables.of(self.context.store)

    @property
    def mode(self) -> str:
        """The region's 征收模式."""
        return self.context.region().mode

    def registrations(self) -> list[RegistrationRow]:
        """The unit's 参保登记信息 (单位编号 · 社保经办机构 · 主管税务机关) as kept on this machine."""
        return self.context.store.registrations(self.unit.id)

    def require_server(self, what: str) -> Session:
        """The server session, for ``what`` (e.g. "更新数据"), which cannot be done offline."""
        if self.server is None:
            raise server_needed(self.offline_reason or "当前无法连接服务器。", what)
        return self.server

    def with_server(self, server: Session) -> UnitSession:
        """The same unit with a renewed server session (after the initial 申报密码 was changed)."""
        return replace(self, server=server)

    def close(self) -> None:
        self.databases.close()


def open_unit_session(context: ClientContext, login: LoginResult) -> UnitSession:
    """The session of a login, online or offline: for the window and the command line alike."""
    return UnitSession(
        context,
        login.unit,
        context.module(login.unit.module),
        login.session,
        UnitDatabases(context),
        login.offline_reason,
    )
