"""Taking, verifying and restoring backups of a data home (``app.sqlite`` and ``units/*.sqlite``).

Guarantees:

* A backup copies every database with SQLite's online backup API into a private temporary folder inside the
  data home (never a file copy of a live WAL database), checks each copy (``PRAGMA quick_check``), hashes it
  into the manifest, and streams an uncompressed zip of manifest + copies through the cipher
  (``container``) to ``<final>.part`` in the destination folder. The ``.part`` is fsynced (file and folder),
  decrypted again in full and compared with the zip it was made from — which proves the file holds exactly
  the checked copies — and only then renamed to its final name. On any failure (disk full, cancel, a kill)
  no file with a final name is written: the ``.part`` and the temporary folder are removed, or, after a kill,
  removed by the next backup or restore (``clean_leftovers``).
* A backup is verified before a restore changes anything: the container authenticates, every file's size
  and SHA-256 match the manifest, each database passes ``quick_check``, and every schema revision is one this
  program knows (a newer one is refused; an older one is migrated in the staging folder).
* A restore swaps the files under a journal (``restore.journal``): the old files are moved aside, then the
  new ones moved in, each phase recorded first. ``recover_interrupted_restore`` — run at start-up and before
  every backup and restore — rolls a swap killed while moving the old files back, and finishes one killed
  while moving the new ones in: the data home is always wholly the old data or wholly the new.
* Callers close every engine of the data home before ``restore_backup`` (the command line runs with none
  open); on Windows an open file cannot be moved at all.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sbf_client.core.clock import Clock, format_timestamp
from sbf_client.core.errors import SbfError

from ..home import DataHome
from . import JOURNAL, STAGING
from . import MigrationsOf as MigrationsOf
from . import Steps as Steps
from . import container as c

log = logging.getLogger(__name__)

SUFFIX = ".sbfbak"
PREFIX = "sbf-backup-"
PART = ".part"
TEMP_PREFIX = ".backup-tmp-"
MANIFEST = "manifest.json"
COPY_BLOCK = 1024 * 1024
SIDECARS = ("-wal", "-shm", "-journal")
WRITE_FAILURES = ("SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_TRUNCATE", "SQLITE_IOERR_FSYNC")
DISK_FULL = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))


@dataclass(frozen=True)
class UnitEntry:
    taxpayer_id: str  # 纳税人识别号
    name: str  # 纳税人名称
    module: str
    db_name: str


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    size: int
    product_version: str
    units: list[UnitEntry]
    counts: dict[str, int]  # rows per table, summed over the databases
    manifest: dict[str, Any] = field(repr=False, default_factory=dict)


# ---------------------------------------------------------------------- files and folders


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder to flush it; NTFS journals its metadata
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _private_folder(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True)
    return path


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(COPY_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _disk_error(error: OSError, folder: Path) -> SbfError:
    if error.errno in DISK_FULL:
        return SbfError(
            f"磁盘空间不足，备份未完成（未完成的文件已删除，原有备份不受影响）。请清理 {folder} 所在磁盘后重试。"
        )
    return SbfError(
        f"无法写入 {folder}（{error.strerror or type(error).__name__}），备份未完成。请检查该文件夹及其权限后重试。"
    )


def backup_files(folder: Path) -> list[Path]:
    """The finished backups in a folder (by name; not opened), oldest first."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def clean_leftovers(home: DataHome, *folders: Path) -> None:
    """Remove what a killed backup or restore left: temporary folders in the data home, ``.part`` files in
    ``folders``; and finish or roll back an interrupted restore first."""
    recover_interrupted_restore(home)
    for leftover in home.root.glob(f"{TEMP_PREFIX}*"):
        _remove(leftover)
    for folder in folders:
        if folder.is_dir():
            for leftover in folder.glob(f"{PREFIX}*{SUFFIX}{PART}"):
                leftover.unlink(missing_ok=True)


# ---------------------------------------------------------------------- the manifest


def _inspect(path: Path) -> dict[str, Any]:
    """Schema revisions and row counts of a database copy; refuses a copy that fails ``quick_check``."""
    with sqlite3.connect(path) as db:
        if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise c.CorruptedBackupError()
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        virtual = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
        ]
        schema = []
        if "alembic_version" in tables:
            schema = sorted(row[0] for row in db.execute("SELECT version_num FROM alembic_version"))
        rows = {
            name: int(db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
            for name in tables
            if name != "alembic_version"
            and not name.startswith("sqlite_")
            and name not in virtual
            and not any(name.startswith(f"{v}_") for v in virtual)
        }
    return {"schema": schema, "rows": rows}


def _units_of(app_copy: Path) -> list[UnitEntry]:
    with sqlite3.connect(app_copy) as db:
        found = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'units'").fetchone()
        if found is None:
            return []
        rows = db.execute("SELECT taxpayer_id, name, module, db_name FROM units ORDER BY id").fetchall()
    return [UnitEntry(str(a), str(b), str(m), str(d)) for a, b, m, d in rows]


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while another connection writes."""
    with sqlite3.connect(source, timeout=30) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    live.close()
    copy.close()


def _databases(home: DataHome) -> list[str]:
    """The data files, as names relative to the data home."""
    names = ["app.sqlite"] if home.app_db.exists() else []
    if home.units_dir.is_dir():
        names += [f"units/{p.name}" for p in sorted(home.units_dir.glob("*.sqlite"))]
    return names


def _info(path: Path, size: int, manifest: dict[str, Any]) -> BackupInfo:
    counts: dict[str, int] = {}
    for entry in manifest["files"]:
        for table, number in entry["rows"].items():
            counts[table] = counts.get(table, 0) + int(number)
    units = [UnitEntry(**unit) for unit in manifest["units"]]
    return BackupInfo(path, manifest["created_at"], size, manifest["product_version"], units, counts, manifest)


# ---------------------------------------------------------------------- taking a backup


def backup_name(folder: Path, when: datetime) -> Path:
    """``sbf-backup-<YYYYMMDD-HHMMSS>.sbfbak``, with ``-2``, ``-3``… when that second is taken already."""
    stem = f"{PREFIX}{when:%Y%m%d-%H%M%S}"
    candidate, number = folder / f"{stem}{SUFFIX}", 1
    while candidate.exists() or candidate.with_name(candidate.name + PART).exists():
        number += 1
        candidate = folder / f"{stem}-{number}{SUFFIX}"
    return candidate


def take_backup(
    home: DataHome,
    folder: Path,
    password: str,
    clock: Clock,
    *,
    product_version: str,
    steps: Steps | None = None,
    kdf: c.KdfParams = c.DEFAULT_KDF,
    chunk_size: int = c.DEFAULT_CHUNK,
    clean: bool = True,
) -> BackupInfo:
    """Back up ``home`` into ``folder``; returns the verified backup (``clean=False``: leave the data home's
    temporary folders alone — a restore's own safety backup)."""
    steps = steps or Steps()
    if clean:
        clean_leftovers(home, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _disk_error(error, folder) from error
    work = home.root / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    final = backup_name(folder, clock.now())
    part = final.with_name(final.name + PART)
    try:
        _private_folder(work)
        created_at = format_timestamp(clock.now())
        manifest = _copy_all(home, work, created_at, product_version, steps)
        payload = _zip_payload(work, manifest, steps)
        steps.report(0, None, "正在生成加密密钥")
        salt = os.urandom(c.SALT_SIZE)
        keys = c.derive_keys(password, salt, kdf)
        units = [unit["name"] for unit in manifest["units"]]
        header = c.build_header(
            created_at=created_at,
            product_version=product_version,
            units=units,
            payload_size=payload.stat().st_size,
            keys=keys,
            salt=salt,
            kdf=kdf,
            chunk_size=chunk_size,
        )
        expected = _encrypt(payload, part, header, keys, steps)
        _verify_part(part, keys, expected, steps)
        os.replace(part, final)
        _fsync_folder(folder)
        log.info("backup written: %s (%d databases)", final.name, len(manifest["files"]))
        return _info(final, final.stat().st_size, manifest)
    except OSError as error:
        raise _disk_error(error, folder) from error
    except sqlite3.DatabaseError as error:
        # Writing a copy fails for want of space (SQLITE_FULL, or EFBIG/ENOSPC seen as a write I/O error).
        if getattr(error, "sqlite_errorname", "") in WRITE_FAILURES:
            raise _disk_error(OSError(errno.ENOSPC, "disk full"), home.root) from error
        raise SbfError(f"读取本地数据库失败（{error}），备份未完成。请关闭其他正在使用数据的程序后重试。") from error
    finally:
        part.unlink(missing_ok=True)
        _remove(work)


def _copy_all(home: DataHome, work: Path, created_at: str, product_version: str, steps: Steps) -> dict[str, Any]:
    names = _databases(home)
    files = []
    for number, name in enumerate(names):
        steps.report(number, len(names), "正在复制数据库")
        target = work / "data" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_database(home.root / name, target)
        entry: dict[str, Any] = {"name": name, "size": target.stat().st_size, "sha256": _sha256(target)}
        files.append({**entry, **_inspect(target)})
    units = _units_of(work / "data" / "app.sqlite") if names and names[0] == "app.sqlite" else []
    modules = {unit.db_name: unit.module for unit in units}
    for entry in files:
        if entry["name"].startswith("units/"):
            entry["module"] = modules.get(entry["name"].removeprefix("units/"))
    return {
        "format": c.FORMAT_VERSION,
        "product": c.PRODUCT,
        "product_version": product_version,
        "created_at": created_at,
        "files": files,
        "units": [unit.__dict__ for unit in units],
    }


def _zip_payload(work: Path, manifest: dict[str, Any], steps: Steps) -> Path:
    steps.report(0, None, "正在打包")
    payload = work / "payload.zip"
    with zipfile.ZipFile(payload, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        for entry in manifest["files"]:
            steps.check()
            archive.write(work / "data" / entry["name"], entry["name"])
    return payload


def _encrypt(payload: Path, part: Path, header: c.Header, keys: c.Keys, steps: Steps) -> bytes:
    """Encrypt into ``part``, flushed to the disk; returns the payload's SHA-256."""
    digest = hashlib.sha256()

    def counted(done: int) -> None:
        steps.report(done, header.payload_size, "正在加密")

    with payload.open("rb") as source, part.open("xb") as target:
        c.encrypt_stream(_Hashing(source, digest), target, header, keys, counted)
        target.flush()
        os.fsync(target.fileno())
    _fsync_folder(part.parent)
    return digest.digest()


class _Hashing:
    """A source that hashes what is read from it."""

    def __init__(self, stream: Any, digest: Any) -> None:
        self.stream, self.digest = stream, digest

    def read(self, size: int, /) -> bytes:
        block: bytes = self.stream.read(size)
        self.digest.update(block)
        return block


def _verify_part(part: Path, keys: c.Keys, expected: bytes, steps: Steps) -> None:
    """Read the written file back: header, key check, every chunk, and the payload equal to what was written."""
    digest = hashlib.sha256()
    with part.open("rb") as stream:
        header = c.read_header(stream, os.fstat(stream.fileno()).st_size)
        if not header.matches(keys):
            raise c.CorruptedBackupError()
        done = 0
        for block in c.decrypt_chunks(stream, header, keys):
            digest.update(block)
            done += len(block)
            steps.report(done, header.payload_size, "正在校验")
    if digest.digest() != expected:
        raise c.CorruptedBackupError()


# ---------------------------------------------------------------------- verifying and extracting


def _known_revisions(migrations: str | None) -> set[str]:
    """The revisions of the app schema (``None``) or of a module's unit schema."""
    from alembic.script import ScriptDirectory

    from .. import migrate

    cfg = migrate.unit_config(migrations) if migrations else migrate._config("app")
    return {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}


def _check_schemas(manifest: dict[str, Any], migrations_of: MigrationsOf) -> None:
    """Every revision must be one this program knows; else the backup is from a newer version."""
    known: dict[str | None, set[str]] = {}
    for entry in manifest["files"]:
        if entry["name"] == "app.sqlite":
            package: str | None = None
        else:
            package = migrations_of(str(entry.get("module")))
            if package is None:
                raise SbfError("该备份包含本客户端未安装的业务的单位数据，无法恢复。请安装相应业务后再恢复。")
        if package not in known:
            known[package] = _known_revisions(package)
        if not set(entry["schema"]) <= known[package]:
            raise c.NewerBackupError()


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    if name == "app.sqlite":
        return True
    return len(parts) == 2 and parts[0] == "units" and parts[1].endswith(".sqlite") and parts[1] not in ("", ".", "..")


def open_backup(
    path: Path,
    password: str,
    into: Path,
    migrations_of: MigrationsOf,
    steps: Steps | None = None,
) -> BackupInfo:
    """Verify the backup at ``path`` in full and leave its databases under ``into`` (a new private folder,
    removed again on failure); raises a ``BackupFileError`` (one message per class of bad file)."""
    steps = steps or Steps()
    try:
        stream = path.open("rb")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SbfError(f"无法读取备份文件 {path}（{reason}）。请检查文件后重试。") from error
    _private_folder(into)
    try:
        with stream:
            size = os.fstat(stream.fileno()).st_size
            header = c.read_header(stream, size)
            steps.report(0, None, "正在验证备份密码")
            keys = header.keys(password)
            payload = into / "payload.zip"
            with payload.open("xb") as sink:
                done = 0
                for block in c.decrypt_chunks(stream, header, keys):
                    sink.write(block)
                    done += len(block)
                    steps.report(done, header.payload_size, "正在解密")
        manifest = _extract(payload, into, steps)
        payload.unlink()
        _check_schemas(manifest, migrations_of)
        return _info(path, size, manifest)
    except BaseException:
        _remove(into)
        raise


def _extract(payload: Path, into: Path, steps: Steps) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(payload) as archive:
            manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
            if manifest.get("product") != c.PRODUCT:
                raise c.NotABackupError()
            files = manifest["files"]
            for number, entry in enumerate(files):
                name = entry["name"]
                if not _safe_name(name):
                    raise c.CorruptedBackupError()
                steps.report(number, len(files), "正在检查数据库")
                target = into / "data" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with archive.open(name) as source, target.open("xb") as sink:
                    while block := source.read(COPY_BLOCK):
                        digest.update(block)
                        sink.write(block)
                if digest.hexdigest() != entry["sha256"] or target.stat().st_size != entry["size"]:
                    raise c.CorruptedBackupError()
                _inspect(target)  # quick_check
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, sqlite3.DatabaseError) as error:
        raise c.CorruptedBackupError() from error
    return manifest


def verify_backup(
    path: Path, password: str, work: Path, migrations_of: MigrationsOf, steps: Steps | None = None
) -> BackupInfo:
    """Verify a backup without keeping anything: the databases are checked in a folder under ``work``."""
    into = work / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    try:
        return open_backup(path, password, into, migrations_of, steps)
    finally:
        _remove(into)


# ---------------------------------------------------------------------- restoring


@dataclass(frozen=True)
class RestoreInfo:
    restored: BackupInfo
    safety_backup: Path  # the data as it was before, backed up first


def restore_backup(
    home: DataHome,
    path: Path,
    password: str,
    clock: Clock,
    *,
    migrations_of: MigrationsOf,
    product_version: str,
    steps: Steps | None = None,
    kdf: c.KdfParams = c.DEFAULT_KDF,
) -> RestoreInfo:
    """Replace the data home's databases by the backup's; nothing changes unless the backup verifies, its
    databases are brought to this program's schema and the current data are backed up first."""
    from ..engine import sqlite_engine
    from ..migrate import upgrade_app_db, upgrade_unit_db

    steps = steps or Steps()
    clean_leftovers(home, home.backups_dir)
    staging = home.root / STAGING
    _remove(staging)
    info = open_backup(path, password, staging, migrations_of, steps)
    try:
        steps.report(0, None, "正在升级备份数据")
        for entry in info.manifest["files"]:
            engine = sqlite_engine(staging / "data" / entry["name"])
            try:
                if entry["name"] == "app.sqlite":
                    upgrade_app_db(engine)
                else:
                    upgrade_unit_db(engine, str(migrations_of(str(entry["module"]))))
            finally:
                engine.dispose()
        safety = take_backup(
            home, home.backups_dir, password, clock, product_version=product_version, steps=steps, kdf=kdf, clean=False
        )
    except BaseException:
        _remove(staging)
        raise
    _swap(home, staging, steps)
    log.info("backup restored: %s (safety backup %s)", path.name, safety.path.name)
    return RestoreInfo(info, safety.path)


def _data_files(root: Path) -> list[str]:
    """The database files under ``root`` (a data home or a staging folder), with their -wal/-shm/-journal."""
    names = []
    for base in ["app.sqlite", *(f"units/{p.name}" for p in sorted((root / "units").glob("*.sqlite")))]:
        names += [name for name in (base, *(base + s for s in SIDECARS)) if (root / name).exists()]
    return names


def _write_journal(home: DataHome, state: dict[str, Any]) -> None:
    journal = home.root / JOURNAL
    temporary = journal.with_name(JOURNAL + ".tmp")
    with temporary.open("w", encoding="utf-8") as stream:
        json.dump(state, stream)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, journal)
    _fsync_folder(home.root)


def _move(names: Iterable[str], source: Path, target: Path, steps: Steps | None, text: str) -> None:
    names = list(names)
    for number, name in enumerate(names):
        if (source / name).exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source / name, target / name)
        if steps is not None:
            steps.report(number + 1, len(names), text)
    for folder in {target, target / "units", source, source / "units"}:
        if folder.is_dir():
            _fsync_folder(folder)


def _swap(home: DataHome, staging: Path, steps: Steps) -> None:
    old, new = staging / "old", staging / "data"
    state: dict[str, Any] = {"state": "moving-old", "old": _data_files(home.root), "new": _data_files(new)}
    _write_journal(home, state)
    _move(state["old"], home.root, old, steps, "正在移开当前数据")
    _write_journal(home, {**state, "state": "moving-new"})
    _move(state["new"], new, home.root, steps, "正在替换为备份数据")
    _write_journal(home, {**state, "state": "done"})
    _finish(home, staging)


def _finish(home: DataHome, staging: Path) -> None:
    _remove(staging)
    (home.root / JOURNAL).unlink(missing_ok=True)
    _fsync_folder(home.root)


def recover_interrupted_restore(home: DataHome) -> str | None:
    """Finish or roll back a restore a kill interrupted, and remove its staging folder; returns what was done
    ("rolled-back", "finished") or None when there was nothing to do."""
    journal, staging = home.root / JOURNAL, home.root / STAGING
    (home.root / (JOURNAL + ".tmp")).unlink(missing_ok=True)
    if not journal.exists():
        if staging.exists():
            _remove(staging)  # a restore killed before its swap began: the data never changed
        return None
    try:
        state = json.loads(journal.read_text(encoding="utf-8"))
        phase, old, new = state["state"], list(state["old"]), list(state["new"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SbfError(
            f"上次恢复数据未完成，且其记录文件 {journal} 无法读取。请勿删除数据目录中的文件，联系技术支持处理。"
        ) from error
    if phase == "moving-old":
        _move(old, staging / "old", home.root, None, "")
        outcome = "rolled-back"
    else:
        if phase == "moving-new":
            _move(new, staging / "data", home.root, None, "")
        outcome = "finished"
    _finish(home, staging)
    log.warning("an interrupted restore was %s", outcome)
    return outcome
