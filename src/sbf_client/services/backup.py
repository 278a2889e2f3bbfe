"""系统管理 › 备份恢复: 备份设置 (back up now, to the default folder or a chosen one), 自动备份 (on exit, keeping
the newest N), 恢复设置 (restore from the list or a chosen file), and the backup password.

Guarantees, on top of ``store.backup.archive``'s:

* The backup password (8–64 characters) lives in the OS keyring only (``secret_store``), never in a file, so
  that an automatic backup needs no prompt; a restore on another PC is given it explicitly.
* 自动备份 keeps at most ``auto_backup_count`` backups in its folder, deleting the oldest only after the new one
  is verified; a file there that is not a whole backup (a ``.part``, a truncated or damaged file) never counts
  as one of them and is removed.
* ``restore`` closes the app database's connections before the swap; the UI closes every unit session first
  and restarts afterwards ("恢复成功，请重新启动客户端").
* Every long call takes a ``Progress`` (report and cancel): the UI runs it as a background task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sbf_client import __version__
from sbf_client.core.errors import InputError, SbfError
from sbf_client.store.backup import archive, container
from sbf_client.store.backup.archive import BackupInfo, Steps, UnitEntry
from sbf_client.store.settings import (
    AUTO_BACKUP_COUNT,
    AUTO_BACKUP_ENABLED,
    AUTO_BACKUP_FOLDER,
    BACKUP_FOLDER,
    Settings,
)
from sbf_client.sync.progress import Progress

from . import secret_store
from .context import ClientContext

log = logging.getLogger(__name__)
PASSWORD_USER = "backup-password"
PASSWORD_NAME = "备份密码"
MIN_PASSWORD, MAX_PASSWORD = 8, 64
MIN_COUNT, MAX_COUNT = 1, 99
NO_PASSWORD = (
    "尚未设置备份密码。请先在【备份设置】中设置备份密码（命令行：sbf-client backup password），"
    "备份文件将用它加密，恢复时需要输入。"
)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    created_at: str
    units: list[UnitEntry]
    counts: dict[str, int]  # rows per table over every database backed up


@dataclass(frozen=True)
class BackupEntry:
    """One file of a backup folder, as the 恢复 list shows it; ``problem`` says why it cannot be used."""

    path: Path
    size: int
    created_at: str | None
    units: tuple[str, ...]
    product_version: str | None
    problem: str | None = None

    @property
    def readable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    created_at: str
    units: list[UnitEntry]
    counts: dict[str, int]
    safety_backup: Path  # the data as they were before the restore


@dataclass(frozen=True)
class BackupSettings:
    auto_backup_enabled: bool
    auto_backup_count: int
    backup_folder: Path
    auto_backup_folder: Path


def check_backup_password(password: str, again: str) -> str:
    if len(password) < MIN_PASSWORD or len(password) > MAX_PASSWORD:
        raise InputError(f"备份密码须为{MIN_PASSWORD}到{MAX_PASSWORD}个字符，请重新输入。")
    if not password.strip():
        raise InputError("备份密码不能全为空格，请重新输入。")
    if password != again:
        raise InputError("两次输入的备份密码不一致，请重新输入。")
    return password


class BackupService:
    def __init__(self, context: ClientContext, *, kdf: container.KdfParams = container.DEFAULT_KDF) -> None:
        self.context = context
        self.kdf = kdf  # Argon2id's cost (tests make it cheaper; a reader takes what the file says)

    # ---------------------------------------------------------------- settings and password

    @property
    def _settings(self) -> Settings:
        return Settings(self.context.store)

    def backup_settings(self) -> BackupSettings:
        settings = self._settings
        return BackupSettings(
            settings.get(AUTO_BACKUP_ENABLED),
            settings.get(AUTO_BACKUP_COUNT),
            Path(settings.get(BACKUP_FOLDER) or self.context.home.backups_dir),
            Path(settings.get(AUTO_BACKUP_FOLDER) or self.context.home.backups_dir / "auto"),
        )

    def save_backup_settings(
        self,
        *,
        auto_backup_enabled: bool | None = None,
        auto_backup_count: int | None = None,
        backup_folder: Path | None = None,
        auto_backup_folder: Path | None = None,
    ) -> BackupSettings:
        """Save what is given (checked first, all or nothing)."""
        if auto_backup_count is not None and not (
            type(auto_backup_count) is int and MIN_COUNT <= auto_backup_count <= MAX_COUNT
        ):
            raise InputError(f"备份的数量须为{MIN_COUNT}到{MAX_COUNT}之间的整数，请重新填写。")
        folders = {BACKUP_FOLDER: backup_folder, AUTO_BACKUP_FOLDER: auto_backup_folder}
        for folder in folders.values():
            if folder is not None and (not folder.is_absolute() or (folder.exists() and not folder.is_dir())):
                raise InputError(f"备份路径 {folder} 不是可用的文件夹，请选择一个文件夹。")
        settings = self._settings
        if auto_backup_enabled is not None:
            settings.set(AUTO_BACKUP_ENABLED, bool(auto_backup_enabled))
        if auto_backup_count is not None:
            settings.set(AUTO_BACKUP_COUNT, auto_backup_count)
        for setting, folder in folders.items():
            if folder is not None:
                settings.set(setting, str(folder))
        return self.backup_settings()

    # One setting at a time, as the 备份设置 and 自动备份 pages show them.

    def backup_folder(self) -> Path:
        return self.backup_settings().backup_folder

    def set_backup_folder(self, folder: Path) -> None:
        self.save_backup_settings(backup_folder=folder)

    def auto_backup_enabled(self) -> bool:
        return self.backup_settings().auto_backup_enabled

    def auto_backup_count(self) -> int:
        return self.backup_settings().auto_backup_count

    def auto_backup_folder(self) -> Path:
        return self.backup_settings().auto_backup_folder

    def configure_auto_backup(self, enabled: bool, count: int, folder: Path) -> BackupSettings:
        return self.save_backup_settings(
            auto_backup_enabled=enabled, auto_backup_count=count, auto_backup_folder=folder
        )

    def set_backup_password(self, password: str, again: str) -> None:
        check_backup_password(password, again)
        secret_store.write(PASSWORD_USER, password, PASSWORD_NAME)
        log.info("backup password set")

    def has_backup_password(self) -> bool:
        try:
            return bool(secret_store.read(PASSWORD_USER, PASSWORD_NAME))
        except secret_store.KeyringUnavailableError:
            return False

    def remembered_password(self) -> str | None:
        """The stored backup password, or None (none set, or no usable keyring: the user is asked)."""
        try:
            return secret_store.read(PASSWORD_USER, PASSWORD_NAME) or None
        except secret_store.KeyringUnavailableError:
            return None

    def _password(self, given: str | None) -> str:
        if given:
            return given
        stored = secret_store.read(PASSWORD_USER, PASSWORD_NAME)
        if not stored:
            raise InputError(NO_PASSWORD)
        return stored

    def _migrations_of(self, module: str) -> str | None:
        try:
            return self.context.module(module).migrations
        except SbfError:
            return None

    # ---------------------------------------------------------------- the use cases

    def backup(
        self, to_folder: Path | None = None, progress: Progress | None = None, *, password: str | None = None
    ) -> BackupResult:
        """备份 to ``to_folder`` (default: the 备份路径 setting); the password is the stored one unless given."""
        folder = to_folder or self.backup_settings().backup_folder
        info = self._take(folder, self._password(password), progress)
        return _result(info)

    def _take(self, folder: Path, password: str, progress: Progress | None) -> BackupInfo:
        return archive.take_backup(
            self.context.home,
            folder,
            password,
            self.context.clock,
            product_version=__version__,
            steps=_steps(progress),
            kdf=self.kdf,
        )

    def list_backups(self, folder: Path | None = None) -> list[BackupEntry]:
        """The backups in ``folder`` (default: the 备份路径), newest first, from their clear headers; a file that
        cannot be used is listed with its problem, not hidden."""
        folder = folder or self.backup_settings().backup_folder
        if not folder.is_dir():
            return []
        entries = [_entry(path) for path in sorted(folder.glob(f"*{archive.SUFFIX}")) if path.is_file()]
        return sorted(entries, key=lambda e: (e.created_at or "", e.path.name), reverse=True)

    def verify(self, path: Path, password: str | None = None, progress: Progress | None = None) -> BackupInfo:
        """Check a backup in full without changing anything."""
        return archive.verify_backup(
            path, self._password(password), self.context.home.root, self._migrations_of, _steps(progress)
        )

    def restore(self, path: Path, password: str | None = None, progress: Progress | None = None) -> RestoreResult:
        """恢复: verify, bring an older schema forward, back up the current data, swap. Every unit session must be
        closed first; the app database's connections are closed here."""
        password = self._password(password)
        self.context.store.engine.dispose()
        restored = archive.restore_backup(
            self.context.home,
            path,
            password,
            self.context.clock,
            migrations_of=self._migrations_of,
            product_version=__version__,
            steps=_steps(progress),
            kdf=self.kdf,
        )
        self.context.store.engine.dispose()  # nothing keeps a page of the old file
        info = restored.restored
        return RestoreResult(info.path, info.created_at, info.units, info.counts, restored.safety_backup)

    def auto_backup_on_exit(self, progress: Progress | None = None) -> BackupResult | None:
        """自动备份 when the program exits, if it is enabled; then keep the newest ``auto_backup_count``."""
        settings = self.backup_settings()
        if not settings.auto_backup_enabled:
            return None
        info = self._take(settings.auto_backup_folder, self._password(None), progress)
        rotate(settings.auto_backup_folder, settings.auto_backup_count, info.path)
        return _result(info)


def rotate(folder: Path, keep: int, newest: Path) -> list[Path]:
    """Keep the ``keep`` newest whole backups of ``folder`` (``newest``, just verified, always among them);
    remove the older ones and every file of a backup's name that is not a whole backup. Returns the removed."""
    whole: list[tuple[str, str, Path]] = []
    removed: list[Path] = []
    for path in archive.backup_files(folder):
        try:
            header = container.open_header(path)
        except (container.BackupFileError, OSError):
            removed.append(path)  # partial or damaged: never one of the N
            continue
        order = "~" if path == newest else header.created_at  # "~" sorts after every timestamp
        whole.append((order, path.name, path))
    whole.sort()
    removed += [path for _, _, path in whole[: max(0, len(whole) - keep)]]
    for path in removed:
        path.unlink(missing_ok=True)
        log.info("automatic backup removed: %s", path.name)
    return removed


def _steps(progress: Progress | None) -> Steps:
    return Steps(progress.report, progress.check) if progress is not None else Steps()


def _result(info: BackupInfo) -> BackupResult:
    return BackupResult(info.path, info.size, info.created_at, info.units, info.counts)


def _entry(path: Path) -> BackupEntry:
    try:
        size = path.stat().st_size
        header = container.open_header(path)
    except container.BackupFileError as problem:
        return BackupEntry(path, size, None, (), None, problem.message)
    except OSError as error:
        return BackupEntry(path, 0, None, (), None, f"无法读取该文件（{error.strerror or type(error).__name__}）。")
    return BackupEntry(path, size, header.created_at, header.units, header.product_version)
