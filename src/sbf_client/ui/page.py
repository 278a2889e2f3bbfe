"""The contract between the main window and its pages, and the page for functions not yet open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from sbf_client.core.references import load_object
from sbf_client.plugins.spec import MenuItem
from sbf_client.services.session import UnitSession

from .tasks import ChangeHub, TaskRunner


@dataclass
class PageContext:
    """What every page of a logged-in unit may use: the unit's ``UnitSession`` (its unit, module, server
    session or none offline, database, code tables, clock) and the window's task runner, change hub and menu."""

    session: UnitSession
    runner: TaskRunner
    hub: ChangeHub
    open_menu: Callable[[str], None]


class Page(QWidget):
    """A page of the work area; ``item`` is the menu item it was opened from."""

    def __init__(self, page: PageContext, item: MenuItem) -> None:
        super().__init__()
        self.page = page
        self.item = item
        self.setObjectName(f"page-{item.id}")

    def refresh(self) -> None:
        """Reload the shown data (after an update); pages that show data override it."""

    def watches(self, changes: frozenset[str]) -> bool:
        """Whether a change of these data sets concerns the page (it is then refreshed); list pages say which."""
        return True


NOT_OPEN = "该功能尚未开放"
MENU_HINT = "现有功能可在左侧菜单中使用。"


def is_open(item: MenuItem) -> bool:
    """Whether the item leads somewhere built: a page, or a group of items."""
    return bool(item.page or item.children)


def not_open_text(item: MenuItem) -> str:
    """What a shortcut or a reminder says when clicked before its page is built."""
    return f"【{item.title}】{NOT_OPEN}。"


class PlaceholderPage(Page):
    """该功能尚未开放: the menu is there as in the manual, the function comes later. ``hint`` says where to go
    instead, in the words of where the page is shown (the left menu of the main window, a tab elsewhere)."""

    def __init__(self, page: PageContext, item: MenuItem, hint: str = MENU_HINT) -> None:
        super().__init__(page, item)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(f"【{item.title}】")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 20px; font-weight: bold; color: #1e6fd9;")
        text = QLabel(NOT_OPEN)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setStyleSheet("font-size: 16px;")
        where = f"（用户操作手册 {item.manual}）" if item.manual else ""
        self.note = QLabel(f"本功能将在后续版本中提供{where}。{hint}")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5b6b7f;")
        for widget in (title, text, self.note):
            layout.addWidget(widget)
        layout.addStretch(2)


def create_page(page: PageContext, item: MenuItem) -> Page:
    """The item's page, or the 该功能尚未开放 page; a page that fails to load is reported, not fatal."""
    if not item.page:
        return PlaceholderPage(page, item)
    factory = load_object(item.page)
    return factory(page, item)
