"""The QApplication: name, a font that has Chinese glyphs, the stylesheet, and the double-click guard."""

from __future__ import annotations

import sys

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from sbf_client.paths import resources_dir

APP_TITLE = "社保费管理客户端"
# In order of preference: Windows, macOS, Linux (fonts-wqy-microhei, Noto).
CJK_FAMILIES = (
    "Microsoft YaHei",
    "微软雅黑",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimSun",
)


def pick_font_family() -> str | None:
    available = set(QFontDatabase.families())
    return next((family for family in CJK_FAMILIES if family in available), None)


class DoubleClickGuard(QObject):
    """A double-click is one gesture: its second click acts only where its first one did. When the first
    click's 【确定】 replaces the screen, the second must not press the new screen's 【确定】 (Qt would deliver it
    there as a press of its own)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pressed: QWidget | None = None
        self.doubled: QWidget | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            return False
        if not isinstance(watched, QWidget):
            return False  # the window (a QWindow) sees each mouse event before the widget under the mouse does
        if kind == QEvent.Type.MouseButtonPress:
            if not _passed_up(self.pressed, watched):
                self.pressed = watched
            return False
        if _passed_up(self.doubled, watched):
            return False
        self.doubled = watched
        return watched is not self.pressed


def _passed_up(first: QWidget | None, widget: QWidget) -> bool:
    """A mouse event a widget ignores comes again for its parent: only its first receiver counts."""
    return first is not None and shiboken6.isValid(first) and widget.isAncestorOf(first)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    if not isinstance(getattr(app, "double_click_guard", None), DoubleClickGuard):
        app.double_click_guard = DoubleClickGuard(app)  # type: ignore[attr-defined]
        app.installEventFilter(app.double_click_guard)  # type: ignore[attr-defined]
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("sbf")
    family = pick_font_family()
    if family:
        app.setFont(QFont(family, 10))
    style = resources_dir() / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app
