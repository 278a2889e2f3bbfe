"""备份恢复 as the UI and the command line use it (``BackupService``, ``sbf-client backup|restore``): a real
unit's data backed up, changed and restored; 自动备份's rotation; the backup password's rules and keyring; the
backup list; and no password or ID number anywhere it should not be."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from sbf_client.core.errors import InputError
from sbf_client.services.backup import NO_PASSWORD, BackupService
from sbf_client.services.context import ClientContext
from sbf_client.store.backup import archive
from sbf_client.store.home import DataHome
from sbf_client.sync.progress import Cancelled, Progress
from tests.helpers import cli
from tests.integration.test_backup_faults import (
    CANARY_ID,
    CHEAP,
    NOT_OURS,
    PASSWORD,
    TRUNCATED,
    WRONG,
    clock_at,
    contents,
    data_hashes,
    leftovers,
    make_home,
)


@pytest.fixture
def keyring_in_tmp(tmp_path):
    """A keyring file in the test's folder (tests/keyring_backend.py), set explicitly."""
    import keyring
    import keyring.core

    from tests.keyring_backend import SuiteFileKeyring

    previous = keyring.core._keyring_backend
    keyring.set_keyring(SuiteFileKeyring(tmp_path / "keyring" / "secrets.json"))
    yield
    keyring.core._keyring_backend = previous


def service_of(home: DataHome, minute: int = 0) -> BackupService:
    return BackupService(ClientContext(home, clock=clock_at(minute)), kdf=CHEAP)


def employees(path: Path) -> int:
    with sqlite3.connect(path) as db:
        count = db.execute("SELECT COUNT(*) FROM employees").fetchone()[0]
    db.close()
    return count


# ---------------------------------------------------------------------- a real unit, backed up and restored


def test_a_restore_gives_back_exactly_the_data_that_were_backed_up(sandbox, tmp_path, keyring_in_tmp):
    from sbf_client.services.sync import SyncService
    from tests.helpers import logged_in

    session = logged_in(tmp_path / "home", sandbox, "91990101MA5D000160", "9901010000135")
    try:
        SyncService(session).sync()
    finally:
        session.close()
        session.context.close()
    home = DataHome(tmp_path / "home")
    unit_db = next(home.units_dir.glob("*.sqlite"))
    synced = employees(unit_db)
    assert synced > 0

    service = service_of(home)
    service.set_backup_password(PASSWORD, PASSWORD)
    result = service.backup(None)
    assert result.path.parent == home.backups_dir and result.size == result.path.stat().st_size
    assert [u.taxpayer_id for u in result.units] == ["91990101MA5D000160"] and result.counts["employees"] == synced
    service.context.close()
    backed_up = contents(home)

    with sqlite3.connect(unit_db) as db:  # the data change after the backup
        db.execute("DELETE FROM employees WHERE rowid % 2 = 0")
    db.close()
    changed = service_of(home, 10)
    changed.context.store.set_setting("backup.test", "changed")
    assert contents(home) != backed_up

    restored = changed.restore(result.path, None, Progress())
    changed.context.close()
    assert restored.counts["employees"] == synced and restored.created_at == result.created_at
    assert contents(home) == backed_up
    assert leftovers(home, home.backups_dir) == []
    safety = service_of(home, 20).verify(restored.safety_backup)  # the data as they were before the restore
    assert safety.counts["employees"] == synced - synced // 2


# ---------------------------------------------------------------------- the service


def test_the_backup_password_is_checked_and_kept_in_the_keyring(tmp_path, keyring_in_tmp):
    service = service_of(make_home(tmp_path / "home", people=10))
    assert not service.has_backup_password()
    with pytest.raises(InputError) as refused:
        service.backup(None)
    assert refused.value.message == NO_PASSWORD
    for password, again, message in [
        ("short1", "short1", "备份密码须为8到64个字符，请重新输入。"),
        ("x" * 65, "x" * 65, "备份密码须为8到64个字符，请重新输入。"),
        ("Backup-Pass-1", "Backup-Pass-2", "两次输入的备份密码不一致，请重新输入。"),
        (" " * 9, " " * 9, "备份密码不能全为空格，请重新输入。"),
    ]:
        with pytest.raises(InputError) as refused:
            service.set_backup_password(password, again)
        assert refused.value.message == message
    service.set_backup_password(PASSWORD, PASSWORD)
    assert service.has_backup_password()
    assert service.backup(tmp_path / "chosen").path.parent == tmp_path / "chosen"
    service.context.close()


def test_the_list_shows_time_size_units_and_the_files_it_cannot_use(tmp_path, keyring_in_tmp):
    home = make_home(tmp_path / "home", people=10)
    service = service_of(home)
    first = service.backup(None, password=PASSWORD)
    service.context.clock.advance(minutes=1)
    second = service.backup(None, password=PASSWORD)
    (home.backups_dir / "holiday-photos.sbfbak").write_bytes(b"\xff\xd8\xff\xe0 not a backup")
    (home.backups_dir / "cut.sbfbak").write_bytes(first.path.read_bytes()[:500])
    listed = service.list_backups()
    service.context.close()
    readable = [e for e in listed if e.readable]
    assert [e.path for e in readable] == [second.path, first.path]  # newest first
    assert readable[0].units == ("演示市第一中学",) and readable[0].size == second.size
    assert readable[0].created_at == "2026-12-03 10:01:00"
    assert {e.path.name: e.problem for e in listed if not e.readable} == {
        "holiday-photos.sbfbak": NOT_OURS,
        "cut.sbfbak": TRUNCATED,
    }


def test_automatic_backups_keep_exactly_n_verified_ones(tmp_path, keyring_in_tmp):
    home = make_home(tmp_path / "home", people=10)
    service = service_of(home)
    assert service.auto_backup_on_exit() is None  # not enabled: nothing happens
    service.set_backup_password(PASSWORD, PASSWORD)
    with pytest.raises(InputError, match="备份的数量须为1到99之间的整数"):
        service.save_backup_settings(auto_backup_count=0)
    settings = service.save_backup_settings(auto_backup_enabled=True, auto_backup_count=3)
    assert settings.auto_backup_folder == home.backups_dir / "auto"
    made = []
    for _ in range(4):
        service.context.clock.advance(minutes=1)
        made.append(service.auto_backup_on_exit().path)
    folder = settings.auto_backup_folder
    assert archive.backup_files(folder) == made[1:]

    # a newer-looking partial file never counts as one of the three, nor does a .part
    (folder / "sbf-backup-20991231-235959.sbfbak").write_bytes(made[-1].read_bytes()[:-100])
    (folder / "sbf-backup-20991231-235958.sbfbak.part").write_bytes(b"half")
    service.context.clock.advance(minutes=1)
    newest = service.auto_backup_on_exit().path
    assert archive.backup_files(folder) == [*made[2:], newest]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in [*made[2:], newest])
    for path in archive.backup_files(folder):
        service.verify(path)

    # a backup that fails (here: cancelled) deletes none of them
    progress = Progress(lambda update: progress.cancel() if update.message == "正在加密" else None)
    service.context.clock.advance(minutes=1)
    with pytest.raises(Cancelled):
        service.auto_backup_on_exit(progress)
    assert archive.backup_files(folder) == [*made[2:], newest]
    service.context.close()


def test_no_password_or_id_number_outside_the_live_databases(tmp_path, keyring_in_tmp, log_file):
    home = make_home(tmp_path / "home", people=50)
    service = service_of(home)
    service.set_backup_password(PASSWORD, PASSWORD)
    service.save_backup_settings(auto_backup_enabled=True, auto_backup_count=2)
    made = service.backup(None)
    service.auto_backup_on_exit()
    with pytest.raises(InputError):
        service.restore(made.path, "Wrong-Password-1")
    service.context.clock.advance(minutes=5)
    service.restore(made.path)
    service.context.close()
    logging.getLogger().handlers[-1].flush()
    live = {home.app_db, *home.units_dir.glob("*.sqlite")}
    scanned = [p for p in [*home.root.rglob("*"), *log_file.parent.rglob("*")] if p.is_file()]
    scanned = [p for p in scanned if p not in live and not p.name.endswith(("-wal", "-shm"))]
    assert any(p.suffix == ".sbfbak" for p in scanned) and log_file in scanned
    for path in scanned:
        data = path.read_bytes()
        for secret in (PASSWORD, CANARY_ID):
            assert secret.encode() not in data and secret.encode("utf-16-le") not in data, (path, secret)
    assert leftovers(home, home.backups_dir, home.backups_dir / "auto") == []


# ---------------------------------------------------------------------- the command line


def test_the_command_line_backs_up_lists_and_restores(tmp_path, monkeypatch):
    home = make_home(tmp_path / "home", people=20)
    monkeypatch.delenv("SBF_BACKUP_PASSWORD", raising=False)
    refused = cli(home.root, "backup", check=False)
    assert refused["error"]["message"] == (
        "尚未设置备份密码。请先运行 sbf-client backup password 设置（保存在系统凭据管理器中），"
        "或通过环境变量 SBF_BACKUP_PASSWORD 提供。"
    )
    monkeypatch.setenv("SBF_BACKUP_PASSWORD", PASSWORD)
    made = cli(home.root, "backup", "--to", str(tmp_path / "usb"))
    assert Path(made["path"]).parent == tmp_path / "usb" and made["units"][0]["name"] == "演示市第一中学"
    assert made["counts"]["employees"] == 20
    listed = cli(home.root, "backup", "list", "--from", str(tmp_path / "usb"))["backups"]
    assert [(b["path"], b["units"], b["readable"]) for b in listed] == [(made["path"], ["演示市第一中学"], True)]

    before = data_hashes(home)
    unconfirmed = cli(home.root, "restore", made["path"], check=False)
    assert "未确认，未做任何更改" in unconfirmed["error"]["message"] and data_hashes(home) == before
    monkeypatch.setenv("SBF_BACKUP_PASSWORD", "Wrong-Password-1")
    wrong = cli(home.root, "restore", made["path"], "--yes", check=False)
    assert wrong["error"]["message"] == WRONG and data_hashes(home) == before

    with sqlite3.connect(next(home.units_dir.glob("*.sqlite"))) as db:
        db.execute("DELETE FROM employees")
    db.close()
    monkeypatch.setenv("SBF_BACKUP_PASSWORD", PASSWORD)
    restored = cli(home.root, "restore", made["path"], "--yes")
    assert Path(restored["safety_backup"]).parent == home.backups_dir
    assert employees(next(home.units_dir.glob("*.sqlite"))) == 20
