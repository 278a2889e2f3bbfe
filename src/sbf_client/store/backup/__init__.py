"""Backups of the local data: an encrypted file format (``container``) and taking, verifying and restoring
them (``archive``). Qt-free; the services and the command line use it, the UI through the services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

# What a restore leaves in the data home while it swaps the files (``archive``): its journal and staging folder.
JOURNAL = "restore.journal"
STAGING = ".restore"

# A reported phase of the work: (done, total, text). ``check`` raises to cancel (``Progress.check``).
Report = Callable[[int, int | None, str], None]
# module id → its migrations package (``ModuleSpec.migrations``), None when the module is not installed.
MigrationsOf = Callable[[str], str | None]


class Steps:
    """What the work reports and where it may stop: ``report`` and ``check`` of a ``Progress``, or nothing."""

    def __init__(self, report: Report | None = None, check: Callable[[], None] | None = None) -> None:
        self._report, self._check = report, check

    def report(self, done: int, total: int | None, text: str) -> None:
        if self._report is not None:
            self._report(done, total, text)
        self.check()

    def check(self) -> None:
        if self._check is not None:
            self._check()


def restore_pending(home_root: Path) -> bool:
    """Whether a restore was interrupted in this data home (cheap: the start of every run asks)."""
    return (home_root / JOURNAL).exists() or (home_root / STAGING).exists()
