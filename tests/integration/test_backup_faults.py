"""备份恢复 when things go wrong: ten kinds of bad backup file, each refused with its own message and the live
data untouched; ``kill -9`` during a backup and during a restore; a full disk during a backup. Real files, a
real data home (its unit database filled directly: no server is needed to damage a file)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from sbf_client.core.clock import CHINA_TZ, FixedClock
from sbf_client.core.errors import SbfError
from sbf_client.services.context import ClientContext
from sbf_client.store.backup import archive, container
from sbf_client.store.home import DataHome
from sbf_client.store.unit_store import open_unit_db
from tests.helpers import COLLECTOR_SCHEMA, EMPLOYER_SCHEMA

PASSWORD = "Backup-Pass-2026"
CANARY_ID = "110101199003076518"  # an ID number that must never appear outside the live database
CHEAP = container.KdfParams(memory_kib=8 * 1024, time_cost=1, parallelism=1)
SMALL_CHUNK = 16 * 1024
VERSION = "0.1.0"


def migrations_of(module: str) -> str | None:
    return {"employer": EMPLOYER_SCHEMA, "collector": COLLECTOR_SCHEMA}.get(module)


def clock_at(minute: int = 0) -> FixedClock:
    return FixedClock(datetime(2026, 12, 3, 10, minute, tzinfo=CHINA_TZ))


def employee(number: int) -> tuple[object, ...]:
    id_number = CANARY_ID if number == 7 else f"1101011990{number:08d}"
    return (f"k{number}", f"P{number:06d}", f"职工{number}", "男", "01", id_number, "1990-03-07", "U1", "正常",
            "2026-12-01", "[]", number)  # fmt: skip


def add_employees(path: Path, numbers: range) -> None:
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO employees VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [employee(n) for n in numbers])
    db.close()


def make_home(root: Path, people: int = 400) -> DataHome:
    """A data home with one 用人单位 unit holding ``people`` employees (one of them the canary); every engine
    closed again, as the command line leaves it."""
    context = ClientContext(DataHome(root), clock=clock_at())
    unit = context.store.add_unit(
        module="employer",
        taxpayer_id="91990101MA5D000160",
        server_unit_id="U1",
        name="演示市第一中学",
        tax_authority="演示市税务局",
        tax_branch="第一税务所",
        registrations=[],
        added_at="2026-12-03 09:00:00",
    )
    context.store.set_setting("backup.test", "before")
    path = context.unit_db_path(unit)
    open_unit_db(path, EMPLOYER_SCHEMA).dispose()
    add_employees(path, range(people))
    context.close()
    return context.home


def data_hashes(home: DataHome) -> dict[str, str]:
    """SHA-256 of every file of the data (databases and their -wal/-shm)."""
    files = [home.root / name for name in ("app.sqlite", "app.sqlite-wal")] + sorted(home.units_dir.glob("*"))
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.exists()}


def contents(home: DataHome) -> dict[str, dict[str, list[str]]]:
    """Every table of every database, as sorted rows."""
    found = {}
    for path in [home.app_db, *sorted(home.units_dir.glob("*.sqlite"))]:
        with sqlite3.connect(path) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            found[path.name] = {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
        db.close()
    return found


def leftovers(home: DataHome, *folders: Path) -> list[str]:
    """Temporary files and folders of a backup or restore."""
    found = [p.name for p in home.root.iterdir() if p.name.startswith((".backup-tmp-", ".restore", "restore.j"))]
    for folder in folders:
        found += [p.name for p in folder.glob("*.part")] if folder.is_dir() else []
    return found


def take(home: DataHome, folder: Path, minute: int = 0, password: str = PASSWORD) -> Path:
    info = archive.take_backup(
        home, folder, password, clock_at(minute), product_version=VERSION, kdf=CHEAP, chunk_size=SMALL_CHUNK
    )
    return info.path


def restore(home: DataHome, path: Path, password: str = PASSWORD) -> archive.RestoreInfo:
    return archive.restore_backup(
        home, path, password, clock_at(30), migrations_of=migrations_of, product_version=VERSION, kdf=CHEAP
    )


# ---------------------------------------------------------------------- ten kinds of bad file


def _header_end(data: bytes) -> int:
    return len(container.read_header(io.BytesIO(data), len(data)).raw)


def _flip(data: bytes, at: int) -> bytes:
    damaged = bytearray(data)
    damaged[at] ^= 0x04
    return bytes(damaged)


def _other_product(data: bytes) -> bytes:
    length = int.from_bytes(data[10:14], "big")
    body = json.loads(data[14 : 14 + length])
    body["product"] = "tax-helper"
    text = json.dumps(body).encode()
    head = data[:10] + len(text).to_bytes(4, "big") + text
    return head + hashlib.sha256(head).digest() + data[14 + length + 32 :]


def _foreign_zip(home: DataHome) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as foreign:
        foreign.writestr("manifest.json", json.dumps({"files": []}))
        foreign.write(home.app_db, "app.sqlite")
    return buffer.getvalue()


def _newer_schema(tmp: Path) -> bytes:
    """A true backup (same password) of data whose schema a later version wrote."""
    newer = make_home(tmp / "newer-home", people=5)
    with sqlite3.connect(newer.app_db) as db:
        db.execute("UPDATE alembic_version SET version_num = 'f0f0f0f0f0f0'")
    db.close()
    return take(newer, tmp / "newer-backups").read_bytes()


TRUNCATED = "备份文件不完整（文件被截断，可能复制或下载未完成）。请重新复制完整的备份文件，或选择其他备份文件。"
CORRUPTED = "备份文件已损坏（内容校验未通过），无法使用。请选择其他备份文件。"
NOT_OURS = "所选文件不是本客户端的备份文件。请选择由本客户端生成的备份文件（文件名以 .sbfbak 结尾）。"
WRONG = "备份密码不正确，无法打开该备份文件。请输入创建该备份时设置的备份密码。"
NEWER = "该备份文件由更新版本的客户端创建，当前版本无法恢复。请先升级客户端，再恢复该备份。"
KINDS = {
    "truncated": TRUNCATED,
    "bit flip in header": CORRUPTED,
    "bit flip in a page": CORRUPTED,
    "bit flip in payload": CORRUPTED,
    "zeroed page": CORRUPTED,
    "garbage": NOT_OURS,
    "foreign zip": NOT_OURS,
    "newer schema": NEWER,
    "wrong password": WRONG,
    "another product's file": NOT_OURS,
}


def bad_file(kind: str, good: bytes, home: DataHome, tmp: Path) -> bytes:
    start = _header_end(good)
    return {
        "truncated": lambda: good[: len(good) * 2 // 3],
        "bit flip in header": lambda: _flip(good, start - 50),
        "bit flip in a page": lambda: _flip(good, start + 3 * 4096 + 123),
        "bit flip in payload": lambda: _flip(good, len(good) - 20),
        "zeroed page": lambda: good[: start + 8192] + bytes(4096) + good[start + 8192 + 4096 :],
        "garbage": lambda: os.urandom(len(good)),
        "foreign zip": lambda: _foreign_zip(home),
        "newer schema": lambda: _newer_schema(tmp),
        "wrong password": lambda: good,
        "another product's file": lambda: _other_product(good),
    }[kind]()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One data home and one good backup of it, shared by the refusals (each leaves them as they were)."""
    tmp = tmp_path_factory.mktemp("backup-faults")
    home = make_home(tmp / "home")
    good = take(home, tmp / "backups")
    return home, good, tmp


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_bad_backup_is_refused_with_its_message_and_changes_nothing(world, kind):
    home, good, tmp = world
    path = tmp / f"{kind.replace(' ', '-')}.sbfbak"
    path.write_bytes(bad_file(kind, good.read_bytes(), home, tmp / kind.replace(" ", "-")))
    before, rows = data_hashes(home), contents(home)
    backups_before = sorted(p.name for p in home.backups_dir.glob("*")) if home.backups_dir.exists() else []
    with pytest.raises(SbfError) as refused:
        restore(home, path, "Not-The-Password" if kind == "wrong password" else PASSWORD)
    assert refused.value.message == KINDS[kind]
    assert data_hashes(home) == before and contents(home) == rows
    assert leftovers(home, home.backups_dir) == []
    after = sorted(p.name for p in home.backups_dir.glob("*")) if home.backups_dir.exists() else []
    assert after == backups_before  # refused before the safety backup: nothing was written


def test_a_damaged_database_inside_a_well_formed_backup_fails_quick_check(world):
    """The payload decrypts and its manifest agrees with its bytes, but a page of the database is zeroed."""
    home, good, tmp = world
    work = tmp / "crafted"
    work.mkdir()
    data = good.read_bytes()
    stream = io.BytesIO(data)
    header = container.read_header(stream, len(data))
    keys = header.keys(PASSWORD)
    payload = b"".join(container.decrypt_chunks(stream, header, keys))
    with zipfile.ZipFile(io.BytesIO(payload)) as original:
        manifest = json.loads(original.read("manifest.json"))
        members = {name: original.read(name) for name in original.namelist() if name != "manifest.json"}
    unit_name = next(name for name in members if name.startswith("units/"))
    damaged = bytearray(members[unit_name])
    damaged[2 * 4096 : 3 * 4096] = bytes(4096)
    members[unit_name] = bytes(damaged)
    for entry in manifest["files"]:
        entry["sha256"] = hashlib.sha256(members[entry["name"]]).hexdigest()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as crafted:
        crafted.writestr("manifest.json", json.dumps(manifest))
        for name, member in members.items():
            crafted.writestr(name, member)
    salt = os.urandom(container.SALT_SIZE)
    keys = container.derive_keys(PASSWORD, salt, CHEAP)
    new_header = container.build_header(
        created_at=header.created_at,
        product_version=VERSION,
        units=list(header.units),
        payload_size=len(buffer.getvalue()),
        keys=keys,
        salt=salt,
        kdf=CHEAP,
    )
    path = work / "crafted.sbfbak"
    with path.open("wb") as target:
        container.encrypt_stream(io.BytesIO(buffer.getvalue()), target, new_header, keys)
    before = data_hashes(home)
    with pytest.raises(SbfError) as refused:
        restore(home, path)
    assert refused.value.message == CORRUPTED
    assert data_hashes(home) == before and leftovers(home) == []


# ---------------------------------------------------------------------- kill -9 and a full disk

CHILD = """
import resource, signal, sys, time
from datetime import datetime
from pathlib import Path
from sbf_client.core.clock import CHINA_TZ, FixedClock
from sbf_client.core.errors import SbfError
from sbf_client.store.backup import archive, container
from sbf_client.store.home import DataHome

mode, home, target, marker, stop_text, stop_at, limit = sys.argv[1:8]
PASSWORD, CHEAP = {password!r}, container.KdfParams(8 * 1024, 1, 1)
clock = FixedClock(datetime(2026, 12, 3, 11, 0, tzinfo=CHINA_TZ))

def report(done, total, text):
    if text == stop_text and done >= int(stop_at):
        Path(marker).write_text(text)
        time.sleep(3600)  # held here until the test kills it

if int(limit):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
try:
    if mode == "backup":
        archive.take_backup(DataHome(Path(home)), Path(target), PASSWORD, clock, product_version="0.1.0",
                            steps=archive.Steps(report), kdf=CHEAP, chunk_size=16 * 1024)
    else:
        modules = {{"employer": "sbf_client.modules.employer.store.migrations"}}
        archive.restore_backup(DataHome(Path(home)), Path(target), PASSWORD, clock, migrations_of=modules.get,
                               product_version="0.1.0", steps=archive.Steps(report), kdf=CHEAP)
except SbfError as error:
    print(error.message)
    sys.exit(3)
"""


def child(mode: str, home: DataHome, target: Path, marker: Path, stop: str = "", at: int = 0, limit: int = 0):
    code = CHILD.format(password=PASSWORD)
    arguments = [mode, str(home.root), str(target), str(marker), stop, str(at), str(limit)]
    return subprocess.Popen([sys.executable, "-c", code, *arguments], stdout=subprocess.PIPE, text=True)


def kill_when_marked(process: subprocess.Popen, marker: Path) -> None:
    """Wait for the child's sign that the work is under way (it then holds still), and kill -9 it."""
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, f"the child ended before the sign: {process.returncode}"
        assert time.monotonic() < deadline, "no sign from the child"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(30)
    process.stdout.close()


def test_kill_during_a_backup_leaves_the_data_and_older_backups_and_the_next_run_cleans_up(tmp_path):
    home = make_home(tmp_path / "home")
    folder = tmp_path / "backups"
    older = take(home, folder)
    before = data_hashes(home)
    marker = tmp_path / "began"
    kill_when_marked(child("backup", home, folder, marker, "正在加密", SMALL_CHUNK), marker)
    assert list(folder.glob("*.part")) and leftovers(home)  # it was killed mid-way
    assert archive.backup_files(folder) == [older] and data_hashes(home) == before
    newer = take(home, folder, minute=5)  # the next backup removes what the killed one left
    assert leftovers(home, folder) == [] and archive.backup_files(folder) == [older, newer]
    for path in (older, newer):
        archive.verify_backup(path, PASSWORD, tmp_path, migrations_of)


@pytest.mark.parametrize(
    ("phase", "outcome"), [("正在移开当前数据", "rolled-back"), ("正在替换为备份数据", "finished")]
)
def test_kill_during_a_restore_leaves_the_old_or_the_new_data_whole(tmp_path, phase, outcome):
    home = make_home(tmp_path / "home")
    backup = take(home, tmp_path / "backups")
    backed_up = contents(home)
    add_employees(next(home.units_dir.glob("*.sqlite")), range(1000, 1050))
    with sqlite3.connect(home.app_db) as db:
        db.execute("UPDATE settings SET value = '\"after\"' WHERE key = 'backup.test'")
    db.close()
    changed, changed_hashes = contents(home), data_hashes(home)
    marker = tmp_path / "began"
    kill_when_marked(child("restore", home, backup, marker, phase, 1), marker)
    assert (home.root / archive.JOURNAL).exists()
    assert archive.recover_interrupted_restore(home) == outcome
    if outcome == "rolled-back":
        assert data_hashes(home) == changed_hashes and contents(home) == changed
    else:
        assert contents(home) == backed_up
    assert leftovers(home) == [] and archive.recover_interrupted_restore(home) is None


@pytest.mark.parametrize("where", ["copying a database", "writing the backup"])
def test_a_full_disk_during_a_backup_keeps_every_older_backup(tmp_path, where):
    home = make_home(tmp_path / "home", people=2000)
    folder = tmp_path / "backups"
    older = [take(home, folder, minute) for minute in (0, 1)]
    largest = max(p.stat().st_size for p in [home.app_db, *home.units_dir.glob("*.sqlite")])
    # 40 KiB: the live database opens (its 32 KiB -shm fits) but no copy of it does
    limit = 40 * 1024 if where == "copying a database" else largest + 4096
    process = child("backup", home, folder, tmp_path / "unused", limit=limit)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 3, out
    assert out.startswith("磁盘空间不足，备份未完成（未完成的文件已删除，原有备份不受影响）。")
    assert archive.backup_files(folder) == older and leftovers(home, folder) == []
    for path in older:
        archive.verify_backup(path, PASSWORD, tmp_path, migrations_of)


def test_a_cancelled_backup_leaves_nothing(tmp_path):
    from sbf_client.sync.progress import Cancelled, Progress

    home = make_home(tmp_path / "home")
    progress = Progress()

    def stop(done, total, text):
        if text == "正在加密":
            progress.cancel()

    with pytest.raises(Cancelled):
        archive.take_backup(
            home, tmp_path / "b", PASSWORD, clock_at(), product_version=VERSION, kdf=CHEAP,
            steps=archive.Steps(stop, progress.check), chunk_size=SMALL_CHUNK,
        )  # fmt: skip
    assert archive.backup_files(tmp_path / "b") == [] and leftovers(home, tmp_path / "b") == []
