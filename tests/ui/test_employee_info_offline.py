"""职工参保信息更新 offline, the sandbox stopped: the cached list browsed, 姓名 searched as the user types — a
substring, pinyin initials, full pinyin —, a row put in a group with 编辑 and found by the 分组 filter, and
导出 ▾ 所有职工 with the ID numbers in full. Only 增量更新 / 全量更新 need the server."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from python_calamine import CalamineWorkbook

from sbf_client.modules.employer.domain.pinyin import pinyin_keys
from sbf_client.modules.employer.ui.employee_edit import EmployeeEditDialog
from sbf_client.ui import list_page
from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts, on_next_modal, type_text
from tests.ui.test_employee_groups_ui import TAXPAYER, UNIT_NO, cell, click_link, saved_tree

WAIT = 60_000


@pytest.fixture
def offline_page(qtbot, sandbox, tmp_path):
    """The page after an offline login: the employees were cached by an online one, then the sandbox died."""
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", TAXPAYER, UNIT_NO)
    try:
        log_in(qtbot, shell)
        main_window_at_1366(qtbot, shell, WAIT)
        shell.switch_unit()
        sandbox.kill()
        seen: dict[str, str] = {}
        click_in_next_modal("确定", lambda box: seen.update(notice=modal_texts(box)))
        shell.show_units()
        log_in(qtbot, shell)
        window = main_window_at_1366(qtbot, shell, WAIT)
        assert "离线模式" in seen["notice"] and window.page_context.session.offline
        window.open_menu("employee_info")
        page = window.pages["employee_info"]
        qtbot.waitUntil(lambda: page.table.total() == 60, timeout=WAIT)
        yield window, page
    finally:
        close_shell(shell)


def shown_names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [cell(page, row, "name") for row in range(page.table.model.rowCount())]


def search(qtbot, page, typed: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type into the 姓名 box (no 查询: the list follows the typing); the names it then shows."""
    box = page.query_panel._texts["name"]
    box.clear()
    with qtbot.waitSignal(page.table.model.loaded, timeout=WAIT):
        type_text(qtbot, box, typed)
    qtbot.waitUntil(lambda: page.table.model.rowCount() == page.table.total(), timeout=WAIT)
    return shown_names(page)


def test_offline_the_cached_list_is_searched_grouped_edited_and_exported(
    qtbot, offline_page, screenshot, tmp_path, monkeypatch
):
    window, page = offline_page
    assert not page.incremental.isEnabled() and not page.full.isEnabled()
    everyone = shown_names(page)
    target = next(name for name in everyone if len(name) == 3)
    initials, full = pinyin_keys(target)

    found = search(qtbot, page, target[1:])  # a substring
    assert target in found and all(target[1:] in name for name in found)
    found = search(qtbot, page, initials)  # 首字母
    assert target in found and all(pinyin_keys(name)[0].startswith(initials) for name in found)
    found = search(qtbot, page, full)  # 全拼
    assert target in found and all(full in pinyin_keys(name)[1] for name in found)
    screenshot(window, "offline-03-pinyin-search")
    assert len(found) < len(everyone)
    page.query_panel.reset()
    qtbot.waitUntil(lambda: page.table.total() == 60, timeout=WAIT)

    saved_tree(page)
    row = everyone.index(target)

    def edit(dialog: EmployeeEditDialog) -> None:
        dialog.group.setCurrentIndex(dialog.group.findText("X1/B11"))
        dialog.ok.click()

    on_next_modal(edit, lambda modal: isinstance(modal, EmployeeEditDialog))
    click_link(qtbot, page, row, 1)  # 编辑: a local note, saved with no server
    qtbot.waitUntil(lambda: cell(page, row, "group") == "X1/B11", timeout=WAIT)
    page.group_field.setCurrentIndex(page.group_field.findText("X1"))
    page.query_panel.query_button.click()
    qtbot.waitUntil(lambda: page.table.total() == 1 and shown_names(page) == [target], timeout=WAIT)

    exported = tmp_path / "职工.xlsx"
    monkeypatch.setattr(list_page.QFileDialog, "getSaveFileName", lambda *a, **k: (str(exported), ""))
    seen: dict[str, str] = {}
    click_in_next_modal("确定", lambda box: seen.update(done=modal_texts(box)))
    menu = page.buttons["export"].menu()
    next(action for action in menu.actions() if action.text() == "所有职工").trigger()
    qtbot.waitUntil(lambda: "done" in seen, timeout=WAIT)
    QApplication.processEvents()
    assert "导出成功，共导出60条记录。" in seen["done"]  # 所有职工: whatever the query
    rows = CalamineWorkbook.from_path(str(exported)).get_sheet_by_index(0).to_python()
    header, body = rows[0], rows[1:]
    numbers = [row[header.index("证件号码")] for row in body]
    assert len(body) == 60 and all("*" not in number and len(number) == 18 for number in numbers)
    assert [row[header.index("分组")] for row in body if row[header.index("姓名")] == target] == ["X1/B11"]
