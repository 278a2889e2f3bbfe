"""Composition root of ``sbf-client``: the desktop window (no command) or the command line (any command).

A frozen build also re-enters here as the embedded sandbox (``--embedded-sandbox serve …``). Nothing is
imported before it is known which of the three runs, so the command line never loads Qt.
"""

from __future__ import annotations

import os
import sys


def _is_desktop(argv: list[str]) -> bool:
    """No command (at most ``--home DIR``) opens the desktop window."""
    return not argv or (len(argv) == 2 and argv[0] == "--home")


def _no_display() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--embedded-sandbox"]:
        from sbf_sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    if _is_desktop(argv):
        if _no_display():  # a Linux session without a screen: draw offscreen (the window saves a picture)
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
            os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
        from sbf_client.ui.desktop import run

        return run(argv[1] if argv else None)
    from sbf_client.cli.main import main as cli_main

    return cli_main(argv)
