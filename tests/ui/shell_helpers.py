"""Helpers for walking the shell like a user: answering message boxes, waiting for screens."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget


def on_next_modal(
    action: Callable[[QWidget], None], wanted: Callable[[QWidget], bool] = lambda _m: True, within_s: float = 120
) -> None:
    """When the next modal widget that ``wanted`` accepts opens, call ``action`` on it. Must be called before
    the action that opens it. Other modals (the task runner's progress dialog on a slow machine) are waited
    out, not mistaken for the one expected."""
    deadline = time.monotonic() + within_s

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and wanted(modal):
            action(modal)
        elif time.monotonic() < deadline:
            QTimer.singleShot(50, poll)
        elif modal is not None:
            modal.close()  # a modal left open would hang the run; fail instead
            raise AssertionError(f"unexpected modal {modal.windowTitle()!r}: {modal_texts(modal)}")

    QTimer.singleShot(50, poll)


def button_in(modal: QWidget, text: str) -> QAbstractButton | None:
    return next((b for b in modal.findChildren(QAbstractButton) if b.text() == text and b.isVisible()), None)


def click_in_next_modal(button_text: str, before: Callable[[QWidget], None] | None = None) -> None:
    """When the next modal dialog or message box with this button opens, call ``before`` on it (a
    screenshot), then click the button. Must be called before the action that opens it."""

    def answer(modal: QWidget) -> None:
        if before is not None:
            before(modal)
        button_in(modal, button_text).click()

    on_next_modal(answer, lambda modal: button_in(modal, button_text) is not None)


def modal_texts(widget: QWidget) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in widget.findChildren(QLabel))


def seed_embedded_sandbox(template: Path, home_root: Path) -> None:
    """Give the 演示地区's embedded sandbox the test world, so it starts without generating one."""
    target = home_root / "sandbox"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template / "sandbox.sqlite", target / "sandbox.sqlite")


def type_text(qtbot, edit, value: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a user would; Chinese arrives from the input method (QTest.keyClicks aborts outside Latin-1)."""
    edit.setFocus()
    for char in value:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(edit, event)
