"""Building a shell for a unit already added on this machine (the common start of the main-window tests)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from sbf_client.services.context import ClientContext
from sbf_client.services.sandbox import RunningSandbox
from sbf_client.store.home import DataHome
from sbf_client.ui.shell.controller import ShellController
from sbf_client.ui.shell.security import SecurityCard
from sbf_client.ui.shell.unit_manager import LOGIN_COLUMN
from tests.helpers import CLI_PASSWORD, logged_in


def shell_with_unit(
    qtbot, sandbox: RunningSandbox, home: Path, taxpayer_id: str, unit_no: str, module: str = "employer"
) -> ShellController:
    """A started shell whose 单位管理 lists one unit, added (password changed) through the services."""
    logged_in(home, sandbox, taxpayer_id, unit_no, module=module).context.close()
    controller = ShellController(ClientContext(DataHome(home)))
    controller.start()
    qtbot.addWidget(controller.frame)
    return controller


def close_shell(controller: ShellController) -> None:
    if controller.main_window is not None:
        controller.main_window.switching = True
        controller.main_window.close()
    controller.context.close()


def open_login(qtbot, shell: ShellController, row: int = 0) -> SecurityCard:
    """Click 【登录】 of a row of 单位管理; the 安全认证 card it opens."""
    button = shell.units.table.cellWidget(row, LOGIN_COLUMN).findChildren(QPushButton)[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    card = shell.current
    assert isinstance(card, SecurityCard)
    return card


def log_in(qtbot, shell: ShellController, password: str = CLI_PASSWORD, row: int = 0) -> None:
    """登录 like a user: 【登录】, the password, 【确定】 (the main window follows once the data is updated)."""
    card = open_login(qtbot, shell, row)
    qtbot.keyClicks(card.password, password)
    qtbot.mouseClick(card.ok, Qt.MouseButton.LeftButton)


def main_window_at_1366(qtbot, shell: ShellController, wait_ms: int = 30_000):  # type: ignore[no-untyped-def]
    """The logged-in main window, shown as it is maximized on the manual's 1366×768 screen with a 40 px
    taskbar (the test screen is another size: the window is maximized there)."""
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=wait_ms)
    window = shell.main_window
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, 728)
    qtbot.waitUntil(lambda: window.width() == 1366, timeout=wait_ms)
    return window


def new_machine_shell(qtbot, sandbox_template: Path, home: Path) -> ShellController:
    """A started shell on an empty data home, as on a new machine; its 演示地区 sandbox is given the test
    world, so it starts without generating one."""
    from sbf_client.services.sandbox import SandboxOptions
    from tests.conftest import TEST_SCALE, TEST_SEED
    from tests.ui.shell_helpers import seed_embedded_sandbox

    seed_embedded_sandbox(sandbox_template, home)
    controller = ShellController(
        ClientContext(DataHome(home), sandbox_options=SandboxOptions(TEST_SEED, TEST_SCALE, 0))
    )
    controller.start()
    qtbot.addWidget(controller.frame)
    return controller
