"""The data directory: ``--home DIR``, else ``SBF_HOME``, else the platform's user data directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "sbf-client"
APP_AUTHOR = "sbf"


@dataclass(frozen=True)
class DataHome:
    """The folders and files under one data directory."""

    root: Path

    @property
    def app_db(self) -> Path:
        return self.root / "app.sqlite"

    @property
    def units_dir(self) -> Path:
        return self.root / "units"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def sandbox_dir(self) -> Path:
        """Data of the embedded sandbox that serves the 演示地区."""
        return self.root / "sandbox"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    def ensure(self) -> DataHome:
        for folder in (self.root, self.units_dir, self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_home(explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> DataHome:
    """The data home chosen by the command line, the environment or the platform, in that order."""
    environ = os.environ if environ is None else environ
    if explicit:
        root = Path(explicit)
    elif environ.get("SBF_HOME"):
        root = Path(environ["SBF_HOME"])
    else:
        root = platformdirs.user_data_path(APP_NAME, APP_AUTHOR, roaming=False)
    return DataHome(root.expanduser().resolve())
