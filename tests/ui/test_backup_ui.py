"""系统管理-备份恢复 in 参数设置中心, used as a user would: 备份设置 (the backup password set on the way, 【备份】
with its question and result), 自动备份 (on, how many, saved) and the backup taken as the window closes, and
恢复设置 (the list, 【恢复】 with its question; the data restored as they were when backed up).
Screenshots: the three pages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sbf_client.services.backup import BackupService
from sbf_client.ui.shell.backup_pages import BackupRestorePage, PasswordDialog
from sbf_client.ui.shell.settings_center import SettingsCenter
from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts, on_next_modal
from tests.ui.test_employee_groups_ui import TAXPAYER, UNIT_NO

WAIT = 60_000
PASSWORD = "Backup-2026-ok"


@pytest.fixture
def center(qtbot, sandbox, tmp_path):
    """参数设置中心 of a logged-in unit with its 60 employees cached, on 系统管理 › 备份恢复."""
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", TAXPAYER, UNIT_NO)
    try:
        log_in(qtbot, shell)
        window = main_window_at_1366(qtbot, shell, WAIT)
        dialog = SettingsCenter(window.context, window.page_context.runner, window.page_context, window)
        dialog.show()
        dialog.system_tabs.setCurrentIndex(1)
        page = dialog.system_tabs.currentWidget()
        assert isinstance(page, BackupRestorePage)
        yield window, dialog, page
        dialog.done(0)
    finally:
        close_shell(shell)


def employees_in(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT key, name, status FROM employees ORDER BY key").fetchall()


def answer_in_turn(*steps) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Answer the modals that open one after another: each step is (button, key to note its text under)."""
    seen: dict[str, str] = {}

    def next_one(rest):  # type: ignore[no-untyped-def]
        if not rest:
            return
        (button, key), later = rest[0], rest[1:]

        def noted(box):  # type: ignore[no-untyped-def]
            seen[key] = modal_texts(box)
            next_one(later)

        click_in_next_modal(button, noted)

    next_one(list(steps))
    return seen


def test_backup_auto_backup_and_restore_from_the_pages(qtbot, center, screenshot, tmp_path):
    window, dialog, page = center
    settings = page.settings_page
    assert settings.password_state.text() == "未设置"
    screenshot(dialog, "backup-01-settings")

    def set_password(box: PasswordDialog) -> None:
        box.first.setText(PASSWORD)
        box.again.setText(PASSWORD)
        seen["password"] = modal_texts(box)
        box.accept()

    seen: dict[str, str] = {}
    on_next_modal(set_password, lambda modal: isinstance(modal, PasswordDialog))
    answers = answer_in_turn(("确定", "set"), ("确定", "ask"), ("确定", "result"))
    settings.backup_button.click()  # no backup password yet: it is set on the way
    qtbot.waitUntil(lambda: "result" in answers, timeout=WAIT)
    assert "备份密码设置成功" in answers["set"] and "确定要备份数据吗？" in answers["ask"]
    assert "备份成功，备份文件：" in answers["result"] and "单位：1个" in answers["result"]
    assert settings.password_state.text() == "已设置"
    backups = sorted(BackupService(window.context).backup_folder().glob("*.sbfbak"))
    assert len(backups) == 1

    auto = page.auto_page
    page.setCurrentWidget(auto)
    auto.enabled.setChecked(True)
    auto.count.setValue(3)
    saved = answer_in_turn(("确定", "saved"))
    auto.save_button.click()
    qtbot.waitUntil(lambda: "saved" in saved, timeout=WAIT)
    service = BackupService(window.context)
    assert service.auto_backup_enabled() and service.auto_backup_count() == 3
    screenshot(dialog, "backup-02-auto")

    restore = page.restore_page
    page.setCurrentWidget(restore)
    restore.refresh()
    assert restore.table.rowCount() == 1 and "云帆" in restore.table.item(0, 2).text()
    screenshot(dialog, "backup-03-restore")

    unit_db = window.context.unit_db_path(window.page_context.session.unit)
    before = employees_in(unit_db)
    with sqlite3.connect(unit_db) as conn:  # the data change after the backup …
        conn.execute("DELETE FROM employees WHERE rowid IN (SELECT rowid FROM employees LIMIT 7)")
    assert len(employees_in(unit_db)) == len(before) - 7
    restarted: list[bool] = []
    restore.restart = lambda: restarted.append(True)
    done = answer_in_turn(("确定", "ask"), ("确定", "done"))
    restore.restore_button.click()
    qtbot.waitUntil(lambda: bool(restarted), timeout=WAIT)
    assert "恢复将覆盖当前数据" in done["ask"] and "恢复成功，请重新启动客户端" in done["done"]
    assert employees_in(unit_db) == before  # … and are back as they were backed up
    safety = [p for p in BackupService(window.context).list_backups(None) if p.path not in backups]
    assert safety, "the data as they were before the restore are kept in a backup of their own"


def test_closing_the_window_takes_the_automatic_backup(qtbot, center):
    window, dialog, _page = center
    service = BackupService(window.context)
    service.set_backup_password(PASSWORD, PASSWORD)
    service.configure_auto_backup(True, 2, service.auto_backup_folder())
    folder = service.auto_backup_folder()
    dialog.done(0)
    window.close()  # the backup runs in the background, then the window closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert len(list(folder.glob("*.sbfbak"))) == 1
