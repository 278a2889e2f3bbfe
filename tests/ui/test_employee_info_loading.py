"""职工参保信息更新 of a large unit (91990101MA5D00040G): while the list is first read it says so instead of
"共 0 条"; the statistics say they are being (re)counted; 全量更新 tells rows done of the total and the time left,
in the words the 数据更新 page uses too (``sync.progress.ProgressText``)."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from sbf_client.services.sandbox import start_sandbox
from sbf_client.sync.progress import ProgressText, ProgressUpdate, duration_text
from sbf_client.ui.list_page import COUNTING, RECOUNTING
from sbf_client.ui.shell.data_update import DataUpdateCard
from sbf_client.ui.widgets.list_table import COUNTING_TEXT, LOADING_TEXT
from tests.conftest import TEST_SEED
from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts

LARGE, LARGE_NO = "91990101MA5D00040G", "9901010000168"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def logged_in(qtbot, tmp_path: Path, scale: int, wait_ms: int):  # type: ignore[no-untyped-def]
    """A sandbox whose large unit has ``scale`` employees, and the shell logged in to it (first full update)."""
    sandbox = start_sandbox(tmp_path / "sandbox", seed=TEST_SEED, scale=scale)
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", LARGE, LARGE_NO)
    log_in(qtbot, shell)
    return sandbox, shell, main_window_at_1366(qtbot, shell, wait_ms)


def open_employee_page_loading(window):  # type: ignore[no-untyped-def]
    """Open the page and look at it before its first query returns (nothing is processed in between)."""
    window.open_menu("employee_info")
    page = window.pages["employee_info"]
    table = page.table
    assert table.total_label.text() == LOADING_TEXT and not table.overlay.isHidden()
    assert page.stats.text() == COUNTING
    return page


def test_the_words_under_a_progress_bar():
    clock = Clock()
    words = ProgressText("人", clock=clock)
    assert words.describe(0, 10_000) == "已完成 0 / 10000 人"  # no rate yet: no estimate
    clock.now += 1
    assert words.describe(1_000, 10_000) == "已完成 1000 / 10000 人"  # too soon to tell
    clock.now += 3
    assert words.describe(4_000, 10_000) == "已完成 4000 / 10000 人，预计剩余 6 秒"  # 1000 a second
    assert words.describe(10_000, 10_000) == "已完成 10000 / 10000 人"
    assert words.describe(20, None) == "已完成 20 人"  # restarted, total unknown
    assert [duration_text(s) for s in (0.2, 59, 60, 200, 3600, 3900)] == [
        "1 秒",
        "59 秒",
        "1 分钟",
        "3 分 20 秒",
        "1 小时",
        "1 小时 5 分",
    ]


def test_the_data_update_page_tells_the_time_left(qtbot):
    card = DataUpdateCard("演示科技有限公司")
    qtbot.addWidget(card)
    clock = Clock()
    card.words = ProgressText(clock=clock)
    card.show_progress(ProgressUpdate(0, 90_000, "正在下载规则文件"))
    clock.now += 10
    card.show_progress(ProgressUpdate(30_000, 90_000, "更新职工参保信息：正在下载职工数据（2000 / 6000 条）"))
    assert card.bar.value() == 333 and "（2000 / 6000 条）" in card.step.text()
    assert card.time_left.text() == "预计剩余 20 秒"


def test_a_few_thousand_employees_load_count_and_update_with_words(qtbot, tmp_path):
    sandbox, shell, window = logged_in(qtbot, tmp_path, 3_000, 120_000)
    try:
        page = open_employee_page_loading(window)
        qtbot.waitUntil(lambda: page.table.total() == 3_000 and page.stats.text().endswith("人"), timeout=60_000)
        assert page.table.total_label.text() == "共 3000 条" and page.table.overlay.isHidden()
        assert page.stats.text().startswith("职工总数：3000人")

        page.refresh()  # the data changed: the last numbers stay, marked as being recounted
        assert page.stats.text().startswith("职工总数：3000人") and page.stats.text().endswith(RECOUNTING)
        qtbot.waitUntil(lambda: not page.stats.text().endswith(RECOUNTING), timeout=60_000)

        messages: list[str] = []
        click_in_next_modal("确定", lambda _box: click_in_next_modal("确定"))  # 是否继续？ then 没有变化
        qtbot.mouseClick(page.full, Qt.MouseButton.LeftButton)
        page.update_task.progressed.connect(lambda update: messages.append(update.message))
        qtbot.waitUntil(lambda: not shell.runner.busy(), timeout=120_000)
        counted = [m for m in messages if re.search(r"已完成 \d+ / 3000 人", m)]
        assert counted and counted[-1].endswith("已完成 3000 / 3000 人")
    finally:
        close_shell(shell)
        sandbox.stop()


@pytest.mark.slow
def test_100000_employees_show_they_are_loading(qtbot, tmp_path, screenshot):
    sandbox, shell, window = logged_in(qtbot, tmp_path, 100_000, 600_000)
    try:
        page = open_employee_page_loading(window)
        screenshot(window, "employee-info-loading")  # 100,000 keys take longer than the layout: still loading
        # Not "共 0 条": loading, or its first rows shown while the total is counted
        assert page.table.total_label.text() in (LOADING_TEXT, COUNTING_TEXT)
        qtbot.waitUntil(lambda: page.table.total() == 100_000, timeout=120_000)
        qtbot.waitUntil(lambda: page.stats.text().endswith("人"), timeout=120_000)
        screenshot(window, "employee-info-100k")

        seen = {}

        def answer_done(box):  # type: ignore[no-untyped-def]
            seen.update(done=modal_texts(box))  # 更新完成，职工信息没有变化

        click_in_next_modal("确定", lambda _box: click_in_next_modal("确定", answer_done))  # 是否继续？ 确定
        qtbot.mouseClick(page.full, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is not None, timeout=60_000)
        dialog = window.findChild(QProgressDialog)
        qtbot.waitUntil(lambda: "预计剩余" in dialog.labelText(), timeout=120_000)
        assert re.search(r"已完成 \d+ / 100000 人，预计剩余 ", dialog.labelText())
        screenshot(dialog, "employee-full-update-progress")
        qtbot.waitUntil(lambda: "done" in seen, timeout=300_000)
        assert "职工信息没有变化" in seen["done"]
    finally:
        close_shell(shell)
        sandbox.stop()
