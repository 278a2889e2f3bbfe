"""One logged-in unit, as the window and the command line hold it: ``UnitSession``.

A login (``LoginService.login``, online or offline) becomes a ``UnitSession`` through ``open_unit_session``,
the one place both the window and the command line build it. Start-up jobs, services, pages and commands
take the session instead of a bundle of context, databases, unit and server session: it carries the unit,
its module, the server session (``None`` offline, with the reason), and the unit database, opened on first
use and migrated to the module's schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
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


class UnitDatabase:
    """The unit's database, opened (and migrated to its module's schema) the first time it is asked for."""

    def __init__(self, path: Path, migrations: str) -> None:
        self.path = path
        self.migrations = migrations
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = open_unit_db(self.path, self.migrations)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


@dataclass(frozen=True)
class UnitSession:
    """A logged-in unit: what every start-up job, service, page and command of the unit works with.

    ``server`` is the 管理子系统's session, ``None`` offline (the cached data only; ``offline_reason`` says
    why). ``mode`` is the region's 征收模式 (a region, once chosen, stays). The unit database opens on first
    use (``engine``); ``close`` closes it when the unit is left.
    """

    context: ClientContext
    unit: LocalUnit
    module: ModuleSpec
    mode: str
    server: Session | None
    database: UnitDatabase = field(repr=False, compare=False)
    offline_reason: str = ""

    @property
    def offline(self) -> bool:
        return self.server is None

    @property
    def engine(self) -> Engine:
        """The unit's database (opened, and migrated, the first time it is asked for)."""
        return self.database.engine()

    @property
    def clock(self) -> Clock:
        return self.context.clock

    @property
    def codes(self) -> CodeTables:
        """The 规则文件 code tables as cached now (a login's 数据更新 downloads them anew)."""
        return CodeTables.of(self.context.store)

    def registrations(self) -> list[RegistrationRow]:
        """The unit's 参保登记信息 (单位编号 · 社保经办机构 · 主管税务机关) as kept on this machine."""
        return self.context.store.registrations(self.unit.id)

    def opened(self) -> UnitSession:
        """The session with its database opened (and migrated) now, on the calling thread: a worker's, so that
        the UI thread does not wait for it later (the first open in a process loads Alembic)."""
        self.database.engine()
        return self

    def require_server(self, what: str) -> Session:
        """The server session, for ``what`` (e.g. "更新数据"), which cannot be done offline."""
        if self.server is None:
            raise server_needed(self.offline_reason or "当前无法连接服务器。", what)
        return self.server

    def with_server(self, server: Session) -> UnitSession:
        """The same unit with a renewed server session (after the initial 申报密码 was changed)."""
        return replace(self, server=server)

    def close(self) -> None:
        self.database.close()


def open_unit_session(context: ClientContext, login: LoginResult) -> UnitSession:
    """The session of a login, online or offline: for the window and the command line alike."""
    module = context.module(login.unit.module)
    return UnitSession(
        context,
        login.unit,
        module,
        context.region().mode,
        login.session,
        UnitDatabase(context.unit_db_path(login.unit), module.migrations),
        login.offline_reason,
    )
