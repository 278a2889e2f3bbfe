"""The QApplication: name, a font that has Chinese glyphs, the stylesheet."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

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


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("sbf")
    family = pick_font_family()
    if family:
        app.setFont(QFont(family, 10))
    style = resources_dir() / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app
