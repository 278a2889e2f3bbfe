"""安全认证 as a user meets it: the cursor waits in the 申报密码 box (the read-only 纳税人识别号 and 纳税人名称 are
passed by Tab), and after a wrong password what was typed is selected, so typing again replaces it."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.shell_fixtures import close_shell, open_login, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts

WAIT = 30_000


@pytest.fixture
def shell(qtbot, sandbox, tmp_path):
    controller = shell_with_unit(qtbot, sandbox, tmp_path / "home", "129901014557560827", "9901020000017")
    yield controller
    close_shell(controller)


def test_focus_starts_in_the_password_and_tab_passes_the_read_only_fields(qtbot, shell, screenshot):
    card = open_login(qtbot, shell)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is card.password, timeout=WAIT)
    screenshot(shell.frame, "security-focus")
    visited = []
    for _ in range(8):  # round the whole focus chain of the frame
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert card.password in visited and card.ok in visited
    assert card.taxpayer not in visited and card.name not in visited


def test_a_wrong_password_is_selected_so_typing_replaces_it(qtbot, shell):
    card = open_login(qtbot, shell)
    qtbot.keyClicks(card.password, "123456")
    seen = {}
    click_in_next_modal("确定", lambda box: seen.update(text=modal_texts(box)))
    qtbot.mouseClick(card.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "申报密码有误" in seen.get("text", "") and card.ok.isEnabled(), timeout=WAIT)
    shell.frame.activateWindow()  # the message box has closed: the frame is the active window again
    qtbot.waitUntil(lambda: QApplication.focusWidget() is card.password, timeout=WAIT)
    assert card.password.selectedText() == "123456"
    qtbot.keyClicks(card.password, "Sbf")
    assert card.password.text() == "Sbf"
