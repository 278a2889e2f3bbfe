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


def _desktop(home: str | None) -> int:
    """Open the window, or say on the console why it cannot open (Qt itself would abort without a word)."""
    from sbf_client.ui.preflight import StartProblem, check_desktop, missing_library, report

    try:
        check_desktop(os.environ)
        from sbf_client.ui.desktop import run
    except StartProblem as problem:
        report(problem)
        return 1
    except ImportError as error:  # a Qt library that needs a system library the machine lacks
        problem = missing_library(error)
        if problem is None:
            raise
        report(problem)
        return 1
    return run(home)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from sbf_client.store.home import keep_files_private

    keep_files_private()  # the data home holds ID numbers, wages and accounts
    if argv[:1] == ["--embedded-sandbox"]:
        from sbf_sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    if _is_desktop(argv):
        return _desktop(argv[1] if argv else None)
    from sbf_client.cli.main import main as cli_main

    return cli_main(argv)
