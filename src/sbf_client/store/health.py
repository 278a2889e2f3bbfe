"""Is the data folder usable? Checked at start, with the standard library only, before anything writes to it.

A folder that is a file, a folder nobody may write to, or an ``app.sqlite`` that is not a healthy database
is refused with a message in Chinese and English; nothing is created, repaired or overwritten here, so a
damaged file stays as it was for a restore or for support.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sbf_client.core.errors import SbfError

from .home import DataHome


class DataFolderError(SbfError):
    """The data folder cannot be used; ``english`` says the same for the console."""

    def __init__(self, message: str, english: str) -> None:
        super().__init__(message)
        self.english = english


def check_data_folder(home: DataHome) -> None:
    root = home.root
    if root.exists() and not root.is_dir():
        raise DataFolderError(
            f"数据目录 {root} 是一个文件，不是文件夹。请指定一个文件夹作为数据目录。",
            f"The data folder {root} is a file, not a folder. Choose a folder.",
        )
    existing = next((p for p in (root, *root.parents) if p.exists()), None)
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise DataFolderError(
            f"没有权限写入数据目录 {existing}。请以有权限的用户运行，或指定其他数据目录。",
            f"No permission to write to {existing}. Run as a user who may, or choose another data folder.",
        )
    check_database(home.app_db)


def check_database(path: Path) -> None:
    """A SQLite file that exists must open and pass ``PRAGMA quick_check``."""
    if not path.exists():
        return
    if path.is_dir():
        raise DataFolderError(
            f"本机数据文件 {path} 是一个文件夹，无法打开。请将其移走后重新启动客户端。",
            f"The data file {path} is a folder. Move it away and start again.",
        )
    try:
        with closing(sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        verdict = str(error)
    if verdict != "ok":
        raise DataFolderError(
            f"本机数据文件 {path} 已损坏（{verdict}），无法打开。请从备份恢复，或将其移走后重新启动客户端。",
            f"The data file {path} is damaged ({verdict}). Restore it from a backup, or move it away and start again.",
        )
