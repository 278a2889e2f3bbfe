"""Where the read-only files shipped with the program are: ``resources/`` and ``migrations/``.

In a checkout (editable install) they sit at the repository root; in a PyInstaller bundle, under
``sys._MEIPASS``. Nothing here reads or writes them.
"""

from __future__ import annotations

import sys
from pathlib import Path


def install_root() -> Path:
    """The folder that holds ``resources/`` and ``migrations/``."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return install_root() / "resources"


def migrations_dir() -> Path:
    return install_root() / "migrations"
