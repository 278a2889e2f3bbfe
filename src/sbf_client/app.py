"""Composition root of ``sbf-client``: data home, logging, databases, module registry, then the
desktop window (no command) or the command line (any command).

A frozen build also re-enters here as the embedded sandbox (``--embedded-sandbox serve …``).
"""

from __future__ import annotations

import os
import sys


def _is_desktop(argv: list[str]) -> bool:
    """No command (at most ``--home DIR``) opens the desktop window."""
    return not argv or (len(argv) == 2 and argv[0] == "--home")


def _headless() -> bool:
    """A Linux session without a display: the window is drawn offscreen (and a picture of it saved)."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def run_desktop(home_dir: str | None) -> int:
    from PySide6.QtCore import QTimer

    from sbf_client import logs
    from sbf_client.services.context import ClientContext
    from sbf_client.store.home import resolve_home
    from sbf_client.ui.application import create_application
    from sbf_client.ui.shell.controller import ShellController

    headless = _headless()
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    home = resolve_home(home_dir).ensure()
    logs.configure(home.logs_dir)
    app = create_application(sys.argv[:1])
    context = ClientContext(home)
    shell = ShellController(context)
    shell.start()
    if headless:
        picture = home.logs_dir / "startup-window.png"

        def snapshot() -> None:
            shell.frame.grab().save(str(picture))
            print(
                f"没有检测到图形显示（DISPLAY），窗口在后台运行；启动画面已保存到 {picture}。按 Ctrl+C 退出。",
                flush=True,
            )

        QTimer.singleShot(1500, snapshot)
    code = app.exec()
    context.close()
    return code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--embedded-sandbox"]:
        from sbf_sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    if _is_desktop(argv):
        return run_desktop(argv[1] if argv else None)
    from sbf_client.cli.main import main as cli_main

    return cli_main(argv)
