"""Composition root of ``sbf-client``: data home, logging, databases, module registry, then the
desktop window (no arguments) or the command line (any arguments).

A frozen build also re-enters here as the embedded sandbox (``--embedded-sandbox serve …``).
"""

from __future__ import annotations

import sys
import time

from sbf_client import logs
from sbf_client.plugins.registry import discover
from sbf_client.services.sandbox import start_sandbox
from sbf_client.store.app_store import AppStore
from sbf_client.store.home import resolve_home


def _is_desktop(argv: list[str]) -> bool:
    """No command (at most ``--home DIR``) opens the desktop window."""
    return not argv or (len(argv) == 2 and argv[0] == "--home")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--embedded-sandbox"]:
        from sbf_sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    if not _is_desktop(argv):
        from sbf_client.cli.main import main as cli_main

        return cli_main(argv)
    home = resolve_home(argv[argv.index("--home") + 1] if "--home" in argv else None).ensure()
    logs.configure(home.logs_dir)
    AppStore.open(home).close()
    registry = discover()
    sandbox = start_sandbox(home.sandbox_dir)
    print(f"演示地区服务已启动：{sandbox.url}（业务模块：{'、'.join(registry.ids())}）")
    print("桌面窗口将随桌面外壳一起提供；按 Ctrl+C 退出。")
    try:
        while sandbox.alive:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0
