"""备份恢复 of a data home whose unit holds 1,000,000 cached employees: ``backup_1m`` and ``restore_1m``.

Each is set against a reference measured in the same run over the same databases: SQLite's own online backup
API copying them (``sqlite_backup``) plus AES-256-GCM's raw speed over as many bytes in 1 MiB chunks
(``aes_gcm_raw``) — the two things a backup cannot do without. Goal: ratio ≤ 1.5.

What a backup does on top: hashing and ``quick_check`` of each copy, the uncompressed zip, the Argon2id key
(64 MiB, t=3: a fixed ~0.2 s), fsync, and the full read-back that verifies the file before it is renamed. A
restore verifies the backup (decrypt, extract, hashes, ``quick_check``), checks the schema, takes a safety
backup of the current data (a whole backup), and swaps the files. The rows are inserted directly with the real
schema (the sync that would bring them is bench_employee_search's).
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bench.report import emit, timed
from sbf_client.core.clock import SystemClock
from sbf_client.modules.employer.declaration import MODULE as EMPLOYER
from sbf_client.store.app_store import AppStore
from sbf_client.store.backup import archive
from sbf_client.store.home import DataHome
from sbf_client.store.unit_store import open_unit_db

ROWS = 1_000_000
PASSWORD = "bench-backup-password"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"


def _rows(count: int):  # type: ignore[no-untyped-def]
    rng = random.Random(2026)
    insured = '[{"code":"110","name":"企业职工基本养老保险","status":"参保缴费","since":"2015-07"},' \
              '{"code":"210","name":"失业保险","status":"参保缴费","since":"2015-07"}]'  # fmt: skip
    for n in range(count):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        birth = f"19{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        id_number = f"110101{birth}{rng.randint(0, 9999):04d}"
        yield (f"E-{n:07d}", f"P{n:09d}", name, "男" if n % 2 else "女", "01", id_number,
               f"{birth[:4]}-{birth[4:6]}-{birth[6:]}", "U1", "正常", "2026-12-01 10:00:00", insured, n)  # fmt: skip


def build_home(root: Path) -> DataHome:
    home = DataHome(root).ensure()
    store = AppStore.open(home)
    unit = store.add_unit(
        module="employer",
        taxpayer_id="91990101MA5D000160",
        server_unit_id="U1",
        name="演示市第一中学",
        tax_authority="演示市税务局",
        tax_branch="第一税务所",
        registrations=[],
        added_at="2026-12-03 09:00:00",
    )
    store.close()
    path = home.units_dir / unit.db_name
    open_unit_db(path, EMPLOYER.migrations).dispose()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA synchronous=OFF")
        db.executemany("INSERT INTO employees VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", _rows(ROWS))
    db.close()
    return home


def reference(home: DataHome, scratch: Path) -> tuple[float, float]:
    """SQLite's backup API over the data's databases, and AES-256-GCM over as many bytes."""
    target = scratch / "reference"
    target.mkdir()
    sources = [home.app_db, *home.units_dir.glob("*.sqlite")]
    start = time.perf_counter()
    for number, source in enumerate(sources):
        with sqlite3.connect(source) as live, sqlite3.connect(target / f"{number}.sqlite") as copy:
            live.backup(copy)
        live.close()
        copy.close()
    sqlite_seconds = time.perf_counter() - start
    total = sum(p.stat().st_size for p in sources)
    cipher, block = AESGCM(os.urandom(32)), os.urandom(1024 * 1024)
    start = time.perf_counter()
    for index in range(-(-total // len(block))):
        cipher.encrypt(index.to_bytes(12, "big"), block, b"header")
    return sqlite_seconds, time.perf_counter() - start


def run(scratch: Path) -> None:
    print(f"# generating {ROWS:,} employees", file=sys.stderr, flush=True)
    home = build_home(scratch / "home")
    size_mb = sum(p.stat().st_size for p in home.units_dir.glob("*.sqlite")) / 1e6
    print(f"# unit database: {size_mb:.0f} MB", file=sys.stderr, flush=True)
    sqlite_seconds, aes_seconds = reference(home, scratch)
    ref = sqlite_seconds + aes_seconds
    emit("backup_reference_sqlite_backup_1m", sqlite_seconds, "s")
    emit("backup_reference_aes_gcm_raw_1m", aes_seconds, "s")
    clock = SystemClock()
    seconds, info = timed(
        lambda: archive.take_backup(home, scratch / "backups", PASSWORD, clock, product_version="bench")
    )
    emit("backup_1m", seconds, "s", reference=ref, reference_name="sqlite_backup+aes_gcm_raw")
    print(f"# backup file: {info.size / 1e6:.0f} MB", file=sys.stderr, flush=True)
    migrations = {"employer": EMPLOYER.migrations}.get
    seconds, _ = timed(
        lambda: archive.restore_backup(
            home, info.path, PASSWORD, clock, migrations_of=migrations, product_version="bench"
        )
    )
    emit("restore_1m", seconds, "s", reference=ref, reference_name="sqlite_backup+aes_gcm_raw")
