"""What a business module declares about itself, as data: the shell reads this and imports nothing else.

Pages, datasets, start-up jobs, home-page providers and command-line commands are named by
``"package.module:name"`` references and imported only when first needed.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Literal

Business = Literal["employer", "collector"]
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
class StartupJob:
    """A login-time job of the 数据更新 page: ``run(context, databases, unit, session, progress)``.

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

    ``migration_branch`` names the module's branch of the unit-database schema (``migrations/unit/<branch>``);
    ``feed`` is the change feed its people come from; ``password_hint`` is the red text of 安全认证;
    ``home_reminders(context, engine, unit) -> Reminders`` and ``home_chart(engine, code_tables) -> Chart``
    feed the 首页.
    """

    id: Business
    title: str
    migration_branch: str
    feed: str
    password_hint: str
    datasets: tuple[str, ...] = ()
    cli: tuple[str, ...] = ()
    menu: tuple[MenuItem, ...] = ()
    shortcuts: tuple[str, ...] = ()  # menu ids of the 常用功能 buttons
    home_reminders: str | None = None
    home_chart: str | None = None
    startup: tuple[StartupJob, ...] = ()
    order: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def load_datasets(self) -> list[Any]:
        return [load_object(reference) for reference in self.datasets]

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


def load_object(reference: str) -> Any:
    """Import ``"package.module:name"`` lazily, the way entry points name objects."""
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
