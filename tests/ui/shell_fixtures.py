"""Building a shell for a unit already added on this machine (the common start of the main-window tests)."""

from __future__ import annotations

from pathlib import Path

from sbf_client.services.context import ClientContext
from sbf_client.services.sandbox import RunningSandbox
from sbf_client.store.home import DataHome
from sbf_client.ui.shell.controller import ShellController
from tests.helpers import context_with_unit


def shell_with_unit(
    qtbot, sandbox: RunningSandbox, home: Path, taxpayer_id: str, unit_no: str, module: str = "employer"
) -> ShellController:
    """A started shell whose 单位管理 lists one unit, added (password changed) through the services."""
    context, _unit, _session = context_with_unit(home, sandbox, taxpayer_id, unit_no, module=module)
    context.close()
    controller = ShellController(ClientContext(DataHome(home)))
    controller.start()
    qtbot.addWidget(controller.frame)
    return controller


def close_shell(controller: ShellController) -> None:
    if controller.main_window is not None:
        controller.main_window.switching = True
        controller.main_window.close()
    controller.context.close()
