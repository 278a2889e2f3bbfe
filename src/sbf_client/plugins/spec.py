"""What a business module declares about itself, as data: the shell reads this and imports nothing else.

Pages, datasets, start-up jobs, 首页 providers, command-line commands and the module's part of the sandbox are
named by ``"package.module:name"`` references and imported only when first needed
(``tests/unit/test_module_references.py`` loads every one of them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sbf_client.core.references import load_object

if TYPE_CHECKING:
    from sqlalchemy import Engine

ZIZHU, DAIZHENG = "税务自主模式", "税务代征模式"


@dataclass(frozen=True)
class MenuItem:
    """A node of the left menu tree, in the manual's words and order.

    ``page`` names the page class; an item without a page and without children opens the 该功能尚未开放
    page. ``modes`` limits the item to regions of those 征收模式 (empty: every region).
    """

    id: str
    title: str
    page: str | None = None
    children: tuple[MenuItem, ...] = ()
    modes: tuple[str, ...] = ()
    manual: str = ""  # the manual's section, shown on pages not yet open

    def visible_in(self, mode: str) -> bool:
        return not self.modes or mode in self.modes

    def walk(self) -> list[MenuItem]:
        return [self, *(node for child in self.children for node in child.walk())]


def leaf(item_id: str, title: str, manual: str, page: str | None = None, modes: tuple[str, ...] = ()) -> MenuItem:
    """A menu item that opens a page (or, without ``page``, the 该功能尚未开放 page)."""
    return MenuItem(item_id, title, page=page, manual=manual, modes=modes)


@dataclass(frozen=True)
class Reminder:
    """One line of 待办事项 or 异常提醒 on the 首页; clicking it opens the menu item ``target``."""

    text: str
    target: str


@dataclass(frozen=True)
class Reminders:
    todos: tuple[Reminder, ...] = ()
    alerts: tuple[Reminder, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A small bar chart of the unit's cached data for the 首页: one or more series of (label, count)."""

    title: str
    series: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]


@dataclass(frozen=True)
class HomeInputs:
    """What a 首页 provider reads: the unit's cached database, the region's 规则文件 code tables (code → name, as
    ``CodeTables.tables``; empty before the first download), the region's 征收模式, and now (from the client's
    clock: a provider never reads the time itself). Computed off the UI thread."""

    engine: Engine
    code_tables: Mapping[str, Mapping[str, str]]
    mode: str
    now: datetime


class HomeReminders(Protocol):
    """``ModuleSpec.home_reminders``: the 待办事项 and 异常提醒 of the unit's 首页."""

    def __call__(self, home: HomeInputs, /) -> Reminders: ...


class HomeChart(Protocol):
    """``ModuleSpec.home_chart``: the chart of the unit's cached data on its 首页."""

    def __call__(self, home: HomeInputs, /) -> Chart: ...


@dataclass(frozen=True)
class StartupJob:
    """A login-time job of the 数据更新 page: ``run(session, progress)``, with the logged-in unit's
    ``services.session.UnitSession`` (online: its ``server`` is set) and the step's ``sync.progress.Progress``.

    ``modes`` limits the job to regions of those 征收模式 (empty: every region), like ``MenuItem.modes``.
    """

    title: str
    run: str
    weight: int = 5
    modes: tuple[str, ...] = ()

    def runs_in(self, mode: str) -> bool:
        return not self.modes or mode in self.modes


@dataclass(frozen=True)
class ModuleSpec:
    """A business module (用人单位 or 代收单位 业务).

    ``id`` is the business the module serves, as the 管理子系统 names it (``remote.contract.models.Business``):
    units are looked up and registered under it. ``migrations`` names the package that holds the module's
    branch of the unit-database schema (its Alembic revisions, beside the module's tables);
    ``password_hint`` is the red text of 安全认证.

    References (``"package.module:name"``): ``datasets`` name ``sync.dataset.Dataset`` objects, each naming
    the change feed it syncs; ``cli`` names ``register(commands, common)`` functions; ``menu`` pages name page
    classes; ``home_reminders`` a :class:`HomeReminders` and ``home_chart`` a :class:`HomeChart`; ``startup``
    jobs name their ``run`` functions; ``sandbox`` names the module's part of the sandbox (an
    ``sbf_sandbox.business.BusinessSandbox``: its feeds and routes), which the sandbox finds through this
    declaration and the client never imports.
    """

    id: str
    title: str
    migrations: str
    password_hint: str
    datasets: tuple[str, ...] = ()
    cli: tuple[str, ...] = ()
    menu: tuple[MenuItem, ...] = ()
    shortcuts: tuple[str, ...] = ()  # menu ids of the 常用功能 buttons
    home_reminders: str | None = None
    home_chart: str | None = None
    startup: tuple[StartupJob, ...] = ()
    sandbox: str | None = None
    order: int = 0

    def load_datasets(self) -> list[Any]:
        return [load_object(reference) for reference in self.datasets]

    def load_home_reminders(self) -> HomeReminders | None:
        return load_object(self.home_reminders) if self.home_reminders else None

    def load_home_chart(self) -> HomeChart | None:
        return load_object(self.home_chart) if self.home_chart else None

    def menu_item(self, item_id: str) -> MenuItem:
        for root in self.menu:
            for node in root.walk():
                if node.id == item_id:
                    return node
        raise KeyError(item_id)

    def menu_path(self, item_id: str) -> list[MenuItem]:
        """The item and its ancestors, from the root: for the breadcrumb (首页 >> 社保费申报 >> 日常申报)."""

        def search(nodes: tuple[MenuItem, ...], trail: list[MenuItem]) -> list[MenuItem] | None:
            for node in nodes:
                if node.id == item_id:
                    return [*trail, node]
                found = search(node.children, [*trail, node])
                if found:
                    return found
            return None

        return search(self.menu, []) or []
