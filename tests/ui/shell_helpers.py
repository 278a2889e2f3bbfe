"""Helpers for walking the shell like a user: answering message boxes, waiting for screens."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget


def click_in_next_modal(button_text: str, before: Callable[[QWidget], None] | None = None, attempts: int = 200) -> None:
    """When the next modal dialog or message box opens, call ``before`` on it (a screenshot), then click the
    button with this text. Must be called before the action that opens it."""

    def handle(left: int = attempts) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            if left:
                QTimer.singleShot(50, lambda: handle(left - 1))
            return
        if before is not None:
            before(modal)
        for button in modal.findChildren(QAbstractButton):
            if button.text() == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {modal.windowTitle()!r}")

    QTimer.singleShot(50, handle)


def modal_texts(widget: QWidget) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in widget.findChildren(QLabel))


def seed_embedded_sandbox(template: Path, home_root: Path) -> None:
    """Give the 演示地区's embedded sandbox the test world, so it starts without generating one."""
    target = home_root / "sandbox"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template / "sandbox.sqlite", target / "sandbox.sqlite")
