"""The data directory: ``--home DIR``, else ``SBF_HOME``, else the platform's user data directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from sbf_client.core.errors import InputError

APP_NAME = "sbf-client"
APP_AUTHOR = "sbf"
PRIVATE_FOLDER = 0o700
PRIVATE_UMASK = 0o077  # files 0600, folders 0700


def keep_files_private() -> None:
    """Everything this process creates from now on is readable by its user alone (POSIX; Windows keeps a
    user's profile folder private by its ACLs already). Set once, at the program's start."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


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
        """Create the folders, readable by this user alone (POSIX): they hold ID numbers, wages, accounts."""
        for folder in (self.root, self.units_dir, self.logs_dir):
            try:
                folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
                if os.name == "posix":
                    folder.chmod(PRIVATE_FOLDER)  # also a folder made by an earlier version
            except OSError as error:
                raise InputError(
                    f"无法创建数据目录中的文件夹 {folder}（{error.strerror or type(error).__name__}）。"
                    "请检查该路径和权限，或指定其他数据目录。"
                ) from error
        return self


def resolve_home(explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> DataHome:
    """The data home chosen by the command line, the environment or the platform, in that order.

    A folder a person named (``--home`` or ``SBF_HOME``) whose parent folder does not exist is refused: most
    likely a typing mistake, which would otherwise leave a stray tree of folders. The platform's default may
    create its parents. (Whether the folder is usable at all is ``store.health``'s to say.)"""
    environ = os.environ if environ is None else environ
    named = "--home" if explicit else "SBF_HOME" if environ.get("SBF_HOME") else None
    try:
        if explicit:
            root = Path(explicit)
        elif environ.get("SBF_HOME"):
            root = Path(environ["SBF_HOME"])
        else:
            root = platformdirs.user_data_path(APP_NAME, APP_AUTHOR, roaming=False)
        root = root.expanduser().resolve()
    except (OSError, RuntimeError, ValueError) as error:  # e.g. ~user of nobody, a NUL character, a loop
        raise InputError(
            f"{named or '数据目录'} 指定的路径无法使用（{type(error).__name__}），请检查后重新指定。"
        ) from error
    if named is not None and not root.exists() and not root.parent.is_dir():
        raise InputError(
            f"{named} 指定的数据目录 {root} 的上级文件夹 {root.parent} 不存在。"
            "请先创建上级文件夹，或指定已有文件夹中的路径。"
        )
    return DataHome(root)
